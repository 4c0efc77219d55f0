import type { SegletError } from '../errors/index'
import { StorageError } from '../errors/index'
import type { StoredEvent } from '../events/types'
import { EVENTS_STORE, META_STORE } from './constants'
import type { Connection } from './createConnection'
import { isStoredEvent } from './lib/isStoredEvent'
import { requestResult } from './lib/requestResult'
import { toStorageError } from './lib/toStorageError'
import { transactionDone } from './lib/transactionDone'

/** Reads of what IndexedDB holds. Created by {@link createReader}. */
export interface Reader {
  /** Stored events from `since` on, every purchase and refund, and the latest event before `since`. */
  readForFeatures(since: number): Promise<StoredEvent[]>
  /** Every stored event. */
  readEvents(): Promise<StoredEvent[]>
  /**
   * A meta value, `undefined` when none is stored (or in memory mode). Rejects when IndexedDB fails to read it (reported
   * once): a read-change-write must not take a value it could not read for none, and overwrite it.
   */
  readMeta(key: string): Promise<unknown>
  /**
   * Runs `body` on the database, or gives `empty` while the state keeps the page in memory or when `body`
   * fails (reported once). For reads of the store's rarely used code (the export).
   */
  read<T>(empty: T, body: (db: IDBDatabase) => Promise<T>): Promise<T>
  /** The records that are events; each unreadable one is skipped and reported once. */
  readable(records: unknown[]): StoredEvent[]
}

/**
 * Reads through `connection` (nothing while its state keeps the page in memory). A read that fails is
 * reported once and reads as empty; each unreadable record is skipped and reported once.
 */
export function createReader(connection: Connection, report: (error: SegletError) => void): Reader {
  const reportedCorrupt = new Set<string>()

  /** The records that are events. Index assignment, not `push`: a page may have replaced `Array.prototype.push`. */
  const readable = (records: unknown[]): StoredEvent[] => {
    const events: StoredEvent[] = []
    for (const record of records) {
      if (isStoredEvent(record)) {
        events[events.length] = record
        continue
      }
      const key = String((record as { id?: unknown } | null)?.id)
      if (reportedCorrupt.has(key)) continue
      reportedCorrupt.add(key)
      report(new StorageError('storage_corrupt_record', `Unreadable event ${key} skipped`))
    }
    return events
  }

  const read = async <T>(empty: T, body: (db: IDBDatabase) => Promise<T>): Promise<T> => {
    // A database that failed a write (quota) is still worth reading: it holds the shopper's history.
    const db = await connection.read()
    if (!db) return empty
    try {
      return await body(db)
    } catch (error) {
      // Not when the page dropped that connection itself meanwhile (consent withdrawn and given again at once).
      if (connection.db === db) connection.report(toStorageError(error, 'storage_failed', 'Reading IndexedDB failed'))
      // A meta read (no `empty`) rejects: see `readMeta`.
      if (!empty) throw error
      return empty
    }
  }

  return {
    readForFeatures: (since) =>
      read([], async (db) => {
        const tx = db.transaction(EVENTS_STORE, 'readonly')
        const store = tx.objectStore(EVENTS_STORE)
        const byTs = store.index('ts')
        const byType = store.index('type')
        const [recent, purchases, refunds, before] = await Promise.all([
          requestResult(byTs.getAll(IDBKeyRange.lowerBound(since))),
          requestResult(byType.getAll('purchase')),
          requestResult(byType.getAll('refund')),
          requestResult(byTs.openCursor(IDBKeyRange.upperBound(since, true), 'prev')),
          transactionDone(tx),
          // Ended at once, with its reads issued: WebKit keeps a transaction the page has not ended open while the
          // page is in the back/forward cache, locking the shop's other pages out of its stores.
          tx.commit?.(),
        ])
        return readable([...(before ? [before.value] : []), ...purchases, ...refunds, ...recent])
      }),

    readEvents: () =>
      read([], async (db) => {
        const tx = db.transaction(EVENTS_STORE, 'readonly')
        const [records] = await Promise.all([requestResult(tx.objectStore(EVENTS_STORE).getAll()), transactionDone(tx), tx.commit?.()])
        return readable(records)
      }),

    readMeta: (key) =>
      read(undefined, (db) => {
        const tx = db.transaction(META_STORE, 'readonly')
        const value = requestResult(tx.objectStore(META_STORE).get(key))
        tx.commit?.()
        return value
      }),

    read,

    readable,
  }
}
