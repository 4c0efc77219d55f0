import { DAY_MS } from '../lib/time'

/** Days a raw event (everything but purchases and refunds) is kept. */
export const DEFAULT_RETENTION_DAYS = 30

/**
 * Days purchase and refund events are kept. Lifetime features (order count, monetary value, days since
 * the last order) need order history; two years covers a yearly buying cycle twice.
 */
export const DEFAULT_PURCHASE_RETENTION_DAYS = 730

/** Most raw (non-purchase, non-refund) events kept; the oldest go first. About 1 MB of IndexedDB at most. */
export const DEFAULT_MAX_EVENTS = 5000

/** One day in milliseconds. */
export { DAY_MS }

/** How long events are kept. Every field is required here; `StoreOptions` fills in the defaults. */
export interface RetentionPolicy {
  /** Days a raw event is kept. */
  retentionDays: number
  /** Days a purchase or refund is kept. */
  purchaseRetentionDays: number
  /** Most raw events kept. */
  maxEvents: number
}

/**
 * How far ahead of the device's clock an event's `ts` may be. An event stamped later (a clock that was set
 * years ahead, then corrected) is not accepted by the store, is never read, and is pruned from IndexedDB,
 * so it cannot count in later sessions or push real events out of `maxEvents`.
 */
export const MAX_CLOCK_SKEW_MS = DAY_MS
