import type { OptionValues } from './options'
import { validateOptions } from '../src/options/validateOptions'
import type { RetentionPolicy } from '../src/privacy/retention'
import { withStoreDefaults } from '../src/store/lib/withStoreDefaults'
import { DataError } from './dataError'

/** The flags of the shop's `storage` options, with the option each one mirrors. */
export const RETENTION_FLAGS = [
  ['retention-days', 'retentionDays'],
  ['purchase-retention-days', 'purchaseRetentionDays'],
  ['max-events', 'maxEvents'],
] as const

/**
 * How long the shop's browsers keep events (its `storage` options `retentionDays`, `purchaseRetentionDays`,
 * `maxEvents`) from `--retention-days <days>`, `--purchase-retention-days <days>` and `--max-events <n>`, the
 * values the shop gives the browser, checked by the browser's own option table and completed with the browser's
 * own defaults (30 days, 730 days, 5,000 events): a session's features are computed from the history its
 * shopper's browser still holds, not from the whole export.
 *
 * @example
 * retentionOptions({ 'retention-days': '7' }) // { retentionDays: 7, purchaseRetentionDays: 730, maxEvents: 5000 }
 */
export function retentionOptions(args: OptionValues): RetentionPolicy {
  const storage: Partial<RetentionPolicy> = {}
  for (const [flag, key] of RETENTION_FLAGS) {
    const value = args[flag]
    if (value === undefined) continue
    if (typeof value !== 'string') throw new DataError(`--${flag} needs a value`)
    storage[key] = value.trim() === '' ? NaN : Number(value)
    // The browser's own check of the option (its limits live in src/options, once).
    try {
      validateOptions({ storage: { [key]: storage[key] } })
    } catch (error) {
      throw new DataError(`--${flag}: ${(error as Error).message}`)
    }
  }
  const { retentionDays, purchaseRetentionDays, maxEvents } = withStoreDefaults(storage)
  return { retentionDays, purchaseRetentionDays, maxEvents }
}

/** `history as the browser keeps it: events 30 days (at most 5000), purchases and refunds 730 days`, for provenance. */
export function describeRetention(policy: RetentionPolicy): string {
  const cap = Number.isFinite(policy.maxEvents) ? ` (at most ${policy.maxEvents})` : ''
  return `history as the browser keeps it: events ${policy.retentionDays} days${cap}, purchases and refunds ${policy.purchaseRetentionDays} days`
}
