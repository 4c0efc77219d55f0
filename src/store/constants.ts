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
