import { isLongLivedType } from './isLongLivedType'
import { DAY_MS, MAX_CLOCK_SKEW_MS, type RetentionPolicy } from './retention'

/**
 * The events `policy` keeps at time `now`, in their input order: raw events younger than
 * `retentionDays` (at most `maxEvents` of them, newest kept), purchases and refunds younger than
 * `purchaseRetentionDays`, and none stamped more than `MAX_CLOCK_SKEW_MS` after `now`. The store prunes
 * IndexedDB by the same rules; this is also applied to what it returns, so nothing expired is ever read
 * even before a prune has run. Each event is its own object (as read or merged by id).
 *
 * @example
 * applyRetention(events, { retentionDays: 30, purchaseRetentionDays: 730, maxEvents: 5000 }, Date.now())
 */
export function applyRetention<T extends { type: string; ts: number }>(
  events: readonly T[],
  policy: RetentionPolicy,
  now: number,
): T[] {
  const rawCutoff = now - policy.retentionDays * DAY_MS
  const longCutoff = now - policy.purchaseRetentionDays * DAY_MS
  const future = now + MAX_CLOCK_SKEW_MS
  const keep = events.map((e) => e.ts <= future && e.ts >= (isLongLivedType(e.type) ? longCutoff : rawCutoff))

  // The size cap drops the oldest raw events, whatever order the input is in (of equal times, the first given).
  const raw = events.filter((e, i) => keep[i] && !isLongLivedType(e.type))
  const dropped = new Set(raw.length > policy.maxEvents ? raw.sort((a, b) => a.ts - b.ts).reverse().slice(policy.maxEvents) : [])
  return events.filter((e, i) => keep[i] && !dropped.has(e))
}
