import { DEFAULT_MAX_EVENTS, DEFAULT_PURCHASE_RETENTION_DAYS, DEFAULT_RETENTION_DAYS } from '../../privacy/retention'
import { DEFAULT_DB_NAME, DEFAULT_FLUSH_DELAY_MS, DEFAULT_MAX_EVENTS_PER_SECOND } from '../constants'
import type { StoreOptions } from '../types'
import type { ResolvedStoreOptions } from './parseStoreOptions'

/**
 * Fills in the default of every store option left out. It checks nothing: `parseStoreOptions()` calls it
 * after its own checks, and `createSeglet()` with options that `validateOptions()` already checked against
 * the option table (whose storage entries are at least as strict).
 *
 * @example
 * withStoreDefaults({ retentionDays: 7 }).maxEvents // 5000
 */
export function withStoreDefaults(options: StoreOptions): ResolvedStoreOptions {
  return {
    dbName: options.dbName ?? DEFAULT_DB_NAME,
    persist: options.persist ?? false,
    deleteStored: options.deleteStored ?? false,
    onError: options.onError,
    maxEventsPerSecond: options.maxEventsPerSecond ?? DEFAULT_MAX_EVENTS_PER_SECOND,
    retentionDays: options.retentionDays ?? DEFAULT_RETENTION_DAYS,
    purchaseRetentionDays: options.purchaseRetentionDays ?? DEFAULT_PURCHASE_RETENTION_DAYS,
    maxEvents: options.maxEvents ?? DEFAULT_MAX_EVENTS,
    flushDelayMs: options.flushDelayMs ?? DEFAULT_FLUSH_DELAY_MS,
  }
}
