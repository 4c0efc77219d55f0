import { MAX_ITEMS } from '../../events/limits'
import { prop } from './prop'
import { toAmount } from './toAmount'
import { toId } from './toId'

/**
 * GA4 `items` → Seglet line items (`item_id`, else `id` as the Google Ads tag and Google Listings & Ads push it,
 * else `item_name`; `price`; `quantity`; `item_category`). Values that are not a usable list are returned
 * unchanged so that validation reports them.
 */
export function mapGa4Items(items: unknown): unknown {
  if (!Array.isArray(items) || items.length > MAX_ITEMS) return items
  return items.map((item) =>
    typeof item === 'object' && item
      ? toLine(prop(item, 'item_id') ?? prop(item, 'id') ?? prop(item, 'item_name'), prop(item, 'quantity'), prop(item, 'price'), prop(item, 'item_category'))
      : item,
  )
}

/** A Seglet line item of a GA4 item's or a Shopify variant's fields: a numeric id as a string, numeric strings as numbers. */
export function toLine(productId: unknown, quantity: unknown, price: unknown, category: unknown) {
  return { productId: toId(productId), quantity: toAmount(quantity), price: toAmount(price), category }
}
