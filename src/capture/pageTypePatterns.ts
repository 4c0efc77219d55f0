import type { PageTypePattern } from './types'

// Path segments end at `/`, `?`, or the end of the URL, so `/cart` does not match `/cartoons`.
const END = '(?=[/?]|$)'

/**
 * The default URL rules for the page type, in order. They follow Shopify's URL scheme and the usual paths of
 * other shop systems; a locale prefix (`/en-gb/products/…`) is allowed.
 *
 * @example
 * createSeglet({ pageTypePatterns: [[/^\/p\//, 'product'], ...DEFAULT_PAGE_TYPE_PATTERNS] })
 */
export const DEFAULT_PAGE_TYPE_PATTERNS: readonly PageTypePattern[] = [
  [/\/products?\/[^/?]/, 'product'],
  [new RegExp(`/(?:collections|category|categories)${END}`), 'category'],
  [new RegExp(`/cart${END}`), 'cart'],
  [new RegExp(`/checkouts?${END}`), 'checkout'],
  [new RegExp(`/(?:account|login|register)${END}`), 'account'],
  [/\/(?:pages|policies|blogs)\/|\/(?:about|contact|faq|help)/, 'informational'],
  [new RegExp(`/search${END}`), 'search'],
  [/^(?:\/[a-z]{2}(?:-[a-zA-Z]{2})?)?\/?(?:\?|$)/, 'home'],
]
