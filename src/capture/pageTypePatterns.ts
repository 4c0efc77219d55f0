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
  [/\/products?\/[^/?]/, 'product', ['/product']],
  [/\/(?:collections|category|categories)(?=[/?]|$)/, 'category', ['/collections', '/categor']],
  [/\/cart(?=[/?]|$)/, 'cart', ['/cart']],
  [/\/checkouts?(?=[/?]|$)/, 'checkout', ['/checkout']],
  [/\/(?:account|login|register)(?=[/?]|$)/, 'account', ['/account', '/login', '/register']],
  [/\/(?:pages|policies|blogs)\/|\/(?:about|contact|faq|help)/, 'informational', ['/pages/', '/policies/', '/blogs/', '/about', '/contact', '/faq', '/help']],
  [/\/search(?=[/?]|$)/, 'search', ['/search']],
  [/^(?:\/[a-z]{2}(?:-[a-zA-Z]{2})?)?\/?(?:\?|$)/, 'home'],
]
