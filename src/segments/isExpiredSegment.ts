import { isPastRetention } from '../lib/time'

/**
 * Whether a stored segment is past `retentionDays` (`storage.retentionDays`) at `now`: no page confirmed it for
 * that long (the decider writes an unchanged segment again once a day, so its `decidedAt` is when a page last
 * decided it, to within a day). The raw events it was decided from are gone by then, so it is neither restored
 * nor kept: the retention pass deletes it. No segment, or a `decidedAt` that is not a number, counts as expired.
 *
 * @example
 * isExpiredSegment({ decidedAt: Date.now() - 40 * 86_400_000 }, 30, Date.now()) // true
 */
export function isExpiredSegment(segment: { decidedAt?: unknown } | undefined, retentionDays: number, now: number): boolean {
  return isPastRetention(segment?.decidedAt, retentionDays, now)
}
