import { StorageError } from '../../errors/index'
import { DB_VERSION } from '../constants'
import { upgradeDatabase } from './upgradeDatabase'

/** What the open connection tells its owner about later. */
export interface OpenDatabaseCallbacks {
  /** Another context wants to delete or upgrade the database: the connection must be closed. */
  onVersionChange: () => void
  /** The browser closed the connection abnormally (storage cleared, disk error). */
  onTerminated: () => void
  /** This open creates the database `db`: it held nothing before. */
  onCreated: (db: IDBDatabase) => void
}

/**
 * Opens (creating or upgrading) the Seglet database. Rejects when the open errors (the browser's error), or
 * with a `StorageError` when another tab holding an older version blocks it or it takes longer than `timeoutMs`; a connection
 * that arrives after giving up is closed at once, so it never blocks anyone.
 */
export function openDatabase(name: string, timeoutMs: number, callbacks: OpenDatabaseCallbacks): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    let settled = false
    const giveUp = (error: unknown) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      // The connection turns it into a StorageError (storage_unavailable).
      reject(error)
    }
    // The error is made only when the time is up: an Error (its stack, the message's redaction) on every
    // start would be work and memory for a case that almost never comes.
    const timer = setTimeout(() => giveUp(new StorageError('storage_unavailable', `IndexedDB did not open within ${timeoutMs} ms`)), timeoutMs)
    try {
      const request = indexedDB.open(name, DB_VERSION)
      request.onupgradeneeded = (event) => {
        if (!event.oldVersion) callbacks.onCreated(request.result)
        upgradeDatabase(request.result, event.oldVersion, request.transaction as IDBTransaction)
      }
      request.onblocked = () => giveUp(new StorageError('storage_unavailable', 'Another tab blocked the IndexedDB upgrade'))
      request.onerror = () => giveUp(request.error)
      request.onsuccess = () => {
        const db = request.result
        if (settled) return db.close()
        settled = true
        clearTimeout(timer)
        db.onversionchange = callbacks.onVersionChange
        db.onclose = callbacks.onTerminated
        resolve(db)
      }
    } catch (error) {
      giveUp(error)
    }
  })
}
