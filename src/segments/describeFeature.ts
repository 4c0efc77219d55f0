import { formatDuration } from './formatDuration'
import { formatNumber } from './formatNumber'
import { plural } from './plural'

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

const percent = (v: number) => `${Math.round(v * 100)}%`
const flag = (v: number, yes: string, no: string) => (v > 0 ? yes : no)

/** Plain words per feature name. Names follow src/features; unknown names fall back to patterns. */
const WORDING: Record<string, (v: number) => string> = {
  product_pages: (v) => `${plural(v, 'product page')} viewed`,
  product_seconds: (v) => `${formatDuration(v)} on product pages`,
  admin_pages: (v) => `${plural(v, 'account page')} viewed`,
  admin_seconds: (v) => `${formatDuration(v)} on account pages`,
  info_pages: (v) => `${plural(v, 'information page')} viewed`,
  info_seconds: (v) => `${formatDuration(v)} on information pages`,
  page_views: (v) => `${plural(v, 'page')} viewed`,
  product_views: (v) => `${plural(v, 'product')} looked at`,
  searches: (v) => plural(v, 'search', 'searches'),
  cart_adds: (v) => `${plural(v, 'item')} added to the cart`,
  cart_reached: (v) => flag(v, 'reached the cart', 'did not reach the cart'),
  checkout_reached: (v) => flag(v, 'reached checkout', 'did not reach checkout'),
  page_value: (v) => `average page value ${formatNumber(v)}`,
  bounce_rate: (v) => `pages with a ${percent(v)} bounce rate`,
  exit_rate: (v) => `pages with a ${percent(v)} exit rate`,
  weekend: (v) => flag(v, 'visiting at the weekend', 'visiting on a weekday'),
  special_day: (v) => flag(v, 'close to a special day', 'not close to a special day'),
  returning: (v) => flag(v, 'returning visitor', 'first visit'),
  recency_days: (v) => (Math.round(v) <= 0 ? 'last order today' : `last order ${plural(v, 'day')} ago`),
  frequency: (v) => plural(v, 'past order'),
  monetary: (v) => `${formatNumber(v)} spent in past orders`,
  tenure_days: (v) => `first order ${plural(v, 'day')} ago`,
  average_order_value: (v) => `${formatNumber(v)} per order on average`,
  distinct_products: (v) => `${plural(v, 'different product')} bought`,
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
    if (pages) return `${plural(value, `${pages[1].replace(/_/g, ' ')} page`)} viewed`
    const seconds = /^(.+)_seconds$/.exec(name)
    if (seconds) return `${formatDuration(value)} on ${seconds[1].replace(/_/g, ' ')}`
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
