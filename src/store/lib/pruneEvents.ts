import { isLongLivedType } from '../../privacy/isLongLivedType'
import { DAY_MS, MAX_CLOCK_SKEW_MS, type RetentionPolicy } from '../../privacy/retention'
import type { StoredEvent } from '../../events/types'
import { EVENTS_STORE } from '../constants'
import { pruneCaches } from './pruneCaches'
import { requestResult } from './requestResult'
import { walkCursor } from './walkCursor'

/** The connections whose stale caches this page has pruned. */
const cachesPruned = new WeakSet<IDBDatabase>()

/**
 * Deletes, inside `tx`, what `policy` no longer keeps at `now` (the IndexedDB twin of `applyRetention`):
 * raw events older than `retentionDays`, purchases and refunds older than `purchaseRetentionDays`, then raw
 * events beyond `maxEvents` (counted on the `ts` index: a record without a readable timestamp, skipped by
 * reads, takes no real event's place): first those stamped more than `MAX_CLOCK_SKEW_MS` ahead of `now`, which
 * reads skip, then the oldest. Events ahead are not deleted otherwise: written under a clock set ahead, they
 * cannot crowd out real ones this way; ahead only because the clock was set back since, they are the shopper's
 * whole history, read again once the clock is right. Walks the `ts` index from both ends, so a store within its
 * limits costs three counts and one short cursor. The cached files no Seglet reads any more, and a stored
 * segment past `retentionDays`, go in the first pass of each connection, in a transaction of their own
 * (`pruneCaches`).
 */
export async function pruneEvents(tx: IDBTransaction, policy: RetentionPolicy, now: number): Promise<void> {
  // Once per connection, not at every flush: what earlier versions cached does not come back. Not awaited: the
  // events' transaction must get its requests before this task ends.
  if (!cachesPruned.has(tx.db)) {
    cachesPruned.add(tx.db)
    void pruneCaches(tx.db, policy.retentionDays, now)
  }
  const store = tx.objectStore(EVENTS_STORE)
  const byTs = store.index('ts')
  const type = (cursor: IDBCursorWithValue) => (cursor.value as StoredEvent).type

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
  const drop = (cursor: IDBCursorWithValue) => {
    if (!isLongLivedType(type(cursor))) {
      cursor.delete()
      excess--
    }
    return excess > 0
  }
  if (excess > 0) await walkCursor(byTs.openCursor(IDBKeyRange.lowerBound(now + MAX_CLOCK_SKEW_MS, true), 'prev'), drop)
  if (excess > 0) await walkCursor(byTs.openCursor(), drop)
}
