import { prop } from './prop'
import { mapGa4Items } from './mapGa4Items'
import { sumItems } from './sumItems'
import { toAmount } from './toAmount'
import { toCurrency } from './toCurrency'
import { toId } from './toId'

import type { readDataLayerEvent } from './readDataLayerEvent'

export { GA4_EVENT_NAMES } from './readDataLayerEvent'

/**
 * Maps one `dataLayer` entry of the GA4 event `name` (as `readDataLayerEvent()` read it) to unvalidated Seglet
 * events. Two shapes are understood: the GTM object `{ event: 'purchase', ecommerce: { … } }` (parameters are read
 * from `ecommerce`, else from the entry itself) and gtag's `arguments` `['event', 'purchase', { … }]`; the capture
 * reads the entry first, so `gtm.js`, `config` and GTM's own events never get here (a GA4 event of another name
 * does, and maps to nothing).
 *
 * - `view_item` → `product_view` of its first item.
 * - `view_item_list` → `page_view` of the current URL with page type `category`: a product list is the
 *   signal of a category page. Only without autocapture's page views (`pageViews`: nothing): with them the
 *   page has its own page view, which a list pushed during its settle time would otherwise race, making a
 *   home or search page with a list a category page. The capture also drops it when the URL already had its
 *   page view.
 * - `add_to_cart` / `remove_from_cart` → one event per item.
 * - `begin_checkout`, `purchase` (`transaction_id` → `orderId`), `refund` → one event; `value` falls back to
 *   the sum of the items, `currency` to the first item's.
 * - `search` → `search` with `search_term`.
 * - any other GA4 event (`view_cart`) → `null`.
 */
export function mapDataLayerEntry(
  entry: unknown,
  name: NonNullable<ReturnType<typeof readDataLayerEvent>>,
  currentUrl: string,
  pageViews = false,
): unknown[] | null {
  const ecommerce = prop(entry, 'ecommerce')
  const params = prop(entry, '0') === 'event' ? prop(entry, '2') : typeof ecommerce === 'object' && ecommerce !== null ? ecommerce : entry

  const items = mapGa4Items(prop(params, 'items'))
  const firstItem = Array.isArray(prop(params, 'items')) ? (prop(params, 'items') as unknown[])[0] : undefined
  const currency = toCurrency(prop(params, 'currency') ?? prop(firstItem, 'currency'))
  switch (name) {
    case 'view_item': {
      if (!Array.isArray(items) || items.length === 0) return [{ type: 'product_view', productId: undefined }]
      const item = items[0] as Record<string, unknown>
      return [{ type: 'product_view', productId: item.productId, price: item.price, currency, category: item.category }]
    }
    case 'view_item_list':
      return pageViews ? [] : [{ type: 'page_view', url: currentUrl, pageType: 'category' }]
    case 'add_to_cart':
    case 'remove_from_cart':
      if (!Array.isArray(items) || items.length === 0) return [{ type: name, productId: undefined }]
      return items.map((item) => ({
        type: name,
        productId: prop(item, 'productId'),
        quantity: prop(item, 'quantity'),
        price: prop(item, 'price'),
        currency,
      }))
    case 'begin_checkout':
      return [{ type: name, value: toAmount(prop(params, 'value')) ?? sumItems(items), currency, items }]
    case 'purchase':
    case 'refund':
      return [{
        type: name,
        orderId: toId(prop(params, 'transaction_id')),
        value: toAmount(prop(params, 'value')) ?? sumItems(items),
        currency,
        items,
      }]
    case 'search':
      return [{ type: 'search', query: prop(params, 'search_term') ?? prop(entry, 'search_term') }]
  }
  // Another GA4 event (`view_cart`, `add_payment_info`): nothing Seglet records.
  return null
}
