export { createStore } from './createStore'
export type { EventStore, SegletExport, StorageMode, StoreOptions } from './types'
export { DB_VERSION, DEFAULT_DB_NAME, DEFAULT_FLUSH_DELAY_MS, OPEN_TIMEOUT_MS } from './constants'
export { DEFAULT_MAX_EVENTS, DEFAULT_PURCHASE_RETENTION_DAYS, DEFAULT_RETENTION_DAYS } from '../privacy/retention'
