import type { ErrorReporter } from '../errors/index'
import type { StoredEvent } from '../events/types'

/** Where the store keeps events right now. */
export type StorageMode = 'indexeddb' | 'memory'

/**
 * Options of `createStore()`. Every field is optional.
 *
 * Retention: raw events (everything but purchases and refunds) older than `retentionDays` are pruned,
 * and beyond `maxEvents` the oldest raw events go first; purchases and refunds are kept for
 * `purchaseRetentionDays` because lifetime features (order count, spend, recency) need them. Pruning runs
 * in each idle flush's transaction, and `getEvents()` applies the same rules to what it returns, in
 * memory mode too.
 */
export interface StoreOptions {
  /**
   * IndexedDB database name. One per shop origin is enough; tests use a fresh one each.
   * @default 'seglet'
   */
  dbName?: string
  /**
   * Days raw events are kept.
   * @default DEFAULT_RETENTION_DAYS (30)
   */
  retentionDays?: number
  /**
   * Days purchase and refund events are kept, for lifetime features.
   * @default DEFAULT_PURCHASE_RETENTION_DAYS (730)
   */
  purchaseRetentionDays?: number
  /**
   * Most raw (non-purchase, non-refund) events kept; the oldest are pruned first. `Infinity` for no cap.
   * @default DEFAULT_MAX_EVENTS (5000)
   */
  maxEvents?: number
  /**
   * Longest time in ms between `enqueue()` and the flush: the flush runs when the browser is idle
   * (`requestIdleCallback` with this timeout) or after this delay where idle callbacks are missing.
   * @default DEFAULT_FLUSH_DELAY_MS (1000)
   */
  flushDelayMs?: number
  /**
   * Write events to IndexedDB. `false` keeps them in memory for the page only. Pass
   * `isPersistAllowed(consent)`; change it later with `setPersist()`.
   * @default false (nothing is persisted until consent says so)
   */
  persist?: boolean
  /**
   * Consent was denied at start (or Global Privacy Control is on): a withdrawal. What earlier visits stored is
   * deleted at once, and the deletion is reported once through `onError` (code `data_deleted`).
   * @default false
   */
  deleteStored?: boolean
  /**
   * New events accepted per second, after a burst of `EVENT_BURST_SECONDS` times as many at once (1,000).
   * Beyond that, events are dropped and reported once (code `events_dropped`). `Infinity` for no limit.
   * @default DEFAULT_MAX_EVENTS_PER_SECOND (20)
   */
  maxEventsPerSecond?: number
  /**
   * Receives storage failures (once per store: after the first, Seglet carries on in memory) and
   * unreadable records (once each). Never called with anything thrown into the page.
   * @default undefined (failures are swallowed)
   */
  onError?: ErrorReporter
}

/**
 * What `exportData()` returns: everything Seglet keeps about this shopper, JSON-serialisable.
 *
 * @example
 * const blob = new Blob([JSON.stringify(await seglet.exportData())], { type: 'application/json' })
 */
export interface SegletExport {
  format: 'seglet-export'
  /** Version of this export format. */
  version: 1
  /** When the export was made, ISO 8601. */
  exportedAt: string
  /** Where the events were kept when exported. */
  storage: StorageMode
  /** Every event kept, oldest first. */
  events: StoredEvent[]
  /** Every meta entry kept about the shopper (the last segment); caches such as model packs are left out. */
  meta: Record<string, unknown>
}

/**
 * On-device event storage: batched IndexedDB writes, retention, consent-driven persistence, an in-memory
 * fallback, and a small key/value `meta` store. Create one with `createStore()`.
 *
 * Methods never throw storage failures at the caller: they are reported through `onError` and the store
 * carries on in memory for the page. Only bad arguments throw (`OptionsError`).
 *
 * @example
 * const off = store.onFlush(async () => render(await store.getEvents()))
 * await store.setPersist(false) // consent withdrawn: the database is deleted
 */
export interface EventStore {
  /** `'indexeddb'` while events are persisted; `'memory'` when persistence is off or IndexedDB failed. */
  readonly mode: StorageMode
  /**
   * Queues `event` and schedules a flush. Synchronous and cheap: no I/O on the caller's stack.
   * An event without a string `id`, a numeric `ts` or a known `type` is dropped and reported (`invalid_event`).
   */
  enqueue(event: StoredEvent): void
  /**
   * Writes every queued event in one transaction (and prunes), or moves them to memory in memory mode.
   * Resolves when they are written or safely kept in memory, including earlier in-flight flushes. Never rejects.
   */
  flush(): Promise<void>
  /**
   * Every event kept: persisted (by any tab), in flight, queued and in memory; deduplicated by id,
   * sorted by `ts`, with retention applied. Unreadable records are skipped and reported.
   */
  getEvents(): Promise<StoredEvent[]>
  /**
   * What features need when the current session began after `since`, read through the indexes instead of
   * reading everything: every event from `since` on, every purchase and refund, and the latest event
   * before `since` (it tells a returning shopper). Unsaved events are included and retention is applied,
   * as in `getEvents()`. Cheap whatever the history's length.
   *
   * @example
   * const events = await store.getFeatureEvents(Date.now() - 6 * 3600_000)
   */
  getFeatureEvents(since: number): Promise<StoredEvent[]>
  /**
   * Turns persistence on or off. On: the database starts opening, and this page's in-memory events and meta are
   * written. Off (consent withdrawn): writing stops and the database is deleted; this page's unsaved events stay in
   * memory.
   * After a storage failure the page stays in memory: turning persistence on does not retry IndexedDB.
   * Turning it off deletes in every state (memory, opening, open, failed, closed): it rejects with a
   * `StorageError` (`storage_blocked`) when another tab blocks the deletion for `DELETE_TIMEOUT_MS`; the
   * browser completes it when that tab lets go.
   */
  setPersist(persist: boolean): Promise<void>
  /**
   * Deletes everything: queued and in-memory events, meta, the database itself and the segment hint cookie
   * (`personalize.segmentHint`), whatever the options say now. Persistence is turned off for the rest of the
   * page (events tracked from now on are kept in memory; `setPersist(true)` turns it on again), so nothing the
   * page held before comes back. Rejects like `setPersist(false)` when another tab blocks the deletion.
   */
  forget(): Promise<void>
  /** Everything kept about the shopper, as JSON-serialisable data (for a shopper's data-access request). */
  exportData(): Promise<SegletExport>
  /**
   * Calls `callback` with each batch after it is written (or, in memory mode, kept). Returns an unsubscribe
   * function. A callback that throws is reported (`hook_failed`) and does not affect the others.
   */
  onFlush(callback: (events: StoredEvent[]) => void): () => void
  /**
   * Calls `callback` right before the store hands what is queued to a write (not when nothing is queued,
   * unless the page is being hidden or left), so events it enqueues (the page's visible time so far) go into
   * that write. `leaving` is `true` for the write at `pagehide` or when the page becomes hidden: the store listens
   * for both from its creation until `close()`, and flushes then. Returns an unsubscribe function. A callback that throws is reported (`hook_failed`) and does not stop the write.
   */
  beforeWrite(callback: (leaving: boolean) => void): () => void
  /**
   * Reads a meta value: the one IndexedDB holds, else this page's unstored one (in memory mode, or after a failed
   * write). A value this page could not store never hides one another tab stored. Rejects when IndexedDB fails to
   * read the value (reported once through `onError` as `storage_failed`), so that no read-change-write takes a value
   * it could not read for none and overwrites it.
   */
  getMeta<T = unknown>(key: string): Promise<T | undefined>
  /**
   * Writes a meta value; it must be structured-cloneable and, for `exportData()`, JSON-serialisable. Resolves
   * to `true` once it is stored in IndexedDB, `false` when only this page keeps it (in memory mode, or the write
   * failed: reported through `onError`).
   */
  setMeta(key: string, value: unknown): Promise<boolean>
  /**
   * Flushes what is queued, then removes the page listeners and closes the connection. Later events are
   * kept in memory only.
   */
  close(): Promise<void>
}
