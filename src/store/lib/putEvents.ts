import type { StoredEvent } from '../../events/types'
import { EVENTS_STORE } from '../constants'
import { transactionDone } from './transactionDone'

/**
 * Writes `events` in one readwrite transaction, started synchronously and committed at once, so a
 * `pagehide` handler can call this and the browser still commits it. Resolves when the writes commit;
 * rejects with what the write transaction aborted with, writing nothing. Throws when the transaction cannot
 * be committed (aborted meanwhile).
 */
export function putEvents(db: IDBDatabase, events: readonly StoredEvent[]): Promise<void> {
  const tx = db.transaction(EVENTS_STORE, 'readwrite')
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
    return Promise.reject(error)
  }
  // Ended at once, with every write issued (a browser without `commit()` commits when the writes end). Its end is
  // watched only now, in the same task: a throw before here leaves no promise of it to reject unhandled.
  tx.commit?.()
  return transactionDone(tx)
}
