import type { IDBPDatabase } from 'idb'
import { OptionsError, SegletError, StorageError } from '../errors/index'
import type { StoredEvent } from '../events/types'
import { applyRetention } from '../privacy/applyRetention'
import type { RetentionPolicy } from '../privacy/retention'
import { EVENTS_STORE, META_STORE, OPEN_TIMEOUT_MS } from './constants'
import { addHideListeners } from './lib/addHideListeners'
import { deleteDatabase } from './lib/deleteDatabase'
import { getIndexedDB } from './lib/getIndexedDB'
import { isStoredEvent } from './lib/isStoredEvent'
import { mergeEvents } from './lib/mergeEvents'
import { openDatabase } from './lib/openDatabase'
import { parseStoreOptions } from './lib/parseStoreOptions'
import { putEvents } from './lib/putEvents'
import type { SegletDBSchema } from './lib/schema'
import { toStorageError } from './lib/toStorageError'
import { whenIdle } from './lib/whenIdle'
import type { EventStore, SegletExport, StorageMode, StoreOptions } from './types'

type Database = IDBPDatabase<SegletDBSchema>

/**
 * Creates the on-device event store. Touches nothing until used: IndexedDB is opened on the first
 * `enqueue()` or read, and only when `persist` is `true`.
 *
 * Failures never reach the caller: when IndexedDB is missing, blocked, over quota, or deleted under the
 * page, the store reports once through `onError` and keeps every event in memory for the rest of the page.
 * Bad options throw an `OptionsError`.
 *
 * @example
 * const store = createStore({ persist: isPersistAllowed(consent), onError: report })
 * store.onFlush(() => recompute())
 * store.enqueue({ type: 'search', query: 'linen shirt', id: nextId(), ts: Date.now() })
 * const events = await store.getEvents()
 */
export function createStore(options: StoreOptions = {}): EventStore {
  const { dbName, flushDelayMs, onError, ...rest } = parseStoreOptions(options)
  const policy: RetentionPolicy = {
    retentionDays: rest.retentionDays,
    purchaseRetentionDays: rest.purchaseRetentionDays,
    maxEvents: rest.maxEvents,
  }

  let persist = rest.persist
  /** IndexedDB failed on this page: memory for the rest of it. */
  let failed = false
  let closed = false
  /**
   * Set by `forget()` until the next event: reads must not open (and so re-create) the database that was
   * just deleted, or a "Forget me" followed by the panel's refresh would leave an empty database behind.
   */
  let forgotten = false
  let storageReported = false
  const reportedCorrupt = new Set<string>()

  /** The open connection. Kept open so a `pagehide` flush can start its transaction synchronously. */
  let db: Database | undefined
  let opening: Promise<Database | undefined> | undefined

  /** Enqueued, not yet handed to a transaction. */
  const queued = new Map<string, StoredEvent>()
  /** Handed to a transaction that has not committed yet (or waiting for the database to open). */
  const inflight = new Map<string, StoredEvent>()
  /** Kept for this page only: persistence off, or IndexedDB failed. */
  const memory = new Map<string, StoredEvent>()
  const memoryMeta = new Map<string, unknown>()
  const pendingWrites = new Set<Promise<void>>()
  const flushListeners = new Set<(events: StoredEvent[]) => void>()
  const writeListeners = new Set<(leaving: boolean) => void>()
  /** Adds a wrapper of `callback` (the same function may subscribe twice); returns its removal. */
  const subscribe = <A>(listeners: Set<(arg: A) => void>, callback: unknown, name: string) => {
    if (typeof callback !== 'function') throw new OptionsError(`${name} callback must be a function`, 'callback')
    const listener = (arg: A) => callback(arg)
    listeners.add(listener)
    return () => {
      listeners.delete(listener)
    }
  }

  let cancelScheduledFlush: (() => void) | undefined
  let removeHideListeners: (() => void) | undefined

  const report = (error: SegletError) => {
    try {
      onError?.(error)
    } catch {
      // A throwing reporter must not break the store (nor the page).
    }
  }

  const reportStorage = (error: StorageError) => {
    if (storageReported) return
    storageReported = true
    report(error)
  }

  const fallBack = (error: StorageError) => {
    failed = true
    reportStorage(error)
  }

  const dropConnection = () => {
    const conn = db
    db = undefined
    conn?.close()
  }

  const ensureDb = (): Promise<Database | undefined> => {
    if (db) return Promise.resolve(db)
    if (!persist || failed || closed) return Promise.resolve(undefined)
    if (opening) return opening
    if (!getIndexedDB()) {
      fallBack(new StorageError('storage_unavailable', 'IndexedDB is not available; events are kept in memory for this page'))
      return Promise.resolve(undefined)
    }
    opening = openDatabase(dbName, OPEN_TIMEOUT_MS, {
      onVersionChange: () => {
        // Another tab deletes (forget) or upgrades the database. Holding on would block it, and reopening
        // would undo a deletion, so this page carries on in memory.
        dropConnection()
        if (persist && !closed) {
          fallBack(new StorageError('storage_unavailable', 'The database was deleted or upgraded by another tab; events are kept in memory for this page'))
        }
      },
      onTerminated: () => {
        db = undefined
        if (persist && !closed) {
          fallBack(new StorageError('storage_unavailable', 'The browser closed the database; events are kept in memory for this page'))
        }
      },
    }).then(
      (conn) => {
        opening = undefined
        // Persistence withdrawn, a failure or close() while opening: do not hold a connection.
        if (!persist || failed || closed) {
          conn.close()
          return undefined
        }
        db = conn
        return conn
      },
      (error: unknown) => {
        opening = undefined
        fallBack(toStorageError(error, 'storage_unavailable', 'IndexedDB could not be opened'))
        return undefined
      },
    )
    return opening
  }

  const callAll = <A>(listeners: Set<(arg: A) => void>, arg: A, name: string) => {
    for (const listener of [...listeners]) {
      try {
        listener(arg)
      } catch (error) {
        report(new SegletError('hook_failed', `${name} callback threw`, { cause: error }))
      }
    }
  }
  const notify = (events: StoredEvent[]) => callAll(flushListeners, events, 'onFlush')

  const settleInflight = (batch: readonly StoredEvent[]) => {
    for (const event of batch) if (inflight.get(event.id) === event) inflight.delete(event.id)
  }

  const keepInMemory = (batch: readonly StoredEvent[]) => {
    for (const event of batch) memory.set(event.id, event)
    settleInflight(batch)
    // The same retention as on disk, so a long page in memory mode stays bounded.
    const kept = applyRetention([...memory.values()], policy, Date.now())
    if (kept.length !== memory.size) {
      memory.clear()
      for (const event of kept) memory.set(event.id, event)
    }
  }

  const writeTo = (conn: Database, batch: StoredEvent[], prune: boolean): Promise<void> => {
    let done: Promise<void>
    try {
      done = putEvents(conn, batch, prune ? { policy, now: Date.now() } : undefined)
    } catch (error) {
      done = Promise.reject(error)
    }
    return done.then(
      () => {
        settleInflight(batch)
        notify(batch)
      },
      (error: unknown) => {
        // Never lose an event: the batch stays in memory for the page.
        fallBack(toStorageError(error, 'storage_failed', 'Writing events to IndexedDB failed'))
        keepInMemory(batch)
        notify(batch)
      },
    )
  }

  /** Hands everything queued to one transaction — synchronously when the database is open. */
  const flushQueued = (prune: boolean): Promise<void> => {
    // Producers first (the page's visible time so far), so what they add is in this write: the flush their
    // enqueue schedules is cancelled below. A hidden page's writes (each enqueue is written in a microtask)
    // call no producer, so one that always enqueues cannot loop; the hide-time write called them already.
    if (queued.size && !isLeaving()) callAll(writeListeners, false, 'beforeWrite')
    cancelScheduledFlush?.()
    cancelScheduledFlush = undefined
    if (queued.size === 0) return Promise.all(pendingWrites).then(() => {})
    const batch = [...queued.values()]
    queued.clear()
    for (const event of batch) inflight.set(event.id, event)

    let write: Promise<void>
    if (db && persist && !failed) {
      write = writeTo(db, batch, prune)
    } else if (persist && !failed && !closed) {
      write = ensureDb().then((conn) => {
        if (conn && persist && !failed) return writeTo(conn, batch, prune)
        keepInMemory(batch)
        notify(batch)
      })
    } else {
      keepInMemory(batch)
      notify(batch)
      write = Promise.resolve()
    }
    pendingWrites.add(write)
    void write.then(() => pendingWrites.delete(write))
    return Promise.all(pendingWrites).then(() => {})
  }

  const scheduleFlush = () => {
    if (cancelScheduledFlush || closed) return
    cancelScheduledFlush = whenIdle(() => {
      cancelScheduledFlush = undefined
      void flushQueued(true)
    }, flushDelayMs)
  }

  // No pruning here: the page may be going away, and the writes must commit first.
  // Set while the page is being hidden or left: events enqueued then (the capture's last engagement event,
  // whose handler may run after ours) are written at once, in a microtask, not on an idle callback that
  // may never come.
  let leaving = false
  let leavingFlush = false
  const onHide = () => {
    // Every other pagehide / visibilitychange handler runs in this same task; the flag ends with it.
    if (!leaving) setTimeout(() => (leaving = false), 0)
    leaving = true
    callAll(writeListeners, true, 'beforeWrite')
    void flushQueued(false)
  }
  const isLeaving = () => leaving || (typeof document !== 'undefined' && document.visibilityState === 'hidden')

  const wipeDatabase = async () => {
    // Let a pending open settle, so its connection is either ours to close or already closed.
    await opening
    await Promise.all(pendingWrites)
    dropConnection()
    if (!getIndexedDB()) return
    try {
      await deleteDatabase(dbName, () => {})
    } catch (error) {
      reportStorage(error as StorageError)
    }
  }

  /** The records that are events; each unreadable one is skipped and reported once. */
  const readable = (records: unknown[]): StoredEvent[] => {
    const events: StoredEvent[] = []
    for (const record of records) {
      if (isStoredEvent(record)) {
        events.push(record)
        continue
      }
      const key = String((record as { id?: unknown } | null)?.id)
      if (reportedCorrupt.has(key)) continue
      reportedCorrupt.add(key)
      report(new StorageError('storage_corrupt_record', `Skipped an unreadable event record (id ${key}): no id, ts or known type`))
    }
    return events
  }

  /** Stored events from `since` on, every purchase and refund, and the latest event before `since`. */
  const readForFeatures = async (since: number): Promise<StoredEvent[]> => {
    const conn = db ?? (forgotten ? undefined : await ensureDb())
    if (!conn) return []
    try {
      const tx = conn.transaction(EVENTS_STORE, 'readonly')
      const byTs = tx.store.index('ts')
      const byType = tx.store.index('type')
      const [recent, purchases, refunds, before] = await Promise.all([
        byTs.getAll(IDBKeyRange.lowerBound(since)),
        byType.getAll('purchase'),
        byType.getAll('refund'),
        byTs.openCursor(IDBKeyRange.upperBound(since, true), 'prev').then((cursor) => (cursor ? [cursor.value] : [])),
        tx.done,
      ])
      return readable([...before, ...purchases, ...refunds, ...recent])
    } catch (error) {
      reportStorage(toStorageError(error, 'storage_failed', 'Reading from IndexedDB failed'))
      return []
    }
  }

  const readStored = async (): Promise<{ events: StoredEvent[]; meta: [string, unknown][] }> => {
    // A database that failed a write (quota) is still worth reading: it holds the shopper's history.
    const conn = db ?? (forgotten ? undefined : await ensureDb())
    if (!conn) return { events: [], meta: [] }
    try {
      const tx = conn.transaction(['events', 'meta'], 'readonly')
      const [records, metaKeys, metaValues] = await Promise.all([
        tx.objectStore('events').getAll(),
        tx.objectStore('meta').getAllKeys(),
        tx.objectStore('meta').getAll(),
        tx.done,
      ])
      return { events: readable(records), meta: metaKeys.map((key, i) => [key, metaValues[i]]) }
    } catch (error) {
      reportStorage(toStorageError(error, 'storage_failed', 'Reading from IndexedDB failed'))
      return { events: [], meta: [] }
    }
  }

  const withUnsaved = (stored: StoredEvent[]): StoredEvent[] => {
    const merged = mergeEvents([stored, memory.values(), inflight.values(), queued.values()])
    return applyRetention(merged, policy, Date.now())
  }

  const getMode = (): StorageMode => (persist && !failed && !closed && getIndexedDB() ? 'indexeddb' : 'memory')

  const checkKey = (key: unknown) => {
    if (typeof key !== 'string' || key === '') throw new OptionsError('meta key must be a non-empty string', 'key')
  }

  return {
    get mode() {
      return getMode()
    },

    enqueue(event) {
      // One malformed record (no id) would make IndexedDB reject the whole batch: drop it here instead.
      if (!isStoredEvent(event)) {
        report(new SegletError('invalid_event', 'enqueue() dropped an event without a string id, a numeric ts or a known type'))
        return
      }
      if (closed) {
        memory.set(event.id, event)
        return
      }
      forgotten = false
      queued.set(event.id, event)
      removeHideListeners ??= addHideListeners(onHide)
      // Open early (off the caller's stack), so a `pagehide` soon after can still write synchronously.
      if (!db && !opening && persist && !failed) void Promise.resolve().then(ensureDb)
      if (isLeaving()) {
        if (!leavingFlush) {
          leavingFlush = true
          queueMicrotask(() => {
            leavingFlush = false
            void flushQueued(false)
          })
        }
        return
      }
      scheduleFlush()
    },

    flush: () => flushQueued(true),

    async getEvents() {
      return withUnsaved((await readStored()).events)
    },

    async getFeatureEvents(since) {
      if (typeof since !== 'number' || Number.isNaN(since)) throw new OptionsError('since must be a time in ms', 'since')
      return withUnsaved(await readForFeatures(since))
    },

    async setPersist(next) {
      if (typeof next !== 'boolean') throw new OptionsError(`persist must be true or false; got ${typeof next}`, 'persist')
      if (next === persist) return
      persist = next
      if (next) {
        for (const event of memory.values()) queued.set(event.id, event)
        memory.clear()
        await flushQueued(true)
        const conn = await ensureDb()
        if (!conn || memoryMeta.size === 0) return
        try {
          const tx = conn.transaction('meta', 'readwrite')
          for (const [key, value] of memoryMeta) void tx.store.put(value, key).catch(() => {})
          await tx.done
          memoryMeta.clear()
        } catch (error) {
          fallBack(toStorageError(error, 'storage_failed', 'Writing meta to IndexedDB failed'))
        }
        return
      }
      // Consent withdrawn: what this page is writing stays with the page, in memory; the rest is deleted.
      for (const event of inflight.values()) memory.set(event.id, event)
      await wipeDatabase()
    },

    async forget() {
      cancelScheduledFlush?.()
      cancelScheduledFlush = undefined
      queued.clear()
      memory.clear()
      memoryMeta.clear()
      forgotten = true
      await wipeDatabase()
      // Writes that were in flight have been deleted with the database.
      inflight.clear()
    },

    async exportData(): Promise<SegletExport> {
      const { events, meta } = await readStored()
      return {
        format: 'seglet-export',
        version: 1,
        exportedAt: new Date().toISOString(),
        storage: getMode(),
        events: withUnsaved(events),
        meta: Object.fromEntries([...meta, ...memoryMeta]),
      }
    },

    onFlush(callback) {
      return subscribe(flushListeners, callback, 'onFlush')
    },

    beforeWrite(callback) {
      return subscribe(writeListeners, callback, 'beforeWrite')
    },

    async getMeta<T>(key: string): Promise<T | undefined> {
      checkKey(key)
      if (memoryMeta.has(key)) return memoryMeta.get(key) as T
      const conn = db ?? (forgotten ? undefined : await ensureDb())
      if (!conn) return undefined
      try {
        return (await conn.get(META_STORE, key)) as T | undefined
      } catch (error) {
        reportStorage(toStorageError(error, 'storage_failed', 'Reading from IndexedDB failed'))
        return undefined
      }
    },

    async setMeta(key, value) {
      checkKey(key)
      const conn = persist && !failed ? await ensureDb() : undefined
      if (conn && persist && !failed) {
        try {
          await conn.put(META_STORE, value, key)
          memoryMeta.delete(key)
          return
        } catch (error) {
          fallBack(toStorageError(error, 'storage_failed', 'Writing meta to IndexedDB failed'))
        }
      }
      memoryMeta.set(key, value)
    },

    async close() {
      if (closed) return
      removeHideListeners?.()
      removeHideListeners = undefined
      await flushQueued(true)
      closed = true
      cancelScheduledFlush?.()
      cancelScheduledFlush = undefined
      // Enqueued while the last flush ran: kept for the page like anything enqueued from now on.
      keepInMemory([...queued.values()])
      queued.clear()
      await opening
      dropConnection()
    },
  }
}
