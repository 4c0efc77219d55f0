import { MAX_ITEMS } from '../../events/limits'
import { prop } from './prop'
import { toAmount } from './toAmount'
import { toId } from './toId'

/**
 * Shopify checkout `lineItems` → Seglet line items: the product id (else the variant id), `quantity`, the
 * variant's unit `price.amount` and the product `type` as category. Unusable lists pass unchanged.
 */
export function mapShopifyLineItems(lineItems: unknown): unknown {
  if (!Array.isArray(lineItems) || lineItems.length > MAX_ITEMS) return lineItems
  return lineItems.map((line) => {
    if (typeof line !== 'object' || line === null) return line
    const variant = prop(line, 'variant')
    const product = prop(variant, 'product')
    return {
      productId: toId(prop(product, 'id') ?? prop(variant, 'id')),
      quantity: toAmount(prop(line, 'quantity')),
      price: toAmount(prop(prop(variant, 'price'), 'amount')),
      category: prop(product, 'type'),
    }
  })
}
