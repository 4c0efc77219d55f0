import { describe, expect, it } from 'vitest'
import { ValidationError } from '../errors/index'
import {
  MAX_ITEMS,
  MAX_PRICE,
  MAX_QUANTITY,
  MAX_STRING_LENGTH,
  MAX_URL_LENGTH,
  MAX_VISIBLE_MS,
  PAGE_KEY_PATTERN,
  validateEvent,
} from './index'

const item = { productId: 'sku-1', quantity: 2, price: 9.5 }
const purchase = { type: 'purchase', orderId: 'A-1', value: 19, currency: 'EUR', items: [item] }
const engagement = { type: 'engagement', url: '/a', pageType: 'product', visibleMs: 1000, scrollDepth: 0.5 }

function rejectMessage(input: unknown): string {
  try {
    validateEvent(input)
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).code).toBe('invalid_event')
    return (error as ValidationError).message
  }
  throw new Error('expected a ValidationError')
}

describe('validateEvent: accepted events and clean copies', () => {
  it.each([
    ['page_view, origin and fragment removed', { type: 'page_view', url: 'https://shop.example/a/b?x=1#top', pageType: 'home' },
      { type: 'page_view', url: '/a/b?x=1', pageType: 'home' }],
    ['page_view, bare origin', { type: 'page_view', url: 'https://shop.example', pageType: 'home' },
      { type: 'page_view', url: '/', pageType: 'home' }],
    ['page_view, origin + query', { type: 'page_view', url: 'https://shop.example?q=1', pageType: 'home' },
      { type: 'page_view', url: '/?q=1', pageType: 'home' }],
    ['page_view, protocol-relative', { type: 'page_view', url: '//cdn.example/p', pageType: 'other' },
      { type: 'page_view', url: '/p', pageType: 'other' }],
    ['page_view with stats', { type: 'page_view', url: '/', pageType: 'home', stats: { bounceRate: 0, exitRate: 1, pageValue: 3, x: 1 } },
      { type: 'page_view', url: '/', pageType: 'home', stats: { bounceRate: 0, exitRate: 1, pageValue: 3 } }],
    ['page_view with a page key', { type: 'page_view', url: '/p/mug?ref=x', pageType: 'product', pageKey: 'product/mug' },
      { type: 'page_view', url: '/p/mug?ref=x', pageType: 'product', pageKey: 'product/mug' }],
    ['page_view empty page key is absent', { type: 'page_view', url: '/', pageType: 'home', pageKey: '' },
      { type: 'page_view', url: '/', pageType: 'home' }],
    ['page_view with empty stats', { type: 'page_view', url: '/', pageType: 'home', stats: {} },
      { type: 'page_view', url: '/', pageType: 'home' }],
    ['unknown fields dropped', { type: 'search', query: 'shoes', extra: 1, __proto__x: 2 }, { type: 'search', query: 'shoes' }],
    ['product_view minimal', { type: 'product_view', productId: 'p' }, { type: 'product_view', productId: 'p' }],
    ['product_view full', { type: 'product_view', productId: 'p', price: 0, currency: 'USD', category: 'Shoes' },
      { type: 'product_view', productId: 'p', price: 0, currency: 'USD', category: 'Shoes' }],
    ['optional null/empty are absent', { type: 'product_view', productId: 'p', price: null, currency: '', category: null },
      { type: 'product_view', productId: 'p' }],
    ['add_to_cart quantity defaults to 1', { type: 'add_to_cart', productId: 'p' }, { type: 'add_to_cart', productId: 'p', quantity: 1 }],
    ['remove_from_cart', { type: 'remove_from_cart', productId: 'p', quantity: MAX_QUANTITY, price: MAX_PRICE },
      { type: 'remove_from_cart', productId: 'p', quantity: MAX_QUANTITY, price: MAX_PRICE }],
    ['begin_checkout empty', { type: 'begin_checkout' }, { type: 'begin_checkout' }],
    ['purchase items default []', { type: 'purchase', orderId: 'o', value: 0, currency: 'EUR' },
      { type: 'purchase', orderId: 'o', value: 0, currency: 'EUR', items: [] }],
    ['purchase line quantity defaults to 1', { ...purchase, items: [{ productId: 'a', price: 1, category: 'c', name: 'x' }] },
      { ...purchase, items: [{ productId: 'a', quantity: 1, price: 1, category: 'c' }] }],
    ['refund without items', { type: 'refund', orderId: 'o', value: 5, currency: 'GBP' }, { type: 'refund', orderId: 'o', value: 5, currency: 'GBP' }],
    ['engagement bounds', { ...engagement, visibleMs: MAX_VISIBLE_MS, scrollDepth: 1 }, { ...engagement, visibleMs: MAX_VISIBLE_MS, scrollDepth: 1 }],
    ['engagement zero', { ...engagement, visibleMs: 0, scrollDepth: 0 }, { ...engagement, visibleMs: 0, scrollDepth: 0 }],
    ['-0 price becomes 0', { type: 'product_view', productId: 'p', price: -0 }, { type: 'product_view', productId: 'p', price: 0 }],
  ])('%s', (_name, input, expected) => {
    const out = validateEvent(input)
    expect(out).toStrictEqual(expected)
    expect(out).not.toBe(input)
  })

  it('copies line items instead of sharing them', () => {
    const out = validateEvent(purchase) as { items: unknown[] }
    expect(out.items[0]).not.toBe(item)
  })

  it.each([
    ['productId', 'product_view', MAX_STRING_LENGTH.productId],
    ['category', 'product_view', MAX_STRING_LENGTH.category],
    ['query', 'search', MAX_STRING_LENGTH.query],
  ])('accepts %s at exactly its limit and rejects one more', (field, type, max) => {
    const base: Record<string, unknown> = type === 'search' ? { type } : { type, productId: 'p' }
    expect(() => validateEvent({ ...base, [field]: 'x'.repeat(max) })).not.toThrow()
    expect(rejectMessage({ ...base, [field]: 'x'.repeat(max + 1) })).toBe(
      `${type}.${field} must be a non-empty string of at most ${max} characters, got a string of ${max + 1} characters`,
    )
  })

  it('accepts orderId, url and items at their limits', () => {
    expect(() => validateEvent({ ...purchase, orderId: 'o'.repeat(MAX_STRING_LENGTH.orderId) })).not.toThrow()
    expect(() => validateEvent({ ...purchase, orderId: 'o'.repeat(MAX_STRING_LENGTH.orderId + 1) })).toThrow(ValidationError)
    const url = '/' + 'u'.repeat(MAX_URL_LENGTH - 1)
    expect(validateEvent({ type: 'page_view', url, pageType: 'home' })).toMatchObject({ url })
    expect(rejectMessage({ type: 'page_view', url: url + 'u', pageType: 'home' })).toMatch(/^page_view\.url must be/)
    expect(() => validateEvent({ ...purchase, items: new Array(MAX_ITEMS).fill(item) })).not.toThrow()
  })
})

describe('validateEvent: page keys are names, never URLs', () => {
  it.each([
    ['product/mug', true],
    ['home', true],
    ['Category_2/fiction-books.v2', true],
    ['k'.repeat(MAX_STRING_LENGTH.pageKey), true],
    ['k'.repeat(MAX_STRING_LENGTH.pageKey + 1), false],
    ['https://shop.example/products/mug', false],
    ['//cdn.example/p', false],
    ['/products/mug', false],
    ['products/mug?email=a@b.example', false],
    ['search?q=winter', false],
    ['a b', false],
    ['café', false],
    ['-lead', false],
  ])('%s → accepted: %s', (pageKey, accepted) => {
    const input = { type: 'page_view', url: '/', pageType: 'home', pageKey }
    if (accepted) {
      expect(validateEvent(input)).toMatchObject({ pageKey })
      expect(PAGE_KEY_PATTERN.test(pageKey)).toBe(true)
    } else {
      expect(rejectMessage(input)).toMatch(/^page_view\.pageKey must be a page key like "product\/mug"/)
    }
  })

  it('rejects a page key that is not a string', () => {
    expect(rejectMessage({ type: 'page_view', url: '/', pageType: 'home', pageKey: 42 })).toMatch(/^page_view\.pageKey must be .*, got 42$/)
  })
})

describe('validateEvent: rejected input names the field', () => {
  it.each([
    ['null', null, 'event must be an object, got null'],
    ['a string', 'purchase', 'event must be an object, got "purchase"'],
    ['a number', 42, 'event must be an object, got 42'],
    ['a bigint', BigInt(10), 'event must be an object, got a bigint'],
    ['a symbol', Symbol('x'), 'event must be an object, got a symbol'],
    ['a function', () => 1, 'event must be an object, got a function'],
    ['undefined', undefined, 'event must be an object, got undefined'],
    ['an array', [1], /^event\.type must be one of page_view, .*, got undefined$/],
    ['no type', {}, /^event\.type must be one of .*, got undefined$/],
    ['unknown type', { type: 'click' }, /^event\.type must be one of .*, got "click"$/],
    ['type not a string', { type: 1 }, /^event\.type must be one of .*, got 1$/],
    ['page_view without url', { type: 'page_view', pageType: 'home' },
      `page_view.url must be a path or an absolute URL of at most ${MAX_URL_LENGTH} characters, got undefined`],
    ['page_view relative url', { type: 'page_view', url: 'products/a', pageType: 'home' }, /^page_view\.url must be/],
    ['page_view javascript: url', { type: 'page_view', url: 'javascript:alert(1)', pageType: 'home' }, /^page_view\.url must be/],
    ['page_view empty url', { type: 'page_view', url: '', pageType: 'home' }, /^page_view\.url must be/],
    ['page_view bad pageType', { type: 'page_view', url: '/', pageType: 'landing' },
      'page_view.pageType must be one of home, category, product, search, cart, checkout, account, informational, other, got "landing"'],
    ['page_view missing pageType', { type: 'page_view', url: '/' }, /^page_view\.pageType must be one of .*, got undefined$/],
    ['page_view stats not object', { type: 'page_view', url: '/', pageType: 'home', stats: [] }, 'page_view.stats must be an object, got an array'],
    ['page_view bounceRate > 1', { type: 'page_view', url: '/', pageType: 'home', stats: { bounceRate: 1.01 } },
      'page_view.stats.bounceRate must be ≤ 1, got 1.01'],
    ['page_view exitRate < 0', { type: 'page_view', url: '/', pageType: 'home', stats: { exitRate: -0.1 } },
      'page_view.stats.exitRate must be a finite number ≥ 0, got -0.1'],
    ['product_view without productId', { type: 'product_view' },
      'product_view.productId must be a non-empty string of at most 128 characters, got undefined'],
    ['product_view empty productId', { type: 'product_view', productId: '' }, /^product_view\.productId must be/],
    ['product_view numeric productId', { type: 'product_view', productId: 12 }, /^product_view\.productId must be .*, got 12$/],
    ['product_view price NaN', { type: 'product_view', productId: 'p', price: NaN }, 'product_view.price must be a finite number ≥ 0, got NaN'],
    ['product_view price Infinity', { type: 'product_view', productId: 'p', price: Infinity }, 'product_view.price must be a finite number ≥ 0, got Infinity'],
    ['product_view price -Infinity', { type: 'product_view', productId: 'p', price: -Infinity }, 'product_view.price must be a finite number ≥ 0, got -Infinity'],
    ['product_view negative price', { type: 'product_view', productId: 'p', price: -0.01 }, 'product_view.price must be a finite number ≥ 0, got -0.01'],
    ['product_view price over MAX_PRICE', { type: 'product_view', productId: 'p', price: MAX_PRICE * 10 }, `product_view.price must be ≤ ${MAX_PRICE}, got ${MAX_PRICE * 10}`],
    ['product_view price as string', { type: 'product_view', productId: 'p', price: '9.99' }, 'product_view.price must be a finite number ≥ 0, got "9.99"'],
    ['product_view price bigint', { type: 'product_view', productId: 'p', price: BigInt(5) }, 'product_view.price must be a finite number ≥ 0, got a bigint'],
    ['product_view lower-case currency', { type: 'product_view', productId: 'p', currency: 'eur' },
      'product_view.currency must be a currency code of three upper-case letters, got "eur"'],
    ['product_view 4-letter currency', { type: 'product_view', productId: 'p', currency: 'EURO' }, /^product_view\.currency must be/],
    ['product_view currency symbol', { type: 'product_view', productId: 'p', currency: Symbol('EUR') }, /currency .*, got a symbol$/],
    ['add_to_cart quantity 0', { type: 'add_to_cart', productId: 'p', quantity: 0 }, `add_to_cart.quantity must be an integer from 1 to ${MAX_QUANTITY}, got 0`],
    ['add_to_cart negative quantity', { type: 'add_to_cart', productId: 'p', quantity: -1 }, /quantity must be an integer from 1 to 10000, got -1$/],
    ['add_to_cart fractional quantity', { type: 'add_to_cart', productId: 'p', quantity: 1.5 }, /quantity must be an integer .*, got 1.5$/],
    ['add_to_cart quantity over max', { type: 'add_to_cart', productId: 'p', quantity: MAX_QUANTITY + 1 }, /got 10001$/],
    ['add_to_cart quantity NaN', { type: 'add_to_cart', productId: 'p', quantity: NaN }, /got NaN$/],
    ['add_to_cart quantity string', { type: 'add_to_cart', productId: 'p', quantity: '2' }, /got "2"$/],
    ['remove_from_cart negative price', { type: 'remove_from_cart', productId: 'p', price: -1 }, 'remove_from_cart.price must be a finite number ≥ 0, got -1'],
    ['begin_checkout negative value', { type: 'begin_checkout', value: -5 }, 'begin_checkout.value must be a finite number ≥ 0, got -5'],
    ['begin_checkout items not array', { type: 'begin_checkout', items: { 0: item } }, `begin_checkout.items must be an array of at most ${MAX_ITEMS} items, got an object`],
    ['purchase missing orderId', { ...purchase, orderId: undefined }, /^purchase\.orderId must be/],
    ['purchase missing value', { ...purchase, value: undefined }, 'purchase.value must be a finite number ≥ 0, got undefined'],
    ['purchase missing currency', { ...purchase, currency: undefined }, /^purchase\.currency must be .*, got undefined$/],
    ['purchase too many items', { ...purchase, items: new Array(MAX_ITEMS + 1).fill(item) },
      `purchase.items must be an array of at most ${MAX_ITEMS} items, got an array of ${MAX_ITEMS + 1} items`],
    ['purchase item not an object', { ...purchase, items: [item, 'x'] }, 'purchase.items[1] must be an object, got "x"'],
    ['purchase item null', { ...purchase, items: [null] }, 'purchase.items[0] must be an object, got null'],
    ['purchase item price NaN', { ...purchase, items: [item, item, { ...item, price: NaN }] }, 'purchase.items[2].price must be a finite number ≥ 0, got NaN'],
    ['purchase item missing price', { ...purchase, items: [{ productId: 'a' }] }, 'purchase.items[0].price must be a finite number ≥ 0, got undefined'],
    ['purchase item negative quantity', { ...purchase, items: [{ ...item, quantity: -2 }] }, /^purchase\.items\[0\]\.quantity must be an integer/],
    ['purchase item long category', { ...purchase, items: [{ ...item, category: 'c'.repeat(257) }] }, /^purchase\.items\[0\]\.category must be/],
    ['refund negative value', { type: 'refund', orderId: 'o', value: -1, currency: 'EUR' }, 'refund.value must be a finite number ≥ 0, got -1'],
    ['search empty query', { type: 'search', query: '' }, 'search.query must be a non-empty string of at most 256 characters, got ""'],
    ['search query object', { type: 'search', query: { q: 1 } }, /got an object$/],
    ['engagement scrollDepth > 1', { ...engagement, scrollDepth: 1.0001 }, 'engagement.scrollDepth must be ≤ 1, got 1.0001'],
    ['engagement scrollDepth < 0', { ...engagement, scrollDepth: -0.5 }, 'engagement.scrollDepth must be a finite number ≥ 0, got -0.5'],
    ['engagement visibleMs over 24 h', { ...engagement, visibleMs: MAX_VISIBLE_MS + 1 }, `engagement.visibleMs must be ≤ ${MAX_VISIBLE_MS}, got ${MAX_VISIBLE_MS + 1}`],
    ['engagement visibleMs negative', { ...engagement, visibleMs: -1 }, /visibleMs must be a finite number ≥ 0, got -1$/],
    ['engagement missing scrollDepth', { ...engagement, scrollDepth: undefined }, /scrollDepth .*, got undefined$/],
    ['engagement bad pageType', { ...engagement, pageType: null }, /^engagement\.pageType must be one of .*, got null$/],
  ])('%s', (_name, input, expected) => {
    const message = rejectMessage(input)
    if (typeof expected === 'string') expect(message).toBe(expected)
    else expect(message).toMatch(expected)
  })

  it('sets the field without the event type', () => {
    try {
      validateEvent({ ...purchase, items: [item, item, { ...item, price: NaN }] })
    } catch (error) {
      expect((error as ValidationError).field).toBe('items[2].price')
    }
  })
})

describe('validateEvent: hostile input', () => {
  it('turns a throwing getter into a ValidationError', () => {
    const input = { type: 'search', get query() { throw new Error('boom') } }
    expect(rejectMessage(input)).toBe('event could not be read: accessing one of its fields threw')
  })

  it('survives a Proxy whose traps throw, even a thrown Proxy', () => {
    const evil = new Proxy({}, { getPrototypeOf() { throw new Error('no') }, get() { throw new Error('no') } })
    const input = new Proxy({}, { get() { throw evil } })
    expect(rejectMessage(input)).toMatch(/could not be read/)
  })

  it('survives a revoked Proxy', () => {
    const { proxy, revoke } = Proxy.revocable({ type: 'search', query: 'x' }, {})
    revoke()
    expect(rejectMessage(proxy)).toMatch(/could not be read/)
    const items = Proxy.revocable([], {})
    items.revoke()
    expect(rejectMessage({ ...purchase, items: items.proxy })).toMatch(/could not be read/)
  })

  it('reads only the fields it needs from a cyclic object', () => {
    const input: Record<string, unknown> = { type: 'search', query: 'x' }
    input.self = input
    expect(validateEvent(input)).toStrictEqual({ type: 'search', query: 'x' })
  })

  it('rejects a huge array by its length without iterating it', () => {
    let reads = 0
    const huge = new Proxy(new Array(10_000_000), {
      get(target, key) {
        if (key !== 'length') reads++
        return Reflect.get(target, key)
      },
    })
    expect(rejectMessage({ ...purchase, items: huge })).toMatch(/at most 200 items/)
    expect(reads).toBe(0)
  })

  it('rejects a huge string by its length', () => {
    expect(rejectMessage({ type: 'search', query: 'x'.repeat(5_000_000) })).toMatch(/a string of 5000000 characters$/)
    expect(rejectMessage({ type: 'page_view', url: '/' + 'x'.repeat(5_000_000), pageType: 'home' })).toMatch(/^page_view\.url/)
  })

  it('never throws anything but a ValidationError for a mixed bag of values', () => {
    const values: unknown[] = [0, -1, NaN, Infinity, '', 'x', true, null, undefined, BigInt(1), Symbol('s'), [], {}, () => 0,
      new Date(), /re/, new Map(), Object.create(null), new Proxy({}, { get: () => { throw 1 } })]
    const fields = ['url', 'pageType', 'productId', 'price', 'currency', 'category', 'quantity', 'value', 'orderId',
      'items', 'query', 'visibleMs', 'scrollDepth', 'stats']
    for (const type of ['page_view', 'product_view', 'add_to_cart', 'remove_from_cart', 'begin_checkout', 'purchase',
      'refund', 'search', 'engagement']) {
      for (const field of fields) {
        for (const value of values) {
          try {
            validateEvent({ ...purchase, ...engagement, productId: 'p', query: 'q', type, [field]: value })
          } catch (error) {
            expect(error).toBeInstanceOf(ValidationError)
          }
        }
      }
    }
  })
})
