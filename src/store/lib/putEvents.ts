import { unwrap, type IDBPDatabase } from 'idb'
import type { StoredEvent } from '../../events/types'
import type { RetentionPolicy } from '../../privacy/retention'
import { pruneEvents } from './pruneEvents'
import type { SegletDBSchema } from './schema'

/**
 * Writes `events` in one readwrite transaction, started synchronously so a `pagehide` handler can call
 * this and the browser still commits it. With `prune`, the same transaction then applies retention.
 * Resolves when the transaction commits; rejects with what it aborted with, writing nothing.
 */
export function putEvents(
  db: IDBPDatabase<SegletDBSchema>,
  events: readonly StoredEvent[],
  prune?: { policy: RetentionPolicy; now: number },
): Promise<void> {
  const tx = db.transaction('events', 'readwrite')
  // Raw requests: a promise per put would cost more than the write itself on a 10,000-event flush.
  // `put`, not `add`: an id another tab already wrote is the same event, so overwriting cannot duplicate.
  const store = unwrap(tx.store)
  try {
    for (const event of events) store.put(event)
  } catch (error) {
    // A synchronous throw (DataCloneError, a closing connection) must not commit half a batch.
    try {
      tx.abort()
    } catch {
      // Already finished or aborted.
    }
    tx.done.catch(() => {})
    return Promise.reject(error)
  }
  // A prune request that fails aborts the transaction, which `tx.done` reports; a prune that throws
  // otherwise is not worth losing the batch over, so the writes still commit.
  if (prune) pruneEvents(tx, prune.policy, prune.now).catch(() => {})
  else commitNow(unwrap(tx))
  return tx.done
}

/**
 * Asks for the commit at once instead of when the transaction goes idle. A write started in `pagehide`
 * otherwise races the document's teardown: Chromium closes the connection when the page goes away and
 * aborts a transaction that has not been committed, so the last events of every page were lost.
 * `commit()` is missing in older browsers (Safari < 15), where auto-commit is all there is.
 */
function commitNow(tx: IDBTransaction): void {
  try {
    tx.commit?.()
  } catch {
    // Already committing or aborted: tx.done reports how it ended.
  }
}
