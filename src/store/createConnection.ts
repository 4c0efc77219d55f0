import { SegletError, StorageError, type ErrorReporter } from '../errors/index'
import { DELETE_TIMEOUT_MS, OPEN_TIMEOUT_MS } from './constants'
import { deleteDatabase } from './lib/deleteDatabase'
import { getIndexedDB } from './lib/getIndexedDB'
import { openDatabase } from './lib/openDatabase'
import type { ResolvedStoreOptions } from './lib/parseStoreOptions'
import { toStorageError } from './lib/toStorageError'

export type Database = IDBDatabase

/**
 * Where the store keeps events, as one value:
 * - `'memory'`: persistence is off (consent pending or denied). IndexedDB is neither opened nor read.
 * - `'opening'`: persistence is on; the database opens at the first use.
 * - `'open'`: events are written to IndexedDB.
 * - `'failed'`: IndexedDB failed on this page (reported once): memory for the rest of it. A database that is
 *   still connected (a write of events hit the quota) is read, never written. A failed meta write (a
 *   cached file over the quota) is only reported: its entries stay in memory (read where IndexedDB holds none for
 *   their key), events are still written.
 * - `'closed'`: `close()` was called: memory only.
 */
export type ConnectionState = 'memory' | 'opening' | 'open' | 'failed' | 'closed'

/** The store's one IndexedDB connection and its state. Created by {@link createConnection}. */
export interface Connection {
  readonly state: ConnectionState
  /** The connection when there is one: writes start on it synchronously (a `pagehide` write must). */
  readonly db: Database | undefined
  /** The open database is one this page's open created: it held nothing before this page wrote to it. */
  readonly created: boolean
  /** The database to write to, opened if needed; `undefined` means memory. */
  open(): Promise<Database | undefined>
  /**
   * The database to read from: the one still connected in state `failed` (a write hit the quota), else as `open()`.
   * Never re-creates a database this page deleted: `forget()` and withdrawn consent leave the state `memory`.
   */
  read(): Promise<Database | undefined>
  /** Consent changed: `false` drops the connection (state `memory`); `true` persists again, unless failed or closed. */
  setPersist(persist: boolean): void
  /** IndexedDB failed: reported once, memory from now on. */
  fail(error: unknown, code: 'storage_unavailable' | 'storage_failed', message: string): void
  /** A failure that does not change the state (a read, a deletion): reported once. */
  report(error: StorageError): void
  /**
   * Deletes the database from disk, whatever the state. Rejects with a `StorageError` (`storage_blocked`
   * after `DELETE_TIMEOUT_MS`, `storage_failed`); a blocked deletion still completes when the block clears.
   * Resolves with whether there was a database.
   */
  remove(): Promise<boolean>
  /** Flushing is the write queue's: this drops the connection; memory from now on. */
  close(): Promise<void>
}

/**
 * Creates the store's connection in state `'opening'` (`persist`) or `'memory'`. Touches IndexedDB only when
 * used, except to delete the stored history when `deleteStored` says consent was denied at start.
 */
export function createConnection(
  { dbName, persist, deleteStored }: Pick<ResolvedStoreOptions, 'dbName' | 'persist' | 'deleteStored'>,
  report: ErrorReporter,
): Connection {
  let state: ConnectionState = persist ? 'opening' : 'memory'
  let db: Database | undefined
  let createdDb: Database | undefined
  let opening: Promise<Database | undefined> | undefined
  let reported = false

  const reportOnce = (error: StorageError) => {
    if (reported) return
    reported = true
    report(error)
  }

  const drop = () => {
    db?.close()
    db = undefined
  }

  const fail: Connection['fail'] = (error, code, message) => {
    if (state === 'open' || state === 'opening') state = 'failed'
    reportOnce(toStorageError(error, code, message))
  }

  const open = (): Promise<Database | undefined> => {
    if (state !== 'opening') return Promise.resolve(state === 'open' ? db : undefined)
    if (!getIndexedDB()) {
      fail(undefined, 'storage_unavailable', 'No IndexedDB: events are kept in memory')
      return Promise.resolve(undefined)
    }
    // An open issued while a deletion is still pending (blocked by another tab) waits behind it.
    return (opening ??= openDatabase(dbName, OPEN_TIMEOUT_MS, {
      onCreated: (conn) => (createdDb = conn),
      // Another tab deletes (forget) or upgrades the database. Holding on would block it, and reopening
      // would undo a deletion, so this page carries on in memory.
      onVersionChange: () => lose('Another tab deleted or upgraded IndexedDB'),
      onTerminated: () => lose('The browser closed IndexedDB'),
    })
      .then(
        (conn) => {
          // Persistence withdrawn, a failure or close() while opening: do not hold a connection.
          if (state !== 'opening') {
            conn.close()
            return undefined
          }
          state = 'open'
          return (db = conn)
        },
        (error: unknown) => {
          fail(error, 'storage_unavailable', 'IndexedDB could not be opened')
          return undefined
        },
      )
      .finally(() => (opening = undefined)))
  }

  /** The connection went away under the page: memory from now on, reported unless persistence was off already. */
  const lose = (why: string) => {
    drop()
    if (state === 'open') fail(undefined, 'storage_unavailable', `${why}; events are kept in memory`)
  }

  /** Deletes the database; resolves with whether there was one. */
  const remove = async (): Promise<boolean> => {
    // Called in state `memory` (persistence turned off first, by both callers, so nothing writes the database
    // back meanwhile), `failed` or `closed`. Let a pending open settle, so its connection is either ours to close
    // or already closed. Without one, the deletion is requested at once: an open that consent granted again in
    // the same task waits behind it.
    if (opening) await opening
    drop()
    // Persistence turned on again while that open settled (consent withdrawn and granted again): it opened the
    // connection dropped here, so the next write opens a new one, behind the deletion.
    if (state === 'open') state = 'opening'
    return !!getIndexedDB() && deleteDatabase(dbName, DELETE_TIMEOUT_MS)
  }

  if (deleteStored) {
    // A start with consent denied (or Global Privacy Control) withdraws consent given on an earlier visit.
    remove().then((existed) => {
      if (existed) report(new SegletError('data_deleted', 'Consent denied: stored data deleted'))
    }, reportOnce)
  }

  return {
    get state() {
      return state
    },
    get db() {
      return db
    },
    get created() {
      return !!db && db === createdDb
    },
    open,
    read: () => (db ? Promise.resolve(db) : open()),
    setPersist(next) {
      if (state === 'failed' || state === 'closed') return
      if (next) {
        if (state === 'memory') state = 'opening'
        return
      }
      state = 'memory'
      drop()
    },
    fail,
    report: reportOnce,
    remove,
    async close() {
      state = 'closed'
      await opening
      drop()
    },
  }
}
