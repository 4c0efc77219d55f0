import type { ErrorReporter } from '../../errors/index'
import { OptionsError } from '../../errors/index'
import { parseBoolean } from '../../privacy/lib/parseBoolean'
import { DEFAULT_DB_NAME } from '../constants'
import type { StoreOptions } from '../types'
import { withStoreDefaults } from './withStoreDefaults'

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
  if (options.maxEvents !== 0) positive(options.maxEvents, 0, 'maxEvents', true)
  const { maxEvents } = options
  if (maxEvents !== undefined && Number.isFinite(maxEvents) && !Number.isInteger(maxEvents)) {
    throw new OptionsError(`maxEvents must be an integer; got ${maxEvents}`, 'maxEvents')
  }
  if (options.flushDelayMs !== 0) positive(options.flushDelayMs, 0, 'flushDelayMs', false)
  parseBoolean(options.persist, false, 'persist')
  parseBoolean(options.deleteStored, false, 'deleteStored')
  for (const field of ['maxEventsPerSecond', 'retentionDays', 'purchaseRetentionDays'] as const) positive(options[field], 0, field, true)
  return withStoreDefaults(options)
}
