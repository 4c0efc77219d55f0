import type { StoredEvent } from '../events/types'
import { countSessionEvent, emptySessionCounts, toSessionAggregate } from './sessionCounts'
import type { FeatureOptions, SessionAggregate } from './types'

/** Options of `aggregateSession()`. */
export interface AggregateSessionOptions extends Pick<FeatureOptions, 'specialDays'> {
  /**
   * Earlier sessions exist in the stored history.
   * @default false
   */
  returning?: boolean
}

/**
 * Folds the events of ONE session into a `SessionAggregate`.
 *
 * Page counts come from `page_view` events, visible time from `engagement` events (`visibleMs / 1000`),
 * both grouped with `pageGroup()`. Page statistics are averaged, per statistic, over the page views that carry
 * it; `stats` is `null` when none does. Month, weekend and special day come from the first event, local time.
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
