import { MAX_ITEMS } from '../../events/limits'
import { prop } from './prop'
import { toLine } from './mapGa4Items'

/**
 * Shopify checkout `lineItems` → Seglet line items: the product id (else the variant id), `quantity`, the
 * variant's unit `price.amount` and the product `type` as category. Unusable lists pass unchanged.
 */
export function mapShopifyLineItems(lineItems: unknown): unknown {
  if (!Array.isArray(lineItems) || lineItems.length > MAX_ITEMS) return lineItems
  return lineItems.map((line) => (typeof line === 'object' && line ? mapShopifyVariant(prop(line, 'variant'), prop(line, 'quantity')) : line))
}

/**
 * A Shopify `ProductVariant` (a line item's `variant`, a cart line's `merchandise`, `product_viewed`'s
 * `productVariant`) → a Seglet line: the product's id (else the variant's), `quantity`, its price and the
 * product's type as the category.
 */
export function mapShopifyVariant(variant: unknown, quantity?: unknown) {
  const product = prop(variant, 'product')
  return toLine(prop(product, 'id') ?? prop(variant, 'id'), quantity, prop(prop(variant, 'price'), 'amount'), prop(product, 'type'))
}
