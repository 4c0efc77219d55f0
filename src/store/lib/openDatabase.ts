import { openDB, type IDBPDatabase } from 'idb'
import { StorageError } from '../../errors/index'
import { DB_VERSION } from '../constants'
import type { SegletDBSchema } from './schema'
import { toStorageError } from './toStorageError'
import { upgradeDatabase } from './upgradeDatabase'

/** What the open connection tells its owner about later. */
export interface OpenDatabaseCallbacks {
  /** Another context wants to delete or upgrade the database: the connection must be closed. */
  onVersionChange: () => void
  /** The browser closed the connection abnormally (storage cleared, disk error). */
  onTerminated: () => void
}

/**
 * Opens (creating or upgrading) the Seglet database. Rejects with a `StorageError` when the open errors,
 * is blocked by another tab holding an older version, or takes longer than `timeoutMs`; a connection
 * that arrives after giving up is closed at once, so it never blocks anyone.
 */
export function openDatabase(
  name: string,
  timeoutMs: number,
  callbacks: OpenDatabaseCallbacks,
): Promise<IDBPDatabase<SegletDBSchema>> {
  return new Promise((resolve, reject) => {
    let settled = false
    const giveUp = (error: StorageError) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      reject(error)
    }
    const timer = setTimeout(() => {
      giveUp(new StorageError('storage_unavailable', `IndexedDB did not open within ${timeoutMs} ms`))
    }, timeoutMs)
    try {
      openDB<SegletDBSchema>(name, DB_VERSION, {
        upgrade: (db, oldVersion, newVersion, tx) => {
          upgradeDatabase(db as unknown as IDBPDatabase, oldVersion, newVersion, tx as never)
        },
        blocked: () => {
          giveUp(new StorageError('storage_unavailable', 'IndexedDB upgrade is blocked by another tab holding an older version'))
        },
        blocking: () => callbacks.onVersionChange(),
        terminated: () => callbacks.onTerminated(),
      }).then(
        (db) => {
          if (settled) {
            db.close()
            return
          }
          settled = true
          clearTimeout(timer)
          resolve(db)
        },
        (error: unknown) => giveUp(toStorageError(error, 'storage_unavailable', 'IndexedDB could not be opened')),
      )
    } catch (error) {
      giveUp(toStorageError(error, 'storage_unavailable', 'IndexedDB could not be opened'))
    }
  })
}
