import { DAY_MS } from '../lib/time'

/**
 * Limits applied by `validateEvent()`. Anything beyond them is rejected with a `ValidationError`.
 * They bound the work done per event and the bytes kept on the device.
 *
 * @example
 * import { MAX_ITEMS } from 'seglet'
 * const items = cart.lines.slice(0, MAX_ITEMS)
 */

/** Longest accepted string, per field (characters). */
export const MAX_STRING_LENGTH = {
  productId: 128,
  orderId: 128,
  category: 256,
  query: 256,
  pageKey: 100,
} as const

/**
 * Accepted page keys (`<meta name="seglet:page-key" content="product/mug">`): a name the shop declares for a
 * page, never its URL. Letters, digits, `_`, `-`, `.` and `/`, starting with a letter or digit, at most
 * `MAX_STRING_LENGTH.pageKey` characters; no `:`, `?`, `=` or `&`, so an address or a query cannot pass.
 */
export const PAGE_KEY_PATTERN = /^[A-Za-z0-9][\w./-]*$/

/** Longest accepted `url` (characters), checked before and after normalisation. */
export const MAX_URL_LENGTH = 2048

/** Most line items in one `purchase`, `refund` or `begin_checkout`. */
export const MAX_ITEMS = 200

/** Largest quantity of one line; quantities are integers from 1. */
export const MAX_QUANTITY = 10_000

/** Largest accepted amount: unit `price`, order `value` and `stats.pageValue`. */
export const MAX_PRICE = 1e9

/** Longest visible time one `engagement` event may report: 24 hours in milliseconds. */
export const MAX_VISIBLE_MS = DAY_MS

/** Accepted currency codes: ISO 4217 style, three upper-case letters. */
export const CURRENCY_PATTERN = /^[A-Z]{3}$/
