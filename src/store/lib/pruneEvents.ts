import type { IDBPTransaction } from 'idb'
import { isLongLivedType } from '../../privacy/isLongLivedType'
import { DAY_MS, MAX_CLOCK_SKEW_MS, type RetentionPolicy } from '../../privacy/retention'
import type { SegletDBSchema } from './schema'

/**
 * Deletes, inside `tx`, what `policy` no longer keeps at `now` (the IndexedDB twin of `applyRetention`):
 * raw events older than `retentionDays`, purchases and refunds older than `purchaseRetentionDays`, then
 * the oldest raw events beyond `maxEvents`; and events stamped more than `MAX_CLOCK_SKEW_MS` ahead of `now`
 * (written under a clock set ahead), which would otherwise never expire and crowd out real ones. Walks the `ts` index from the oldest record, so a store
 * within its limits costs three counts and a short cursor.
 */
export async function pruneEvents(
  tx: IDBPTransaction<SegletDBSchema, ['events'], 'readwrite'>,
  policy: RetentionPolicy,
  now: number,
): Promise<void> {
  const store = tx.objectStore('events')
  const byTs = store.index('ts')

  let future = await byTs.openCursor(IDBKeyRange.lowerBound(now + MAX_CLOCK_SKEW_MS, true))
  while (future) {
    void future.delete()
    future = await future.continue()
  }

  const rawCutoff = now - policy.retentionDays * DAY_MS
  const longCutoff = now - policy.purchaseRetentionDays * DAY_MS
  if (Number.isFinite(rawCutoff)) {
    let cursor = await byTs.openCursor(IDBKeyRange.upperBound(rawCutoff, true))
    while (cursor) {
      const { type, ts } = cursor.value
      if (!isLongLivedType(type) || ts < longCutoff) void cursor.delete()
      cursor = await cursor.continue()
    }
  }

  if (!Number.isFinite(policy.maxEvents)) return
  const byType = store.index('type')
  const [total, purchases, refunds] = await Promise.all([
    store.count(),
    byType.count('purchase'),
    byType.count('refund'),
  ])
  let excess = total - purchases - refunds - policy.maxEvents
  if (excess <= 0) return
  let cursor = await byTs.openCursor()
  while (cursor && excess > 0) {
    if (!isLongLivedType(cursor.value.type)) {
      void cursor.delete()
      excess--
    }
    cursor = await cursor.continue()
  }
}
