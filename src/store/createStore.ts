import { clearSegmentHint } from '../personalize/clearSegmentHint'
import type { SegletError } from '../errors/index'
import type { StoredEvent } from '../events/types'
import { applyRetention } from '../privacy/applyRetention'
import { META_STORE } from './constants'
import { createConnection } from './createConnection'
import { createReader } from './createReader'
import { createWriteQueue } from './createWriteQueue'
import { getIndexedDB } from './lib/getIndexedDB'
import { mergeEvents } from './lib/mergeEvents'
import { parseStoreOptions, type ResolvedStoreOptions } from './lib/parseStoreOptions'
import { toStorageError } from './lib/toStorageError'
import { transactionDone } from './lib/transactionDone'
import { withArgumentChecks } from './lib/withArgumentChecks'
import { exportStored } from './lib/exportStored'
import { pruneEvents } from './lib/pruneEvents'
import { loadPruneParts, type PruneSource } from './lib/pruneStored'
import type { EventStore, StoreOptions } from './types'

/**
 * Creates the on-device event store: one connection (whose state says where events go), a write queue and
 * a reader. IndexedDB is opened only when `persist` is `true`: on the first `enqueue()` or read, or when
 * `setPersist(true)` turns persistence on. The page's `pagehide` / `visibilitychange` listeners, which flush, are
 * added at once. With `deleteStored` (consent denied at start) it deletes what earlier visits stored.
 *
 * Failures never reach the caller: when IndexedDB is missing, blocked, over quota, or deleted under the
 * page, the store reports once through `onError` and keeps every event in memory for the rest of the page.
 * Bad options throw an `OptionsError`; a deletion another tab blocks rejects with a `StorageError`.
 *
 * @example
 * const store = createStore({ persist: isPersistAllowed(consent), onError: report })
 * store.onFlush(() => recompute())
 * store.enqueue({ type: 'search', query: 'linen shirt', id: nextId(), ts: Date.now() })
 * const events = await store.getEvents()
 */
export function createStore(options: StoreOptions = {}): EventStore {
  const resolved = parseStoreOptions(options)
  const { onError } = resolved
  const report = (error: SegletError) => {
    try {
      onError?.(error)
    } catch {
      // A throwing reporter must not break the store (nor the page).
    }
  }
  return withArgumentChecks(openStore({ ...resolved, onError: report }, { pruneEvents, exportStored }), report)
}

/**
 * {@link createStore} for Seglet's own calls: options already checked and with their defaults filled in
 * (`withStoreDefaults()`), arguments not checked again, an `onError` that never throws (`createReporter()`),
 * and the retention pass given directly or as a loader (the script tag loads it when a page must prune).
 */
export function openStore(resolved: ResolvedStoreOptions, prune: PruneSource): EventStore {
  const report = resolved.onError ?? (() => {})
  const connection = createConnection(resolved, report)
  const reader = createReader(connection, report)
  const queue = createWriteQueue(connection, resolved, report, prune)
  /** Meta entries kept for this page only (persistence off, or IndexedDB failed), read where IndexedDB holds none. */
  const memoryMeta = new Map<string, unknown>()

  const withUnsaved = (stored: StoredEvent[]): StoredEvent[] =>
    applyRetention(mergeEvents([stored, ...queue.unsaved()]), resolved, Date.now())

  const getMode = () => (connection.state === 'opening' || connection.state === 'open') && getIndexedDB() ? 'indexeddb' : 'memory'

  /**
   * Writes `entries` when persisting, and empties it once they are written. With `keep`, a key stored
   * already keeps its stored value: meta this page set before it could read the database (consent pending)
   * does not replace what earlier visits stored (the holdout draw).
   */
  const writeMeta = async (entries: Map<string, unknown>, keep?: boolean) => {
    const db = await connection.open()
    if (!db || connection.state !== 'open') return
    try {
      const tx = db.transaction(META_STORE, 'readwrite')
      const meta = tx.objectStore(META_STORE)
      // A put that throws (a value that cannot be cloned) is reported below; the transaction's outcome is then
      // never asked for.
      for (const [key, value] of entries) {
        if (keep) meta.add(value, key).onerror = (event) => event.preventDefault()
        else meta.put(value, key)
      }
      // Ended at once (see `readForFeatures`): WebKit would keep it open while the page is in the back/forward cache.
      // Not with `keep`: browsers abort a transaction ended this way when a request in it fails, even one whose error
      // is prevented, as an `add()` of a key stored already is (Chromium, Firefox and WebKit alike; fake-indexeddb not).
      keep || tx.commit?.()
      await transactionDone(tx)
      entries.clear()
    } catch (error) {
      // Reported, but events are still written: a cached file over the quota leaves room for them. The entries
      // stay in memory for the page, read only where IndexedDB holds no value for their key.
      connection.report(toStorageError(error, 'storage_failed', 'Writing meta to IndexedDB failed'))
    }
  }

  return {
    get mode() {
      return getMode()
    },

    enqueue: queue.enqueue,

    flush: queue.flush,

    async getEvents() {
      return withUnsaved(await reader.readEvents())
    },

    async getFeatureEvents(since) {
      return withUnsaved(await reader.readForFeatures(since))
    },

    async setPersist(next) {
      const was = connection.state
      connection.setPersist(next)
      if (next) {
        if (was !== 'memory') return
        queue.persistMemory()
        // Opened now, not at the first write: a page that has queued nothing yet (its page view waits for the
        // bridges part) and is left soon after still has a database for its hide-time write.
        void connection.open()
        await queue.flush()
        if (memoryMeta.size) await writeMeta(memoryMeta, true)
        return
      }
      // Consent withdrawn, in whatever state the connection is: what this page is writing stays with the
      // page, in memory; what is stored is deleted.
      queue.keepInflight()
      await connection.remove()
    },

    async forget() {
      // The segment hint cookie too, whatever the options say now (an earlier page may have written it).
      clearSegmentHint()
      queue.clear()
      memoryMeta.clear()
      // The rest of this page keeps what it tracks in memory, as the shop's other open tabs do, from now on (a
      // deletion another tab blocks takes up to DELETE_TIMEOUT_MS): its page view's visible time so far, and a
      // segment decided now, would otherwise write back what the shopper asked to erase. Consent withdrawn and
      // granted again persists again; so does the next page load, while consent is granted.
      connection.setPersist(false)
      await connection.remove()
      // Again once the database is gone: a decision another tab finished meanwhile may have written it back.
      clearSegmentHint()
    },

    exportData: () => loadPruneParts(prune).then((parts) => parts.exportStored(reader, withUnsaved, memoryMeta, getMode)),

    onFlush: queue.onFlush,

    beforeWrite: queue.beforeWrite,

    async getMeta<T>(key: string): Promise<T | undefined> {
      // What IndexedDB holds wins: a value this page could not store must not hide another tab's later one.
      const stored = await reader.readMeta(key)
      return (stored === undefined ? memoryMeta.get(key) : stored) as T | undefined
    },

    async setMeta(key, value) {
      memoryMeta.set(key, value)
      const entry = new Map([[key, value]])
      await writeMeta(entry)
      return !entry.size && (memoryMeta.get(key) !== value || memoryMeta.delete(key))
    },

    close: queue.close,
  }
}
