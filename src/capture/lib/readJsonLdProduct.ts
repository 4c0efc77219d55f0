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
 * (`sku`, then `productID`, `productGroupID`, `@id`), price and currency from `offers` (a `ProductGroup` without
 * offers of its own, as Shopify's `structured_data` prints a product with variants: its first variant's), and
 * `category`.
 * Returns `undefined` when the page has none. Unparseable blocks are skipped: they are the page's own business.
 */
export function readJsonLdProduct(doc: Document): JsonLdProduct | undefined {
  const scripts = doc.querySelectorAll('script[type="application/ld+json"]')
  for (let i = 0; i < scripts.length && i < MAX_SCRIPTS; i++) {
    const text = scripts[i].textContent
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
    for (const key of ['sku', 'productID', 'productGroupID', '@id']) {
      const id = toId(node[key])
      if (typeof id === 'string' && id.trim() !== '') {
        product.productId = id.trim()
        break
      }
    }
    const category = Array.isArray(node.category) ? node.category[0] : node.category
    if (typeof category === 'string' && category.trim() !== '') product.category = category.trim()
    return product
  }
  return undefined
}
