import { formatDuration } from '../lib/formatDuration'
import { formatNumber } from '../lib/formatNumber'
import { plural } from '../lib/plural'
import type { FeatureDefinition, SessionAggregate } from './types'
import { flag, percent, timeOn, viewed } from './wording'

/** The months' keys in the one-hot features' names (`month_jan`), January first. */
export const MONTH_KEYS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

const totalPages = (a: SessionAggregate) => a.administrativePages + a.informationalPages + a.productPages
const angle = (value: number, period: number) => (2 * Math.PI * value) / period
/** An hour component's words: its span where the component is the larger of the two (≥ 0.7 either way), else none. */
const hourSpan = (high: string, low: string) => (v: number) => (v >= 0.7 ? high : v <= -0.7 ? low : 'the time of day')

/**
 * Every session feature, once: its name (what a pack's feature spec lists), its transform before
 * normalisation (log1p for counts, durations and money), how it is read from the `SessionAggregate`, and how
 * it is said to a shopper. Names, transforms, the vector and the panel wording are all derived from this
 * table; a pack reads the features it names.
 *
 * The first 31 are the UCI Online Shoppers columns (`publicData: true`), which the shipped pack reads. Page
 * statistics are 0 when missing and `has_stats` says whether they were present (a session has them when one of its
 * page views has a page value), so one model serves shops with and without statistics. The month is given twice: as a point on the circle (smooth) and one-hot (purchase
 * rates jump between neighbouring months; a month absent from training has zero weights). The rest are
 * behaviour Seglet captures that the public data lacks: a pack trained on a shop's own sessions reads them.
 *
 * The words say what is counted: the `product` page group (`home`, `category`, `product`, `search`, `cart`,
 * `checkout`) is "shopping pages", since a home page is in it and a `product_view` is not; the page total adds
 * the three groups only, so it names them ("shopping, account or information pages"), and `product_views`
 * counts events ("2 product views"), not distinct products.
 */
export const SESSION_FEATURES: readonly FeatureDefinition<SessionAggregate>[] = [
  { name: 'administrative_pages', transform: 'log1p', publicData: true, read: (a) => a.administrativePages, describe: viewed('account page') },
  { name: 'administrative_seconds', transform: 'log1p', publicData: true, read: (a) => a.administrativeSeconds, describe: timeOn('account pages') },
  { name: 'informational_pages', transform: 'log1p', publicData: true, read: (a) => a.informationalPages, describe: viewed('information page') },
  { name: 'informational_seconds', transform: 'log1p', publicData: true, read: (a) => a.informationalSeconds, describe: timeOn('information pages') },
  { name: 'product_pages', transform: 'log1p', publicData: true, read: (a) => a.productPages, describe: viewed('shopping page') },
  { name: 'product_seconds', transform: 'log1p', publicData: true, read: (a) => a.productSeconds, describe: timeOn('shopping pages') },
  {
    name: 'product_seconds_per_page', transform: 'log1p', publicData: true,
    read: (a) => a.productSeconds / Math.max(1, a.productPages),
    // 0 without time on shopping pages (or without any); under half a second a page is no "0 s per shopping page".
    describe: (v) => (v >= 0.5 ? `${formatDuration(v)} per shopping page` : v > 0 ? 'under 1 s per shopping page' : 'no time on shopping pages'),
  },
  { name: 'total_pages', transform: 'log1p', publicData: true, read: totalPages, describe: viewed('shopping, account or information page') },
  {
    name: 'total_seconds', transform: 'log1p', publicData: true,
    read: (a) => a.administrativeSeconds + a.informationalSeconds + a.productSeconds,
    describe: timeOn('shopping, account and information pages'),
  },
  // A cyclic encoding: one component alone does not name a month.
  { name: 'month_sin', transform: 'identity', publicData: true, read: (a) => Math.sin(angle(a.month, 12)), describe: () => 'the time of year' },
  { name: 'month_cos', transform: 'identity', publicData: true, read: (a) => Math.cos(angle(a.month, 12)), describe: () => 'the time of year' },
  { name: 'weekend', transform: 'identity', publicData: true, read: (a) => (a.weekend ? 1 : 0), describe: flag('visiting at the weekend', 'visiting on a weekday') },
  { name: 'special_day', transform: 'identity', publicData: true, read: (a) => a.specialDay, describe: flag('close to a special day', 'not close to a special day') },
  { name: 'returning', transform: 'identity', publicData: true, read: (a) => (a.returning ? 1 : 0), describe: flag('returning visitor', 'first visit') },
  { name: 'has_stats', transform: 'identity', publicData: true, read: (a) => (a.stats ? 1 : 0), describe: flag('page statistics from the shop', 'no page statistics from the shop') },
  { name: 'bounce_rate', transform: 'identity', publicData: true, read: (a) => a.stats?.bounceRate ?? 0, describe: (v) => `pages with a ${percent(v)} bounce rate` },
  { name: 'exit_rate', transform: 'identity', publicData: true, read: (a) => a.stats?.exitRate ?? 0, describe: (v) => `pages with a ${percent(v)} exit rate` },
  { name: 'page_value', transform: 'log1p', publicData: true, read: (a) => a.stats?.pageValue ?? 0, describe: (v) => `average page value ${formatNumber(v)}` },
  {
    name: 'page_value_positive', transform: 'identity', publicData: true,
    read: (a) => (a.stats && a.stats.pageValue > 0 ? 1 : 0),
    // A page value above 0: in the shop's statistics, visits went on from the page to a purchase (how many, it
    // does not say).
    describe: flag('visited pages that shoppers viewed on their way to a purchase', 'no pages that shoppers viewed on their way to a purchase'),
  },
  ...MONTH_KEYS.map((key, m): FeatureDefinition<SessionAggregate> => ({
    name: `month_${key}`, transform: 'identity', publicData: true,
    read: (a) => (a.month === m ? 1 : 0),
    describe: flag(`visiting in ${MONTHS[m]}`, `not visiting in ${MONTHS[m]}`),
  })),
  // Behaviour Seglet captures; the public data has none of it.
  {
    name: 'products_added', transform: 'log1p', publicData: false, read: (a) => a.productsAdded,
    describe: (v) => (Math.round(v) > 0 ? `${plural(v, 'item')} added to the cart` : 'nothing added to the cart'),
  },
  {
    name: 'products_removed', transform: 'log1p', publicData: false, read: (a) => a.productsRemoved,
    describe: (v) => (Math.round(v) > 0 ? `${plural(v, 'item')} taken out of the cart` : 'nothing taken out of the cart'),
  },
  {
    name: 'cart_value', transform: 'log1p', publicData: false, read: (a) => a.cartValue,
    describe: (v) => (v > 0 ? `${formatNumber(v)} added to the cart` : 'no value in the cart'),
  },
  { name: 'cart_reached', transform: 'identity', publicData: false, read: (a) => (a.cartReached ? 1 : 0), describe: flag('reached the cart', 'did not reach the cart') },
  { name: 'checkout_reached', transform: 'identity', publicData: false, read: (a) => (a.checkoutReached ? 1 : 0), describe: flag('reached checkout', 'did not reach checkout') },
  { name: 'searches', transform: 'log1p', publicData: false, read: (a) => a.searches, describe: (v) => (Math.round(v) > 0 ? plural(v, 'search', 'searches') : 'no searches') },
  { name: 'product_views', transform: 'log1p', publicData: false, read: (a) => a.productViews, describe: (v) => (Math.round(v) > 0 ? plural(v, 'product view') : 'no products viewed') },
  {
    name: 'viewed_price_level', transform: 'log1p', publicData: false, read: (a) => a.viewedPriceLevel,
    describe: (v) => (v > 0 ? `viewed products priced ${formatNumber(v)} on average` : 'no prices seen'),
  },
  {
    name: 'distinct_categories', transform: 'log1p', publicData: false, read: (a) => a.distinctCategories,
    describe: (v) => (Math.round(v) > 0 ? `products from ${plural(v, 'category', 'categories')}` : 'no product categories seen'),
  },
  {
    name: 'scroll_depth', transform: 'identity', publicData: false, read: (a) => a.scrollDepth,
    // 0 also when no page's scrolling was recorded: "no scrolling seen", not "scrolled 0% down".
    describe: (v) => (Math.round(v * 100) > 0 ? `pages scrolled ${percent(v)} down on average` : 'no scrolling seen'),
  },
  {
    name: 'days_since_previous_session', transform: 'log1p', publicData: false, read: (a) => a.daysSincePreviousSession,
    // Under a day is not always the same calendar day (an evening's visit, back the next morning).
    describe: (v) => (v <= 0 ? 'no earlier visit' : v < 1 ? 'back within a day' : `back after ${plural(v, 'day')}`),
  },
  // Cyclic, as the month: one component alone does not name an hour, but the larger of the two (the one an
  // explanation gives, sessionFeatureGroups()) names a six-hour span, whose bounds are both the span's.
  {
    name: 'hour_sin', transform: 'identity', publicData: false, read: (a) => Math.sin(angle(a.hour, 24)),
    describe: hourSpan('visiting in the early morning (3:00–9:00)', 'visiting in the late afternoon or evening (15:00–21:00)'),
  },
  {
    name: 'hour_cos', transform: 'identity', publicData: false, read: (a) => Math.cos(angle(a.hour, 24)),
    describe: hourSpan('visiting at night (21:00–3:00)', 'visiting around midday (9:00–15:00)'),
  },
]
