import type { StoredEvent } from '../../events/types'
import type { RetentionPolicy } from '../../privacy/retention'
import { EVENTS_STORE } from '../constants'
import { pruneEvents } from './pruneEvents'
import { transactionDone } from './transactionDone'

/**
 * Writes `events` in one readwrite transaction, started synchronously and committed at once, so a
 * `pagehide` handler can call this and the browser still commits it. With `prune`, a second transaction
 * applies retention after the writes committed. Resolves when the writes commit (and the pruning is
 * done); rejects with what the write transaction aborted with, writing nothing.
 */
export function putEvents(db: IDBDatabase, events: readonly StoredEvent[], prune?: { policy: RetentionPolicy; now: number }): Promise<void> {
  const tx = db.transaction(EVENTS_STORE, 'readwrite')
  const done = transactionDone(tx)
  // `put`, not `add`: an id another tab already wrote is the same event, so overwriting cannot duplicate.
  const store = tx.objectStore(EVENTS_STORE)
  try {
    for (const event of events) store.put(event)
  } catch (error) {
    // A synchronous throw (DataCloneError, a closing connection) must not commit half a batch.
    try {
      tx.abort()
    } catch {
      // Already finished or aborted.
    }
    done.catch(() => {})
    return Promise.reject(error)
  }
  commitNow(tx)
  if (!prune) return done
  // Retention runs in a transaction of its own: its cursor walk takes a few round trips, and a page that
  // goes away meanwhile aborts whatever has not committed, so it must never hold the events back.
  // A failed prune is not worth reporting: the next flush prunes again.
  return done.then(() => {
    try {
      const pruneTx = db.transaction(EVENTS_STORE, 'readwrite')
      return Promise.all([pruneEvents(pruneTx, prune.policy, prune.now), transactionDone(pruneTx)]).then(
        () => {},
        () => {},
      )
    } catch {
      // The connection is closing: prune next time.
    }
  })
}

/**
 * Asks for the commit at once instead of when the transaction goes idle. A write otherwise races the
 * document's teardown: Chromium closes the connection when the page goes away and aborts a transaction
 * that has not been committed (and the ones queued behind it), so the last events of a page were lost.
 * `commit()` is missing in older browsers (Safari < 15), where auto-commit is all there is.
 */
function commitNow(tx: IDBTransaction): void {
  try {
    tx.commit?.()
  } catch {
    // Already committing or aborted: the transaction's end reports how it ended.
  }
}
