import type { PageTypePattern } from './types'

/**
 * The default URL rules for the page type, in order. They follow Shopify's URL scheme and the usual paths of
 * other shop systems; a locale prefix (`/en-gb/products/…`) is allowed. Path segments end at `/`, `?`, or the
 * end of the URL (`(?=[/?]|$)`), so `/cart` does not match `/cartoons`.
 *
 * @example
 * createSeglet({ pageTypePatterns: [[/^\/p\//, 'product'], ...DEFAULT_PAGE_TYPE_PATTERNS] })
 */
export const DEFAULT_PAGE_TYPE_PATTERNS: readonly PageTypePattern[] = [
  [/\/products?\/[^/?]/, 'product'],
  [/\/(?:collections|category|categories)(?=[/?]|$)/, 'category'],
  [/\/cart(?=[/?]|$)/, 'cart'],
  [/\/checkouts?(?=[/?]|$)/, 'checkout'],
  [/\/(?:account|login|register)(?=[/?]|$)/, 'account'],
  [/\/(?:pages|policies|blogs)\/|\/(?:about|contact|faq|help)/, 'informational'],
  [/\/search(?=[/?]|$)/, 'search'],
  [/^(?:\/[a-z]{2}(?:-[a-zA-Z]{2})?)?\/?(?:\?|$)/, 'home'],
]
