import { ValidationError } from '../errors/index'
import { describeValue } from './lib/describeValue'
import { invalid } from './lib/invalid'
import { amount, currency, text } from './lib/fieldReaders'
import { items } from './lib/readItems'
import { readFields, type FieldReader } from './lib/readFields'
import { readPageKey } from './lib/readPageKey'
import { readPageType } from './lib/readPageType'
import { readQuantity } from './lib/readQuantity'
import { readStats } from './lib/readStats'
import { readUrl } from './lib/readUrl'
import type { Fields } from './lib/types'
import { EVENT_TYPES } from './types'
import { MAX_PRICE, MAX_STRING_LENGTH, MAX_VISIBLE_MS } from './limits'
import type { ShopperEvent, ShopperEventType } from './types'

const price = amount(MAX_PRICE, false)
const cart = { productId: text(MAX_STRING_LENGTH.productId, true), quantity: readQuantity, price, currency: currency(false) }
const order = { orderId: text(MAX_STRING_LENGTH.orderId, true), value: amount(MAX_PRICE, true), currency: currency(true) }

/** Each event type's fields, in the order they are checked (the first bad one is named). */
const FIELDS: Record<ShopperEventType, Record<string, FieldReader>> = {
  page_view: { url: readUrl, pageType: readPageType, stats: readStats, pageKey: readPageKey },
  product_view: { productId: cart.productId, price, currency: cart.currency, category: text(MAX_STRING_LENGTH.category, false) },
  add_to_cart: cart,
  remove_from_cart: cart,
  begin_checkout: { value: price, currency: cart.currency, items: items(false) },
  purchase: { ...order, items: items(true) },
  refund: { ...order, items: items(false) },
  search: { query: text(MAX_STRING_LENGTH.query, true) },
  engagement: { url: readUrl, pageType: readPageType, visibleMs: amount(MAX_VISIBLE_MS, true), scrollDepth: amount(1, true) },
}

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
    const type = source.type as ShopperEventType
    if (!EVENT_TYPES.includes(type)) throw invalid('event.', 'type', `must be one of ${EVENT_TYPES.join(', ')}`, type)
    return readFields(source, FIELDS[type], type + '.', { type }) as unknown as ShopperEvent
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
