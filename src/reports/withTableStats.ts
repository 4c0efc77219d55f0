import type { StoredEvent } from '../events/types'
import type { PageStatsTable } from './pageStatsTable'
import { pageStatsOf } from './pageStatsTable'

/**
 * The events with page statistics from the table on each page view that has a page key in it and carries no
 * statistics of its own (the page's `<meta name="seglet:page-stats">` and the `pageStats` option come first).
 * The stored events are not changed.
 *
 * @example
 * const features = computeFeatures(withTableStats(events, table), Date.now())
 */
export function withTableStats(events: readonly StoredEvent[], table: PageStatsTable): StoredEvent[] {
  return events.map((event) => {
    if (event.type !== 'page_view' || event.stats) return event
    const stats = pageStatsOf(table, event.pageKey)
    return stats ? { ...event, stats } : event
  })
}
