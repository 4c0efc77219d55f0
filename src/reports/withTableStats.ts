import type { StoredEvent } from '../events/types'
import type { PageStatsTable } from './pageStatsTable'
import { pageStatsOf } from './pageStatsTable'

/**
 * The events with page statistics from the table on each page view that has a page key in it: each statistic the
 * page view does not carry of its own (the page's `<meta name="seglet:page-stats">` and the `pageStats` option
 * come first) is taken from the table, so a page whose own statistics give its rates gets the table's page value,
 * which a session's statistics need. The stored events are not changed.
 *
 * @example
 * const features = computeFeatures(withTableStats(events, table), Date.now())
 */
export function withTableStats(events: readonly StoredEvent[], table: PageStatsTable): StoredEvent[] {
  return events.map((event) => {
    if (event.type !== 'page_view') return event
    const stats = pageStatsOf(table, event.pageKey)
    return stats ? { ...event, stats: { ...stats, ...event.stats } } : event
  })
}
