import type { PageTypePattern } from './types'

/**
 * A rule on the URL's path segments (the text after each `/`, the query included): true when `test` holds
 * for one segment, given the segment after it (`undefined` for the last). Splitting the URL is all a default
 * rule costs: no regular expression is compiled or run for it.
 */
const inPath = (test: (segment: string, next?: string) => boolean) => (url: string) =>
  url.split('/').some((segment, i, segments) => i > 0 && test(segment, segments[i + 1]))

/**
 * A segment that is one of `names` (space-separated), up to `/`, `?`, `.` (`/cart.php`, `/search.php` of
 * BigCommerce) or the end of the URL.
 */
const named = (names: string) => inPath((segment) => names.split(' ').includes(segment.split('?')[0].split('.')[0]))

/**
 * The default URL rules for the page type, in order. They follow Shopify's URL scheme and the usual paths of
 * other shop systems (WooCommerce's `/product-category/` and `/my-account/`, Magento's `/catalogsearch/`,
 * BigCommerce's `/cart.php`); a locale prefix (`/en-gb/products/…`) is allowed. Path segments end at `/`, `?`,
 * `.` or the end of the URL, so `/cart` does not match `/cartoons`. Each rule is a test of the URL; as RegExps,
 * they are `/\/products?\/[^/?]/`, `/\/(?:collections|category|categories|product-category)(?=[/?.]|$)/`,
 * `/\/cart(?=[/?.]|$)/`, `/\/checkouts?(?=[/?.]|$)/`, `/\/(?:account|my-account|login|register)(?=[/?.]|$)/`,
 * `/\/(?:pages|policies|blogs)\/|\/(?:about|contact|faq|help)/`, `/\/(?:search|catalogsearch)(?=[/?.]|$)/` and
 * `/^(?:\/[a-z]{2}(?:-[a-zA-Z]{2})?)?\/?(?:\?|$)/`.
 *
 * @example
 * createSeglet({ capture: { pageTypePatterns: [[/^\/p\//, 'product'], ...DEFAULT_PAGE_TYPE_PATTERNS] } })
 */
export const DEFAULT_PAGE_TYPE_PATTERNS: readonly PageTypePattern[] = [
  [inPath((segment, next) => 'product products'.split(' ').includes(segment) && !!next && next[0] != '?'), 'product'],
  [named('collections category categories product-category'), 'category'],
  [named('cart'), 'cart'],
  [named('checkout checkouts'), 'checkout'],
  [named('account my-account login register'), 'account'],
  [
    inPath((segment, next) => (next != null && 'pages policies blogs'.split(' ').includes(segment)) || 'about contact faq help'.split(' ').some((word) => segment.startsWith(word))),
    'informational',
  ],
  [named('search catalogsearch'), 'search'],
  [
    // The path alone, or an optional locale (`/en`, `/en-gb`) and `/`.
    (url) => /^(?:\/[a-z]{2}(?:-[a-zA-Z]{2})?)?\/?$/.test(url.split('?')[0]),
    'home',
  ],
]
