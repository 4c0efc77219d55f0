import { prop } from './prop'
import { mapGa4Items } from './mapGa4Items'
import { sumItems } from './sumItems'
import { toAmount } from './toAmount'
import { toCurrency } from './toCurrency'
import { toId } from './toId'
import { readJsonLdProduct, type JsonLdProduct } from './readJsonLdProduct'

import type { readDataLayerEvent } from './readDataLayerEvent'

export { GA4_EVENT_NAMES } from './readDataLayerEvent'

/**
 * The last `view_item` mapped before the page's JSON-LD was there (pushed in the `<head>` of a page whose footer,
 * with the JSON-LD, had not arrived yet), and the page it was on.
 */
let early: { url: string; productId?: unknown } | undefined

/**
 * The page's schema.org product as {@link readJsonLdProduct} reads it, under the id of a `view_item` mapped on this
 * page before its JSON-LD was there (the page's own data, pushed as it loads, not a quick view a shopper opened):
 * the capture then keeps one product view of the two, as it does when the `view_item` comes after (see
 * `mapDataLayerEntry`).
 */
export function readPageProduct(doc: Document): JsonLdProduct | undefined {
  const product = readJsonLdProduct(doc)
  if (product && early?.url === doc.URL) product.productId = early.productId as string
  return product
}

/**
 * Maps one `dataLayer` entry of the GA4 event `name` (as `readDataLayerEvent()` read it) to unvalidated Seglet
 * events. Two shapes are understood: the GTM object `{ event: 'purchase', ecommerce: { … } }` (parameters are read
 * from `ecommerce`, else from the entry itself) and gtag's `arguments` `['event', 'purchase', { … }]`; the capture
 * reads the entry first, so `gtm.js`, `config` and GTM's own events never get here (a GA4 event of another name
 * does, and maps to nothing).
 *
 * - `view_item` → `product_view` of its first item; with page views on, under the id of the page's JSON-LD product
 *   when that has the same price (the capture then keeps one of the two).
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
  const params = prop(entry, '0') === 'event' ? prop(entry, '2') : typeof ecommerce === 'object' && ecommerce ? ecommerce : entry

  const items = mapGa4Items(prop(params, 'items'))
  const currency = toCurrency(prop(params, 'currency') ?? prop(prop(prop(params, 'items'), '0'), 'currency'))
  switch (name) {
    case 'view_item': {
      const item = prop(items, '0') as { productId?: unknown; price?: unknown } | undefined
      // The product the page's JSON-LD describes, which the capture records as the page's product view: a
      // `view_item` of it (the same price, or one of the two without a price) takes its id, so the page counts
      // one product view, not two, when the data layer names the product otherwise (WooCommerce's GA4 plugins
      // push the post id, its JSON-LD the SKU), and the currency the entry lacks. Before the JSON-LD is there, the
      // JSON-LD takes the id of this one (readPageProduct).
      const page = pageViews ? readJsonLdProduct(document) : undefined
      // Only where the capture records page views (a page, not a training export read in Node).
      if (pageViews && !page && typeof item?.productId == 'string') early = { ...item, url: document.URL }
      const same: JsonLdProduct = page && (page.price ?? item?.price) === (item?.price ?? page.price) ? page : {}
      return [{ ...item, type: 'product_view', productId: same.productId ?? item?.productId, currency: currency ?? same.currency }]
    }
    case 'view_item_list':
      return pageViews ? [] : [{ type: 'page_view', url: currentUrl, pageType: 'category' }]
    case 'add_to_cart':
    case 'remove_from_cart':
      return Array.isArray(items) && items.length ? items.map((item) => ({ ...item, type: name, currency })) : [{ type: name }]
    case 'begin_checkout':
    case 'purchase':
    case 'refund':
      // A checkout has no order id yet: validation leaves out a `transaction_id` pushed with it.
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
