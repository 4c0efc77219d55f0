import { withDefaults } from '../../lib/withDefaults'
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
  return withDefaults(options, {
    dbName: DEFAULT_DB_NAME,
    persist: false,
    deleteStored: false,
    maxEventsPerSecond: DEFAULT_MAX_EVENTS_PER_SECOND,
    retentionDays: DEFAULT_RETENTION_DAYS,
    purchaseRetentionDays: DEFAULT_PURCHASE_RETENTION_DAYS,
    maxEvents: DEFAULT_MAX_EVENTS,
    flushDelayMs: DEFAULT_FLUSH_DELAY_MS,
  })
}
