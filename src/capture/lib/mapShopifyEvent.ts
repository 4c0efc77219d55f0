import type { normalizeUrl } from '../../events/lib/normalizeUrl'
import type { PageType } from '../../events/types'
import { mapShopifyLineItems, mapShopifyVariant } from './mapShopifyLineItems'
import { prop } from './prop'
import { toAmount } from './toAmount'
import { toCurrency } from './toCurrency'
import { toId } from './toId'

/**
 * The Shopify Web Pixels standard events `shopifyEvent()` maps; every other name is ignored. (A pixel itself runs
 * in Shopify's sandbox and cannot reach the page's Seglet: the events come from code in the page.)
 *
 * @example
 * if (SHOPIFY_EVENT_NAMES.some((name) => name === event.name)) seglet.shopifyEvent(event)
 */
export const SHOPIFY_EVENT_NAMES = [
  'page_viewed', 'product_viewed', 'collection_viewed', 'product_added_to_cart', 'checkout_started',
  'checkout_completed', 'search_submitted',
] as const

/**
 * Maps one Shopify Web Pixels event (`{ name, data, context }`) to unvalidated Seglet events, or `null` for
 * names Seglet does not use.
 *
 * - `page_viewed` → `page_view` of `context.document.location`, page type from the URL rules (a pixel runs
 *   in a sandbox and cannot read the shop's DOM).
 * - `collection_viewed` → `page_view` with page type `category` (dropped when that URL already had one).
 * - `product_viewed` → `product_view` (product id, else variant id; variant price; product type).
 * - `product_added_to_cart` → `add_to_cart` from `cartLine` (`merchandise`, `quantity`).
 * - `checkout_started` → `begin_checkout`; `checkout_completed` → `purchase` (`order.id`, else the checkout
 *   `token`), both with `totalPrice` and `lineItems`.
 * - `search_submitted` → `search` with `searchResult.query`.
 *
 * `pageTypeOf` and `normalize` are the capture's URL rules and URL normaliser (passed in, so the bridges'
 * file does not carry a second copy of them).
 */
export function mapShopifyEvent(event: unknown, pageTypeOf: (url: string) => PageType, normalize: typeof normalizeUrl): unknown[] | null {
  const name = prop(event, 'name')
  const data = prop(event, 'data')
  switch (name) {
    case 'page_viewed':
    case 'collection_viewed': {
      const location = prop(prop(prop(event, 'context'), 'document'), 'location')
      const href = prop(location, 'href')
      const url = typeof href === 'string' && href.length <= 4096 ? normalize(href) : undefined
      const pageType = name === 'collection_viewed' ? 'category' : url ? pageTypeOf(url) : 'other'
      return [{ type: 'page_view', url: url ?? href, pageType }]
    }
    case 'product_viewed': {
      const variant = prop(data, 'productVariant')
      return [{ type: 'product_view', ...mapShopifyVariant(variant), currency: toCurrency(prop(prop(variant, 'price'), 'currencyCode')) }]
    }
    case 'product_added_to_cart': {
      const line = prop(data, 'cartLine')
      const merchandise = prop(line, 'merchandise')
      return [{
        type: 'add_to_cart',
        ...mapShopifyVariant(merchandise, prop(line, 'quantity')),
        currency: toCurrency(prop(prop(merchandise, 'price'), 'currencyCode') ?? prop(prop(prop(line, 'cost'), 'totalAmount'), 'currencyCode')),
      }]
    }
    case 'checkout_started':
    case 'checkout_completed': {
      const checkout = prop(data, 'checkout')
      const total = prop(checkout, 'totalPrice')
      // A started checkout has no order yet: validation leaves out the order id its token would give.
      return [{
        type: name === 'checkout_started' ? 'begin_checkout' : 'purchase',
        orderId: toId(prop(prop(checkout, 'order'), 'id') ?? prop(checkout, 'token')),
        value: toAmount(prop(total, 'amount')),
        currency: toCurrency(prop(checkout, 'currencyCode') ?? prop(total, 'currencyCode')),
        items: mapShopifyLineItems(prop(checkout, 'lineItems')),
      }]
    }
    case 'search_submitted':
      return [{ type: 'search', query: prop(prop(data, 'searchResult'), 'query') }]
  }
  // Another name (one of SHOPIFY_EVENT_NAMES' siblings, or none): nothing Seglet records.
  return null
}
