import type { StoredEvent } from '../events/types'
import type { LifetimeAggregate } from './types'
import { DAY_MS } from '../lib/time'

/** Window of `ordersLast90Days`, in days. */
export const RECENT_ORDER_DAYS = 90

/**
 * Folds stored `purchase` and `refund` events into the RFM view. Events after `now` are ignored; purchases
 * are deduplicated by `orderId` (a reloaded thank-you page must not count twice). Values are summed as they are:
 * a shop uses one currency.
 *
 * @example
 * const rfm = aggregateLifetime(events, Date.now())
 * rfm.recencyDays // days since the last order
 */
export function aggregateLifetime(events: readonly StoredEvent[], now: number): LifetimeAggregate {
  const orders = new Map<string, { ts: number; value: number }>()
  const products = new Set<string>()
  let returns = 0
  let returnValue = 0
  for (const event of events) {
    if (event.ts > now) continue
    if (event.type === 'purchase') {
      const seen = orders.get(event.orderId)
      if (!seen || event.ts < seen.ts) orders.set(event.orderId, { ts: event.ts, value: event.value })
      for (const item of event.items) products.add(item.productId)
    } else if (event.type === 'refund') {
      returns++
      returnValue += event.value
    }
  }

  let monetary = 0
  let first = Infinity
  let last = -Infinity
  let recent = 0
  const days = new Set<number>()
  for (const { ts, value } of orders.values()) {
    monetary += value
    if (ts < first) first = ts
    if (ts > last) last = ts
    if (now - ts < RECENT_ORDER_DAYS * DAY_MS) recent++
    const d = new Date(ts)
    days.add(d.getFullYear() * 400 + d.getMonth() * 32 + d.getDate())
  }
  const n = orders.size
  return {
    orders: n,
    monetary,
    averageBasket: n ? monetary / n : 0,
    recencyDays: n ? (now - last) / DAY_MS : 0,
    tenureDays: n ? (now - first) / DAY_MS : 0,
    ordersLast90Days: recent,
    activeDays: days.size,
    distinctProducts: products.size,
    returns,
    returnValue,
  }
}
