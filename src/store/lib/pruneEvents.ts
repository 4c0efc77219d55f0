import { isLongLivedType } from '../../privacy/isLongLivedType'
import { DAY_MS, MAX_CLOCK_SKEW_MS, type RetentionPolicy } from '../../privacy/retention'
import type { StoredEvent } from '../../events/types'
import { EVENTS_STORE } from '../constants'
import { requestResult } from './requestResult'
import { walkCursor } from './walkCursor'

/**
 * Deletes, inside `tx`, what `policy` no longer keeps at `now` (the IndexedDB twin of `applyRetention`):
 * events stamped more than `MAX_CLOCK_SKEW_MS` ahead of `now` (written under a clock set ahead, they would
 * never expire and would crowd out real ones), raw events older than `retentionDays`, purchases and refunds
 * older than `purchaseRetentionDays`, then the oldest raw events beyond `maxEvents` (counted on the `ts` index: a
 * record without a readable timestamp, skipped by reads, takes no real event's place). Walks the `ts` index
 * from both ends, so a store within its limits costs three counts and two short cursors.
 */
export async function pruneEvents(tx: IDBTransaction, policy: RetentionPolicy, now: number): Promise<void> {
  const store = tx.objectStore(EVENTS_STORE)
  const byTs = store.index('ts')
  const type = (cursor: IDBCursorWithValue) => (cursor.value as StoredEvent).type

  await walkCursor(byTs.openCursor(IDBKeyRange.lowerBound(now + MAX_CLOCK_SKEW_MS, true)), (cursor) => void cursor.delete())

  const rawCutoff = now - policy.retentionDays * DAY_MS
  const longCutoff = now - policy.purchaseRetentionDays * DAY_MS
  const cutoff = Math.max(rawCutoff, longCutoff)
  if (Number.isFinite(cutoff)) {
    await walkCursor(byTs.openCursor(IDBKeyRange.upperBound(cutoff, true)), (cursor) => {
      if ((cursor.value as StoredEvent).ts < (isLongLivedType(type(cursor)) ? longCutoff : rawCutoff)) cursor.delete()
    })
  }

  if (!Number.isFinite(policy.maxEvents)) return
  const byType = store.index('type')
  const [total, purchases, refunds] = await Promise.all([
    requestResult(byTs.count()),
    requestResult(byType.count('purchase')),
    requestResult(byType.count('refund')),
  ])
  let excess = total - purchases - refunds - policy.maxEvents
  if (excess <= 0) return
  await walkCursor(byTs.openCursor(), (cursor) => {
    if (!isLongLivedType(type(cursor))) {
      cursor.delete()
      excess--
    }
    return excess > 0
  })
}
