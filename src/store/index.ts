export { createStore } from './createStore'
export type { EventStore, SegletExport, StorageMode, StoreOptions } from './types'
export type { ConnectionState } from './createConnection'
export {
  CACHE_META_PREFIX,
  DB_VERSION,
  DEFAULT_DB_NAME,
  DEFAULT_FLUSH_DELAY_MS,
  DEFAULT_MAX_EVENTS_PER_SECOND,
  DELETE_TIMEOUT_MS,
  EVENT_BURST_SECONDS,
  MAX_EVENTS_PER_WRITE,
  OPEN_TIMEOUT_MS,
} from './constants'
export { DEFAULT_MAX_EVENTS, DEFAULT_PURCHASE_RETENTION_DAYS, DEFAULT_RETENTION_DAYS, MAX_CLOCK_SKEW_MS } from '../privacy/retention'
