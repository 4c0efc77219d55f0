import type { StoredEvent } from '../events/types'
import { countSessionEvent, emptySessionCounts, toSessionAggregate, type SessionContext } from './sessionCounts'
import type { SessionAggregate } from './types'

/** Options of `aggregateSession()`: whether earlier sessions exist and when the last one ended. */
export type AggregateSessionOptions = SessionContext

/**
 * Folds the events of ONE session into a `SessionAggregate`.
 *
 * Page counts come from `page_view` events, visible time from `engagement` events (`visibleMs / 1000`),
 * both grouped with `pageGroup()`. Page statistics are averaged, per statistic, over the page views that carry
 * it; `stats` is `null` when none carries a page value. Month, hour, weekend and special day come from the first
 * event, local time. Cart, product-view and scroll sums as described on `SessionAggregate`.
 *
 * @example
 * const agg = aggregateSession(sessionize(events).pop() ?? [], { returning: true })
 */
export function aggregateSession(events: readonly StoredEvent[], options: AggregateSessionOptions = {}): SessionAggregate {
  const counts = emptySessionCounts()
  let start = Infinity
  for (const event of events) {
    if (event.ts < start) start = event.ts
    countSessionEvent(counts, event, 1)
  }
  return toSessionAggregate(counts, start, options)
}
