import { PAGE_TYPES, type PageType } from '../../events/types'
import type { PageTypePattern } from '../types'
import { matchPageType } from './matchPageType'
import type { JsonLdProduct } from './readJsonLdProduct'
import { readMeta } from './readMeta'

/**
 * The page type, by precedence: `<meta name="seglet:page-type">`, then a schema.org `Product` in JSON-LD, then
 * the URL rules. On a product page the JSON-LD product (when there is one) is returned too. The JSON-LD
 * reader comes from the bridges' code (loaded lazily by the script-tag build); without it, no product.
 */
export function detectPage(
  doc: Document,
  url: string,
  patterns: readonly PageTypePattern[],
  readJsonLdProduct?: (doc: Document) => JsonLdProduct | undefined,
): { pageType: PageType; product?: JsonLdProduct } {
  const meta = readMeta(doc, 'seglet:page-type')?.toLowerCase()
  const declared = meta && PAGE_TYPES.includes(meta as PageType) ? (meta as PageType) : undefined
  // JSON-LD is parsed only when it can matter: no declared type, or a declared product page.
  const product = declared === undefined || declared === 'product' ? readJsonLdProduct?.(doc) : undefined
  const pageType = declared ?? (product ? 'product' : matchPageType(url, patterns))
  // A product found makes the page a product page: `declared` is absent or 'product'.
  return product ? { pageType, product } : { pageType }
}
