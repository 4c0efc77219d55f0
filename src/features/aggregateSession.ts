import type { StoredEvent } from '../events/types'
import { pageGroup } from './pageGroup'
import { DEFAULT_SPECIAL_DAYS, specialDayCloseness } from './specialDayCloseness'
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
  let administrativePages = 0
  let informationalPages = 0
  let productPages = 0
  let pageViews = 0
  // Visible time is summed in whole milliseconds so the sum is exact and independent of order.
  let administrativeMs = 0
  let informationalMs = 0
  let productMs = 0
  let productViews = 0
  let searches = 0
  let cartReached = false
  let checkoutReached = false
  let bounceSum = 0
  let bounceN = 0
  let exitSum = 0
  let exitN = 0
  let valueSum = 0
  let valueN = 0
  let start = Infinity

  for (const event of events) {
    if (event.ts < start) start = event.ts
    switch (event.type) {
      case 'page_view': {
        pageViews++
        const group = pageGroup(event.pageType)
        if (group === 'administrative') administrativePages++
        else if (group === 'informational') informationalPages++
        else if (group === 'product') productPages++
        if (event.pageType === 'cart') cartReached = true
        if (event.pageType === 'checkout') checkoutReached = true
        const stats = event.stats
        if (stats) {
          if (stats.bounceRate !== undefined) { bounceSum += stats.bounceRate; bounceN++ }
          if (stats.exitRate !== undefined) { exitSum += stats.exitRate; exitN++ }
          if (stats.pageValue !== undefined) { valueSum += stats.pageValue; valueN++ }
        }
        break
      }
      case 'engagement': {
        const ms = Math.round(event.visibleMs)
        const group = pageGroup(event.pageType)
        if (group === 'administrative') administrativeMs += ms
        else if (group === 'informational') informationalMs += ms
        else if (group === 'product') productMs += ms
        break
      }
      case 'product_view':
        productViews++
        break
      case 'search':
        searches++
        break
      case 'add_to_cart':
        cartReached = true
        break
      case 'begin_checkout':
      case 'purchase':
        checkoutReached = true
        break
    }
  }

  const date = new Date(Number.isFinite(start) ? start : 0)
  const day = date.getDay()
  return {
    administrativePages,
    administrativeSeconds: administrativeMs / 1000,
    informationalPages,
    informationalSeconds: informationalMs / 1000,
    productPages,
    productSeconds: productMs / 1000,
    pageViews,
    productViews,
    searches,
    cartReached,
    checkoutReached,
    month: date.getMonth(),
    weekend: day === 0 || day === 6,
    specialDay: specialDayCloseness(date.getTime(), options.specialDays ?? DEFAULT_SPECIAL_DAYS),
    returning: options.returning ?? false,
    stats:
      bounceN + exitN + valueN === 0
        ? null
        : {
            bounceRate: bounceN ? bounceSum / bounceN : 0,
            exitRate: exitN ? exitSum / exitN : 0,
            pageValue: valueN ? valueSum / valueN : 0,
          },
  }
}
