import { formatNumber } from '../lib/formatNumber'
import { plural } from '../lib/plural'
import type { FeatureDefinition, LifetimeAggregate } from './types'

/**
 * Every lifetime feature, once (the RFM view of the stored orders, UCI Online Retail): name, transform,
 * how it is read from the `LifetimeAggregate`, and how it is said to a shopper.
 */
export const LIFETIME_FEATURES: readonly FeatureDefinition<LifetimeAggregate>[] = [
  { name: 'recency_days', transform: 'log1p', publicData: true, read: (a) => a.recencyDays, describe: (v) => (Math.round(v) <= 0 ? 'last order today' : `last order ${plural(v, 'day')} ago`) },
  { name: 'frequency', transform: 'log1p', publicData: true, read: (a) => a.orders, describe: (v) => (Math.round(v) > 0 ? plural(v, 'past order') : 'no past orders') },
  { name: 'monetary', transform: 'log1p', publicData: true, read: (a) => Math.max(0, a.monetary), describe: (v) => (v > 0 ? `${formatNumber(v)} spent in past orders` : 'nothing spent in past orders') },
  { name: 'average_basket', transform: 'log1p', publicData: true, read: (a) => Math.max(0, a.averageBasket), describe: (v) => `${formatNumber(v)} per order on average` },
  { name: 'tenure_days', transform: 'log1p', publicData: true, read: (a) => a.tenureDays, describe: (v) => (Math.round(v) <= 0 ? 'first order today' : `first order ${plural(v, 'day')} ago`) },
  { name: 'orders_last_90_days', transform: 'log1p', publicData: true, read: (a) => a.ordersLast90Days, describe: (v) => (Math.round(v) > 0 ? `${plural(v, 'order')} in the last 90 days` : 'no orders in the last 90 days') },
  { name: 'active_days', transform: 'log1p', publicData: true, read: (a) => a.activeDays, describe: (v) => (Math.round(v) > 0 ? `shopped on ${plural(v, 'day')}` : 'no day with an order') },
  {
    name: 'days_per_order', transform: 'log1p', publicData: true,
    read: (a) => (a.orders > 1 ? a.tenureDays / (a.orders - 1) : a.tenureDays),
    // Read alone, the value cannot tell one order from several: words true of both (one order 30 days ago, or
    // three in 60 days, are one order per 30 days), and no "every 0 days" for orders on one day or none.
    describe: (v) => (Math.round(v) <= 0 ? 'no days between orders' : `one order per ${plural(v, 'day')}`),
  },
  { name: 'distinct_products', transform: 'log1p', publicData: true, read: (a) => a.distinctProducts, describe: (v) => (Math.round(v) > 0 ? `${plural(v, 'different product')} bought` : 'no products bought') },
  { name: 'returns', transform: 'log1p', publicData: true, read: (a) => a.returns, describe: (v) => (Math.round(v) > 0 ? plural(v, 'return') : 'no returns') },
  { name: 'return_value', transform: 'log1p', publicData: true, read: (a) => Math.max(0, a.returnValue), describe: (v) => (v > 0 ? `${formatNumber(v)} returned` : 'nothing returned') },
]
