import { describe, expect, it } from 'vitest'
import type { PageType } from '../events/types'
import { matchPageType } from './lib/matchPageType'
import { DEFAULT_PAGE_TYPE_PATTERNS } from './pageTypePatterns'

/** The default rules as RegExps (their documented meaning): the path-segment rules must agree with them. */
const AS_REGEXPS: [RegExp, PageType][] = [
  [/\/products?\/[^/?]/, 'product'],
  [/\/(?:collections|category|categories|product-category)(?=[/?.]|$)/, 'category'],
  [/\/cart(?=[/?.]|$)/, 'cart'],
  [/\/checkouts?(?=[/?.]|$)/, 'checkout'],
  [/\/(?:account|my-account|login|register)(?=[/?.]|$)/, 'account'],
  [/\/(?:pages|policies|blogs)\/|\/(?:about|contact|faq|help)/, 'informational'],
  [/\/(?:search|catalogsearch)(?=[/?.]|$)/, 'search'],
  [/^(?:\/[a-z]{2}(?:-[a-zA-Z]{2})?)?\/?(?:\?|$)/, 'home'],
]

describe('DEFAULT_PAGE_TYPE_PATTERNS', () => {
  it.each([
    ['/', 'home'], ['', 'home'], ['/?q=1', 'home'], ['/en', 'home'], ['/en/', 'home'], ['/en-gb', 'home'], ['/en-GB/?x', 'home'],
    ['/en//', 'other'], ['/eng', 'other'], ['/EN', 'other'], ['/en-gbr', 'other'], ['/en/x', 'other'],
    ['/en-gb/products/mug', 'product'], ['/de/collections/all', 'category'], ['/fr/cart', 'cart'],
    ['/products/', 'other'], ['/products/?x', 'other'], ['/products//x', 'other'], ['/product/x', 'product'],
    ['/products', 'other'], ['/collections/all/products/mug', 'product'],
    ['/cart', 'cart'], ['/cart/', 'cart'], ['/cart?step=2', 'cart'], ['/carts', 'other'], ['/cartoons', 'other'], ['/x/cart', 'cart'],
    ['/checkouts', 'checkout'], ['/checkoutx', 'other'], ['/login?next=/cart', 'cart'], ['/register', 'account'],
    ['/pages/', 'informational'], ['/pages', 'other'], ['/pages?x', 'other'], ['/helpful-tips', 'informational'], ['/about-us', 'informational'],
    ['/search', 'search'], ['/searching', 'other'], ['/x?next=/search', 'search'],
    ['/product-category/hats/', 'category'], ['/my-account/orders/', 'account'], ['/catalogsearch/result/?q=x', 'search'],
    ['/cart.php', 'cart'], ['/search.php?search_query=x', 'search'], ['/login.php', 'account'], ['/cart.phpx', 'cart'],
    ['/a.cart', 'other'], ['/product-categoryx', 'other'], ['/products/mug.js', 'product'],
  ])('URL %j is %s', (url, pageType) => {
    expect(matchPageType(url, DEFAULT_PAGE_TYPE_PATTERNS)).toBe(pageType)
    expect(matchPageType(url, AS_REGEXPS)).toBe(pageType)
  })

  it('agrees with the RegExp rules on generated URLs', () => {
    const parts = ['/', '/', '/', '?', '?', '=', '&', 'x', '-', 'en', 'en-gb', 'EN', 'product', 'products', 'collections', 'category',
      'categories', 'cart', 'carts', 'checkout', 'checkouts', 'account', 'login', 'register', 'pages', 'policies', 'blogs',
      'about', 'contact', 'faq', 'help', 'search', 'a', '.', '.php', 'product-category', 'my-account', 'catalogsearch']
    let seed = 7
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647
    for (let n = 0; n < 20_000; n++) {
      let url = random() < 0.9 ? '/' : ''
      const length = Math.floor(random() * 7)
      for (let i = 0; i < length; i++) url += parts[Math.floor(random() * parts.length)]
      expect([url, matchPageType(url, DEFAULT_PAGE_TYPE_PATTERNS)]).toEqual([url, matchPageType(url, AS_REGEXPS)])
    }
  })

  it('keeps a shop’s own RegExp, string and function rules working', () => {
    const rules = [[/^\/p\//, 'product'], ['/c/', 'category'], [(url: string) => url.endsWith('/basket'), 'cart'], ...DEFAULT_PAGE_TYPE_PATTERNS] as const
    expect(matchPageType('/p/1', rules)).toBe('product')
    expect(matchPageType('/shop/c/2', rules)).toBe('category')
    expect(matchPageType('/my/basket', rules)).toBe('cart')
    expect(matchPageType('/checkout', rules)).toBe('checkout')
  })
})
