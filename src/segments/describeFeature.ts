import { formatDuration } from './formatDuration'
import { formatNumber } from './formatNumber'
import { plural } from './plural'

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

const percent = (v: number) => `${Math.round(v * 100)}%`
// Nothing counted reads "no account pages viewed", not "0 account pages viewed".
const viewed = (noun: string) => (v: number) => (Math.round(v) > 0 ? `${plural(v, noun)} viewed` : `no ${noun}s viewed`)
const timeOn = (where: string) => (v: number) => (v >= 0.5 ? `${formatDuration(v)} on ${where}` : `no time on ${where}`)
const flag = (v: number, yes: string, no: string) => (v > 0 ? yes : no)

/** Plain words per feature name; unknown names fall back to the patterns in `describeFeature`. */
const WORDING: Record<string, (v: number) => string> = {
  // Session features (src/features SESSION_FEATURE_NAMES).
  administrative_pages: viewed('account page'),
  administrative_seconds: timeOn('account pages'),
  informational_pages: viewed('information page'),
  informational_seconds: timeOn('information pages'),
  product_pages: viewed('product page'),
  product_seconds: timeOn('product pages'),
  product_seconds_per_page: (v) => `${formatDuration(v)} per product page`,
  total_pages: viewed('page'),
  total_seconds: timeOn('the site'),
  // A cyclic month encoding: one component alone does not name a month.
  month_sin: () => 'the time of year',
  month_cos: () => 'the time of year',
  weekend: (v) => flag(v, 'visiting at the weekend', 'visiting on a weekday'),
  special_day: (v) => flag(v, 'close to a special day', 'not close to a special day'),
  returning: (v) => flag(v, 'returning visitor', 'first visit'),
  has_stats: (v) => flag(v, "the shop's page statistics", 'no page statistics from the shop'),
  bounce_rate: (v) => `pages with a ${percent(v)} bounce rate`,
  exit_rate: (v) => `pages with a ${percent(v)} exit rate`,
  page_value: (v) => `average page value ${formatNumber(v)}`,
  page_value_positive: (v) => flag(v, 'visited pages that often lead to a purchase', 'no pages that usually lead to a purchase'),
  // Lifetime features (src/features LIFETIME_FEATURE_NAMES).
  recency_days: (v) => (Math.round(v) <= 0 ? 'last order today' : `last order ${plural(v, 'day')} ago`),
  frequency: (v) => (Math.round(v) > 0 ? plural(v, 'past order') : 'no past orders'),
  monetary: (v) => `${formatNumber(v)} spent in past orders`,
  average_basket: (v) => `${formatNumber(v)} per order on average`,
  tenure_days: (v) => `first order ${plural(v, 'day')} ago`,
  orders_last_90_days: (v) => `${plural(v, 'order')} in the last 90 days`,
  active_days: (v) => `shopped on ${plural(v, 'day')}`,
  days_per_order: (v) => `an order every ${plural(v, 'day')}`,
  distinct_products: (v) => `${plural(v, 'different product')} bought`,
  returns: (v) => plural(v, 'return'),
  return_value: (v) => `${formatNumber(v)} returned`,
  // Short aliases, should the feature names change.
  admin_pages: viewed('account page'),
  admin_seconds: timeOn('account pages'),
  info_pages: viewed('information page'),
  info_seconds: timeOn('information pages'),
  searches: (v) => plural(v, 'search', 'searches'),
  cart_reached: (v) => flag(v, 'reached the cart', 'did not reach the cart'),
  checkout_reached: (v) => flag(v, 'reached checkout', 'did not reach checkout'),
}

/**
 * One feature in plain words, for the explanation and the transparency panel.
 *
 * @example
 * describeFeature('product_pages', 8)      // '8 product pages viewed'
 * describeFeature('product_seconds', 360)  // '6 min on product pages'
 * describeFeature('returning', 1)          // 'returning visitor'
 * describeFeature('frequency', 3)          // '3 past orders'
 * describeFeature('month_nov', 1)          // 'visiting in November'
 * describeFeature('unknown_thing', 2.5)    // 'unknown thing: 2.5'
 */
export function describeFeature(name: string, value: number): string {
  const words = WORDING[name]
  if (words && Number.isFinite(value)) return words(value)
  const month = monthOf(name)
  if (month && Number.isFinite(value)) return flag(value, `visiting in ${month}`, `not visiting in ${month}`)
  const readable = name.replace(/_/g, ' ')
  if (Number.isFinite(value)) {
    const pages = /^(.+)_pages$/.exec(name)
    if (pages) return viewed(`${pages[1].replace(/_/g, ' ')} page`)(value)
    const seconds = /^(.+)_seconds$/.exec(name)
    if (seconds) return timeOn(seconds[1].replace(/_/g, ' '))(value)
  }
  return `${readable}: ${formatNumber(value)}`
}

/** `month_nov`, `month_november`, `month_11` → 'November'; anything else → null. */
function monthOf(name: string): string | null {
  const m = /^month_(.+)$/.exec(name)
  if (!m) return null
  const key = m[1].toLowerCase()
  const byNumber = /^\d{1,2}$/.test(key) ? MONTHS[Number(key) - 1] : undefined
  return byNumber ?? MONTHS.find((month) => month.toLowerCase().startsWith(key) && key.length >= 3) ?? null
}
