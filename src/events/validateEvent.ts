import { ValidationError } from '../errors/index'
import { describeValue } from './lib/describeValue'
import { invalid } from './lib/invalid'
import { readCurrency } from './lib/readCurrency'
import { readItems } from './lib/readItems'
import { readNumber } from './lib/readNumber'
import { readPageKey } from './lib/readPageKey'
import { readPageType } from './lib/readPageType'
import { readQuantity } from './lib/readQuantity'
import { readStats } from './lib/readStats'
import { readString } from './lib/readString'
import { readUrl } from './lib/readUrl'
import type { Fields } from './lib/types'
import { EVENT_TYPES } from './types'
import { MAX_PRICE, MAX_STRING_LENGTH, MAX_VISIBLE_MS } from './limits'
import type {
  AddToCartEvent,
  BeginCheckoutEvent,
  PageViewEvent,
  ProductViewEvent,
  RemoveFromCartEvent,
  ShopperEvent,
} from './types'

/**
 * Checks an untrusted value and returns a clean copy of the event: only the known fields, defaults filled in
 * (`quantity: 1`, `purchase.items: []`), `url` reduced to path and query. Optional fields may be `undefined` or
 * `null` (and optional strings `''`) to mean absent. Throws a `ValidationError` (code `invalid_event`) naming the
 * first bad field, and never any other error, whatever the input (Proxies, throwing getters, BigInt, cycles).
 *
 * @example
 * validateEvent({ type: 'add_to_cart', productId: 'sku-1' })
 * // → { type: 'add_to_cart', productId: 'sku-1', quantity: 1 }
 * validateEvent({ type: 'purchase', orderId: 'A1', value: NaN, currency: 'EUR' })
 * // throws ValidationError: purchase.value must be a finite number ≥ 0, got NaN
 */
export function validateEvent(input: unknown): ShopperEvent {
  if (typeof input !== 'object' || input === null) {
    throw new ValidationError(`event must be an object, got ${describeValue(input)}`)
  }
  try {
    const source = input as Fields
    const type = source.type
    switch (type) {
      case 'page_view': {
        const at = 'page_view.'
        const url = readUrl(source, 'url', at)
        const pageType = readPageType(source, 'pageType', at)
        const event: PageViewEvent = { type, url, pageType }
        const stats = readStats(source, 'stats', at)
        const pageKey = readPageKey(source, 'pageKey', at)
        if (stats) event.stats = stats
        if (pageKey) event.pageKey = pageKey
        return event
      }
      case 'product_view': {
        const at = 'product_view.'
        const event: ProductViewEvent = {
          type,
          productId: readString(source, 'productId', at, MAX_STRING_LENGTH.productId, true)!,
        }
        const price = readNumber(source, 'price', at, 0, MAX_PRICE, false)
        const currency = readCurrency(source, 'currency', at, false)
        const category = readString(source, 'category', at, MAX_STRING_LENGTH.category, false)
        if (price !== undefined) event.price = price
        if (currency !== undefined) event.currency = currency
        if (category !== undefined) event.category = category
        return event
      }
      case 'add_to_cart':
      case 'remove_from_cart': {
        const at = type + '.'
        const event: AddToCartEvent | RemoveFromCartEvent = {
          type,
          productId: readString(source, 'productId', at, MAX_STRING_LENGTH.productId, true)!,
          quantity: readQuantity(source, 'quantity', at),
        }
        const price = readNumber(source, 'price', at, 0, MAX_PRICE, false)
        const currency = readCurrency(source, 'currency', at, false)
        if (price !== undefined) event.price = price
        if (currency !== undefined) event.currency = currency
        return event
      }
      case 'begin_checkout': {
        const at = 'begin_checkout.'
        const event: BeginCheckoutEvent = { type }
        const value = readNumber(source, 'value', at, 0, MAX_PRICE, false)
        const currency = readCurrency(source, 'currency', at, false)
        const items = readItems(source, 'items', at, false)
        if (value !== undefined) event.value = value
        if (currency !== undefined) event.currency = currency
        if (items !== undefined) event.items = items
        return event
      }
      case 'purchase':
      case 'refund': {
        const at = type + '.'
        const orderId = readString(source, 'orderId', at, MAX_STRING_LENGTH.orderId, true)!
        const value = readNumber(source, 'value', at, 0, MAX_PRICE, true)!
        const currency = readCurrency(source, 'currency', at, true)!
        if (type === 'purchase') {
          return { type, orderId, value, currency, items: readItems(source, 'items', at, true)! }
        }
        const items = readItems(source, 'items', at, false)
        return items ? { type, orderId, value, currency, items } : { type, orderId, value, currency }
      }
      case 'search':
        return { type, query: readString(source, 'query', 'search.', MAX_STRING_LENGTH.query, true)! }
      case 'engagement': {
        const at = 'engagement.'
        return {
          type,
          url: readUrl(source, 'url', at),
          pageType: readPageType(source, 'pageType', at),
          visibleMs: readNumber(source, 'visibleMs', at, 0, MAX_VISIBLE_MS, true)!,
          scrollDepth: readNumber(source, 'scrollDepth', at, 0, 1, true)!,
        }
      }
      default:
        throw invalid('event.', 'type', `must be one of ${EVENT_TYPES.join(', ')}`, type)
    }
  } catch (error) {
    let ours = false
    try {
      ours = error instanceof ValidationError
    } catch {
      // A thrown Proxy can make even `instanceof` throw.
    }
    if (ours) throw error
    throw new ValidationError('event could not be read: accessing one of its fields threw')
  }
}
