import { isLongLivedType } from './isLongLivedType'
import { DAY_MS, MAX_CLOCK_SKEW_MS, type RetentionPolicy } from './retention'

/**
 * The events `policy` keeps at time `now`, in their input order: raw events younger than
 * `retentionDays` (at most `maxEvents` of them, newest kept), purchases and refunds younger than
 * `purchaseRetentionDays`, and none stamped more than `MAX_CLOCK_SKEW_MS` after `now`. The store prunes
 * IndexedDB by the same rules; this is also applied to what it returns, so nothing expired is ever read
 * even before a prune has run.
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

  // The size cap drops the oldest raw events, whatever order the input is in.
  const raw = events
    .map((e, i) => ({ ts: e.ts, i }))
    .filter(({ i }) => keep[i] && !isLongLivedType(events[i].type))
  const excess = raw.length - policy.maxEvents
  if (excess > 0) {
    raw.sort((a, b) => a.ts - b.ts)
    for (let k = 0; k < excess; k++) keep[raw[k].i] = false
  }
  return events.filter((_, i) => keep[i])
}
