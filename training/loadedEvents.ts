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
