import type { StoredEvent } from '../src/events/types'

/** The formats the training loaders read. */
export type EventsFormat = 'seglet' | 'ga4' | 'shopify'

/** Events of every shopper, from any loader, ready for `eventSessions()` / `eventCustomers()`. */
export interface LoadedEvents {
  format: EventsFormat
  /** Events per shopper, in time order. */
  byShopper: Map<string, StoredEvent[]>
  /** Rows (lines, orders) read. */
  rows: number
  /** Rows or events left out, by reason (`invalid purchase`, `ignored session_start`, …). */
  skipped: Record<string, number>
}

/** ` (skipped: 3 invalid purchase, …)` for a log line, or nothing when nothing was left out. */
export function skippedNote(skipped: Record<string, number>): string {
  const parts = Object.entries(skipped).map(([why, n]) => `${n} ${why}`)
  return parts.length > 0 ? ` (skipped: ${parts.join(', ')})` : ''
}

/**
 * Why a shop's orders give no customer for a lifetime pack, in one line: no paid order was read at all (with
 * what was skipped, and why), or none falls before the cutoff (`cutoffDate`, as the shop's local date).
 */
export function noCustomersMessage(source: string, loaded: LoadedEvents, cutoffDate: () => string, cutoffGiven: boolean): string {
  const orders = [...loaded.byShopper.values()].some((list) => list.some((e) => e.type === 'purchase'))
  if (!orders) return `${source}: no paid order read from ${loaded.rows} ${loaded.format} row${loaded.rows === 1 ? '' : 's'}${skippedNote(loaded.skipped)}`
  const how = cutoffGiven ? 'pass an earlier --cutoff' : 'the cutoff is 90 days before the newest event, for repeat orders to be seen after it: export a longer period or pass --cutoff'
  return `${source}: no customer with an order before the cutoff ${cutoffDate()}${skippedNote(loaded.skipped)}; ${how}`
}
