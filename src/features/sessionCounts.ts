import type { StoredEvent } from '../events/types'
import { pageGroup } from './pageGroup'
import { DEFAULT_SPECIAL_DAYS, nearestSpecialDay } from './specialDayCloseness'
import type { FeatureOptions, SessionAggregate } from './types'
import { DAY_MS } from '../lib/time'

/**
 * The running sums behind a `SessionAggregate`: every event adds its share, and an event replaced by a newer
 * version of itself (the page's engagement record) takes its share back out. Visible time is kept in whole
 * milliseconds, money in whole cents, scroll depth in thousandths, flags and categories as counts, so adding
 * and removing is exact.
 */
export interface SessionCounts {
  administrativePages: number
  informationalPages: number
  productPages: number
  pageViews: number
  administrativeMs: number
  informationalMs: number
  productMs: number
  productViews: number
  searches: number
  cartReached: number
  checkoutReached: number
  bounceSum: number
  bounceN: number
  exitSum: number
  exitN: number
  valueSum: number
  valueN: number
  itemsAdded: number
  itemsRemoved: number
  addedCents: number
  removedCents: number
  viewedCents: number
  pricedViews: number
  /** Product views per category. */
  categories: Map<string, number>
  scrollThousandths: number
  engagements: number
}

const cents = (price: number | undefined) => (price !== undefined && Number.isFinite(price) ? Math.round(price * 100) : 0)

/** Empty running sums. */
export const emptySessionCounts = (): SessionCounts => ({
  administrativePages: 0,
  informationalPages: 0,
  productPages: 0,
  pageViews: 0,
  administrativeMs: 0,
  informationalMs: 0,
  productMs: 0,
  productViews: 0,
  searches: 0,
  cartReached: 0,
  checkoutReached: 0,
  bounceSum: 0,
  bounceN: 0,
  exitSum: 0,
  exitN: 0,
  valueSum: 0,
  valueN: 0,
  itemsAdded: 0,
  itemsRemoved: 0,
  addedCents: 0,
  removedCents: 0,
  viewedCents: 0,
  pricedViews: 0,
  categories: new Map(),
  scrollThousandths: 0,
  engagements: 0,
})

/**
 * Adds (`sign` 1) or removes (`sign` -1) one event's share. Page counts come from `page_view` events, visible
 * time from `engagement` events, both grouped with `pageGroup()`; page statistics are summed per statistic
 * over the page views that carry it.
 */
export function countSessionEvent(c: SessionCounts, event: StoredEvent, sign: 1 | -1): void {
  switch (event.type) {
    case 'page_view': {
      c.pageViews += sign
      const group = pageGroup(event.pageType)
      if (group === 'administrative') c.administrativePages += sign
      else if (group === 'informational') c.informationalPages += sign
      else if (group === 'product') c.productPages += sign
      if (event.pageType === 'cart') c.cartReached += sign
      if (event.pageType === 'checkout') c.checkoutReached += sign
      const stats = event.stats
      if (stats) {
        if (stats.bounceRate !== undefined) { c.bounceSum += sign * stats.bounceRate; c.bounceN += sign }
        if (stats.exitRate !== undefined) { c.exitSum += sign * stats.exitRate; c.exitN += sign }
        if (stats.pageValue !== undefined) { c.valueSum += sign * stats.pageValue; c.valueN += sign }
      }
      break
    }
    case 'engagement': {
      const ms = sign * Math.round(event.visibleMs)
      const group = pageGroup(event.pageType)
      if (group === 'administrative') c.administrativeMs += ms
      else if (group === 'informational') c.informationalMs += ms
      else if (group === 'product') c.productMs += ms
      c.scrollThousandths += sign * Math.round(event.scrollDepth * 1000)
      c.engagements += sign
      break
    }
    case 'product_view': {
      c.productViews += sign
      if (event.price !== undefined) { c.viewedCents += sign * cents(event.price); c.pricedViews += sign }
      if (event.category !== undefined) {
        const n = (c.categories.get(event.category) ?? 0) + sign
        if (n > 0) c.categories.set(event.category, n)
        else c.categories.delete(event.category)
      }
      break
    }
    case 'search':
      c.searches += sign
      break
    case 'add_to_cart':
      c.cartReached += sign
      c.itemsAdded += sign * event.quantity
      c.addedCents += sign * event.quantity * cents(event.price)
      break
    case 'remove_from_cart':
      c.itemsRemoved += sign * event.quantity
      c.removedCents += sign * event.quantity * cents(event.price)
      break
    case 'begin_checkout':
    case 'purchase':
      c.checkoutReached += sign
      break
  }
}

/** What a session's aggregate needs beyond its own events. */
export interface SessionContext extends Pick<FeatureOptions, 'specialDays'> {
  /**
   * Earlier sessions exist in the stored history.
   * @default false
   */
  returning?: boolean
  /**
   * Time of the last event before this session, in ms (for `daysSincePreviousSession`).
   * @default undefined (no earlier session)
   */
  previousEnd?: number
}

/**
 * The `SessionAggregate` of running sums. Month, hour, weekend and special day come from `start`, the
 * session's first event, in local time. Page statistics are the means over the page views that carry them;
 * `stats` is `null` when none carries a page value, and a rate none carries is left out.
 */
export function toSessionAggregate(c: SessionCounts, start: number, options: SessionContext = {}): SessionAggregate {
  const date = new Date(Number.isFinite(start) ? start : 0)
  const day = date.getDay()
  const special = nearestSpecialDay(date.getTime(), options.specialDays ?? DEFAULT_SPECIAL_DAYS)
  return {
    administrativePages: c.administrativePages,
    administrativeSeconds: c.administrativeMs / 1000,
    informationalPages: c.informationalPages,
    informationalSeconds: c.informationalMs / 1000,
    productPages: c.productPages,
    productSeconds: c.productMs / 1000,
    pageViews: c.pageViews,
    productViews: c.productViews,
    searches: c.searches,
    cartReached: c.cartReached > 0,
    checkoutReached: c.checkoutReached > 0,
    productsAdded: c.itemsAdded,
    productsRemoved: c.itemsRemoved,
    cartValue: Math.max(0, c.addedCents - c.removedCents) / 100,
    viewedPriceLevel: c.pricedViews > 0 ? Math.round(c.viewedCents / c.pricedViews) / 100 : 0,
    distinctCategories: c.categories.size,
    scrollDepth: c.engagements > 0 ? Math.round(c.scrollThousandths / c.engagements) / 1000 : 0,
    daysSincePreviousSession:
      options.previousEnd !== undefined && Number.isFinite(options.previousEnd) && Number.isFinite(start)
        ? Math.max(0, start - options.previousEnd) / DAY_MS
        : 0,
    hour: date.getHours(),
    month: date.getMonth(),
    weekend: day === 0 || day === 6,
    specialDay: special.closeness,
    ...(special.name ? { specialDayName: special.name } : {}),
    returning: options.returning ?? false,
    // Statistics count only with a page value: the shipped session network reads the rates without one worse than
    // no statistics at all (README, "Page statistics").
    stats: c.valueN
      ? {
          ...(c.bounceN ? { bounceRate: c.bounceSum / c.bounceN } : {}),
          ...(c.exitN ? { exitRate: c.exitSum / c.exitN } : {}),
          pageValue: c.valueSum / c.valueN,
        }
      : null,
  }
}
