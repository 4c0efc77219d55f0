/** Database name used when `StoreOptions.dbName` is not given. */
export const DEFAULT_DB_NAME = 'seglet'

/**
 * Current schema version. Bump it together with a new step in `lib/upgradeDatabase.ts`; never edit an
 * old step, because databases written by it are out there.
 */
export const DB_VERSION = 2

/** Longest wait, in ms, between `enqueue()` and the flush that writes the event. */
export const DEFAULT_FLUSH_DELAY_MS = 1000

/**
 * Longest wait, in ms, for IndexedDB to open before Seglet carries on in memory. Safari 14.1 could leave
 * the first `indexedDB.open()` of a page pending forever (https://bugs.webkit.org/show_bug.cgi?id=226547).
 */
export const OPEN_TIMEOUT_MS = 5000

/** Object store holding `StoredEvent`s, keyed by `id`, indexed by `ts` (v1) and `type` (v2). */
export const EVENTS_STORE = 'events'

/** Key/value object store (v2): cached model packs, the last segment. */
export const META_STORE = 'meta'

/**
 * Longest wait, in ms, for a deletion (`forget()`, consent withdrawn) that another tab blocks by keeping the
 * database open. Past it the call rejects with a `StorageError` (`storage_blocked`); the deletion itself
 * stays queued in the browser and completes as soon as that tab lets go.
 */
export const DELETE_TIMEOUT_MS = 3000

/**
 * Most events written by one transaction. A longer queue is written in slices, one per task, so no write
 * keeps the page busy for long (a 500-event slice takes a few ms in Chromium). The write at `pagehide`
 * is not sliced: the page may not get another task.
 */
export const MAX_EVENTS_PER_WRITE = 500

/**
 * New events a page may queue per second (`StoreOptions.maxEventsPerSecond`), after a burst of
 * `EVENT_BURST_SECONDS` seconds' worth at once (1,000 events by default). Beyond that, events are dropped and
 * reported once (`events_dropped`), so a page that calls `track()` in a loop cannot keep the store busy.
 * Replacing a queued record (the page view's engagement) is not counted.
 */
export const DEFAULT_MAX_EVENTS_PER_SECOND = 20

/** Seconds' worth of `maxEventsPerSecond` a page may queue at once. */
export const EVENT_BURST_SECONDS = 50

/**
 * Meta keys with this prefix hold caches (verified model packs), not data about the shopper: they are left
 * out of `exportData()`. `forget()` deletes them with everything else.
 */
export const CACHE_META_PREFIX = 'cache:'
