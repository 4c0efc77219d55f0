/** One day in milliseconds: the features' day counts and the retention windows use this one constant. */
export const DAY_MS = 86_400_000

/**
 * Whether a stored record's `time` (ms since epoch) is past `retentionDays` at `now`: what retention deletes. A time
 * that is not a number counts as past, so a damaged record goes too.
 *
 * @example isPastRetention(Date.now() - 40 * DAY_MS, 30, Date.now()) // true
 */
export function isPastRetention(time: unknown, retentionDays: number, now: number): boolean {
  return !(now - Number(time) < retentionDays * DAY_MS)
}
