import type { ErrorReporter } from '../../errors/index'
import { OptionsError } from '../../errors/index'
import { parseBoolean } from '../../privacy/lib/parseBoolean'
import { DEFAULT_MAX_EVENTS, DEFAULT_PURCHASE_RETENTION_DAYS, DEFAULT_RETENTION_DAYS } from '../../privacy/retention'
import { DEFAULT_DB_NAME, DEFAULT_FLUSH_DELAY_MS, DEFAULT_MAX_EVENTS_PER_SECOND } from '../constants'
import type { StoreOptions } from '../types'

/** `StoreOptions` with every default filled in. */
export type ResolvedStoreOptions = Required<Omit<StoreOptions, 'onError'>> & { onError?: ErrorReporter }

const positive = (value: unknown, fallback: number, field: string, allowInfinity: boolean): number => {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0 || (!allowInfinity && !Number.isFinite(value))) {
    throw new OptionsError(`${field} must be a positive number${allowInfinity ? ' or Infinity' : ''}; got ${String(value)}`, field)
  }
  return value
}

/** Checks `options` and fills in defaults; throws an `OptionsError` naming the bad field. */
export function parseStoreOptions(options: StoreOptions): ResolvedStoreOptions {
  if (typeof options !== 'object' || options === null) throw new OptionsError('store options must be an object', 'options')
  const { dbName = DEFAULT_DB_NAME, onError } = options
  if (typeof dbName !== 'string' || dbName === '') throw new OptionsError('dbName must be a non-empty string', 'dbName')
  if (onError !== undefined && typeof onError !== 'function') throw new OptionsError('onError must be a function', 'onError')
  const maxEvents = options.maxEvents === 0 ? 0 : positive(options.maxEvents, DEFAULT_MAX_EVENTS, 'maxEvents', true)
  if (Number.isFinite(maxEvents) && !Number.isInteger(maxEvents)) {
    throw new OptionsError(`maxEvents must be an integer; got ${maxEvents}`, 'maxEvents')
  }
  const flushDelayMs = options.flushDelayMs === 0 ? 0 : positive(options.flushDelayMs, DEFAULT_FLUSH_DELAY_MS, 'flushDelayMs', false)
  return {
    dbName,
    persist: parseBoolean(options.persist, false, 'persist'),
    deleteStored: parseBoolean(options.deleteStored, false, 'deleteStored'),
    onError,
    maxEventsPerSecond: positive(options.maxEventsPerSecond, DEFAULT_MAX_EVENTS_PER_SECOND, 'maxEventsPerSecond', true),
    retentionDays: positive(options.retentionDays, DEFAULT_RETENTION_DAYS, 'retentionDays', true),
    purchaseRetentionDays: positive(options.purchaseRetentionDays, DEFAULT_PURCHASE_RETENTION_DAYS, 'purchaseRetentionDays', true),
    maxEvents,
    flushDelayMs,
  }
}
