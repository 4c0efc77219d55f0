import { findProductNode } from './findProductNode'
import { prop } from './prop'
import { readOffer } from './readOffer'
import { toId } from './toId'

/** Scripts larger than this are skipped rather than parsed on the main thread. */
const MAX_JSON_LD_LENGTH = 256 * 1024
const MAX_SCRIPTS = 20

/** What a schema.org `Product` tells Seglet: the fields of a `product_view`. */
export interface JsonLdProduct {
  productId?: string
  price?: number
  currency?: string
  category?: string
}

/**
 * Reads the first schema.org `Product` from the page's `<script type="application/ld+json">` blocks: the id
 * (`sku`, then `productID`, `productGroupID`, `@id`, `url`: a theme that prints neither SKU nor `@id` for a product
 * without a SKU, as Shopify's Dawn did before its version 15, still names it by its address), price and currency from `offers` (a `ProductGroup` without
 * offers of its own, as Shopify's `structured_data` prints a product with variants: its first variant's), and
 * `category`.
 * Returns `undefined` when the page has none. Unparseable blocks are skipped: they are the page's own business.
 */
export function readJsonLdProduct(doc: Document): JsonLdProduct | undefined {
  for (const script of [...doc.querySelectorAll('script[type="application/ld+json"]')].slice(0, MAX_SCRIPTS)) {
    const text = script.textContent
    if (!text || text.length > MAX_JSON_LD_LENGTH) continue
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      continue
    }
    const node = findProductNode(json)
    if (!node) continue
    const product: JsonLdProduct = readOffer(node.offers ?? prop(prop(node.hasVariant, '0'), 'offers'))
    const id = ['sku', 'productID', 'productGroupID', '@id', 'url'].map((key) => toId(node[key])).find((id) => typeof id === 'string' && id.trim())
    if (id) product.productId = (id as string).trim()
    const category = [node.category].flat()[0]
    if (typeof category === 'string' && category.trim() !== '') product.category = category.trim()
    return product
  }
  return undefined
}
