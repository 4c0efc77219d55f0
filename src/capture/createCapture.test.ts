import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { BridgeError, SegletError, ValidationError } from '../errors/index'
import type { StoredEvent } from '../events/types'
import ga4 from './fixtures/ga4-datalayer.json'
import shopify from './fixtures/shopify-web-pixels.json'
import { createCapture, NAVIGATION_SETTLE_MS, type CaptureOptions } from './index'
import { addHideListeners } from '../lib/addHideListeners'
import { DEFAULT_SESSION_GAP_MS } from '../features/sessionize'

type W = Window & Record<string, unknown>
const win = window as unknown as W

let events: StoredEvent[]
let errors: SegletError[]
let stops: Array<() => void>

function setup(options: CaptureOptions = {}) {
  const capture = createCapture({ enqueue: (e) => events.push(e), onError: (e) => errors.push(e), options })
  // The capture has no hide listener: the store's calls engagement(true) (its hide-time beforeWrite).
  stops.push(() => capture.stop(), addHideListeners(() => capture.engagement(true), () => {}))
  return capture
}
const strip = ({ id: _id, ts: _ts, ...rest }: StoredEvent) => rest
const ofType = (type: string) => events.filter((e) => e.type === type).map(strip)

function setVisibility(state: 'visible' | 'hidden') {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state })
  document.dispatchEvent(new Event('visibilitychange'))
}

beforeEach(() => {
  events = []
  errors = []
  stops = []
  history.replaceState(null, '', '/')
  document.head.innerHTML = ''
  document.body.innerHTML = ''
  delete win.dataLayer
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' })
})
afterEach(() => {
  for (const stop of stops) stop()
  vi.useRealTimers()
})

describe('track', () => {
  it('validates, stamps id and ts, and enqueues', () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 })
    const capture = setup()
    const stored = capture.track({ type: 'add_to_cart', productId: 'sku-1', extra: true })
    expect(stored).toEqual({ type: 'add_to_cart', productId: 'sku-1', quantity: 1, id: expect.any(String), ts: 1_700_000_000_000 })
    expect(events).toEqual([stored])
    expect(stored!.id).toMatch(/^[0-9a-f]{16}-0$/)
  })

  it('gives unique ids within a capture and different prefixes across captures (tabs)', () => {
    const a = setup()
    const b = setup()
    const ids = new Set<string>()
    for (let i = 0; i < 1000; i++) ids.add(a.track({ type: 'search', query: 'q' })!.id)
    expect(ids.size).toBe(1000)
    const idB = b.track({ type: 'search', query: 'q' })!.id
    expect(idB.slice(0, 16)).not.toBe([...ids][0].slice(0, 16))
  })

  it('throws ValidationError on bad input and enqueues nothing', () => {
    const capture = setup()
    expect(() => capture.track({ type: 'purchase', orderId: 'o', value: NaN, currency: 'EUR' })).toThrow(ValidationError)
    expect(() => capture.track(null)).toThrow(/event must be an object/)
    expect(events).toEqual([])
  })

  it('works without start() and before any window access', () => {
    const capture = setup()
    expect(capture.track({ type: 'search', query: 'x' })!.type).toBe('search')
  })

  it('is fast: median well under 20 µs', () => {
    const capture = createCapture({ enqueue: () => {}, onError: () => {} })
    const event = { type: 'purchase', orderId: 'o-1', value: 30, currency: 'EUR', items: [{ productId: 'a', price: 10, quantity: 3 }] }
    for (let i = 0; i < 2000; i++) capture.track(event)
    const samples: number[] = []
    for (let round = 0; round < 50; round++) {
      const t = performance.now()
      for (let i = 0; i < 200; i++) capture.track(event)
      samples.push(((performance.now() - t) * 1000) / 200)
    }
    samples.sort((x, y) => x - y)
    expect(samples[25]).toBeLessThan(20)
  })

  it('rejects bad options with an OptionsError', () => {
    expect(() => setup({ autocapture: 'yes' as unknown as boolean })).toThrow(/autocapture must be true or false/)
    expect(() => setup({ dataLayerName: 'data layer' })).toThrow(/dataLayerName/)
    expect(() => setup({ pageTypePatterns: [[/x/, 'landing' as never]] })).toThrow(/pageTypePatterns/)
  })
})

describe('autocapture: page views', () => {
  it('captures a page view on start, typed by the URL rules', () => {
    history.replaceState(null, '', '/collections/shoes?page=2#top')
    setup().start()
    expect(ofType('page_view')).toEqual([{ type: 'page_view', url: '/collections/shoes?page=2', pageType: 'category' }])
  })

  it.each([
    ['/', 'home'], ['/en-gb', 'home'], ['/?utm_source=x', 'home'], ['/products/red-shoe', 'product'],
    ['/fr/products/red-shoe', 'product'], ['/collections/all', 'category'], ['/category/shoes', 'category'],
    ['/cart', 'cart'], ['/checkout', 'checkout'], ['/checkouts/cn/abc', 'checkout'], ['/account/orders', 'account'],
    ['/login', 'account'], ['/pages/about-us', 'informational'], ['/policies/refund-policy', 'informational'],
    ['/about', 'informational'], ['/contact', 'informational'], ['/faq', 'informational'], ['/search?q=x', 'search'],
    ['/cartoons', 'other'], ['/blog-post', 'other'],
  ])('URL %s is %s', (url, pageType) => {
    history.replaceState(null, '', url)
    setup().start()
    expect(ofType('page_view')[0]).toMatchObject({ pageType })
  })

  it('uses custom URL rules in order, strings as substrings', () => {
    history.replaceState(null, '', '/shop/item-42')
    setup({ pageTypePatterns: [['/item-', 'product'], [/^\/shop/, 'category']] }).start()
    expect(ofType('page_view')[0]).toMatchObject({ pageType: 'product' })
  })

  it('page type precedence: meta > JSON-LD > URL', () => {
    history.replaceState(null, '', '/collections/x')
    document.body.innerHTML = '<script type="application/ld+json">{"@type":"Product","sku":"S1"}</script>'
    const capture = setup()
    capture.start()
    expect(ofType('page_view')[0]).toMatchObject({ pageType: 'product' })
    capture.stop()

    events = []
    history.replaceState(null, '', '/collections/y')
    document.head.innerHTML = '<meta name="seglet:page-type" content="Informational">'
    setup().start()
    expect(ofType('page_view')[0]).toMatchObject({ pageType: 'informational' })
    expect(ofType('product_view')).toEqual([])
  })

  it('ignores an unknown meta page type and falls back', () => {
    history.replaceState(null, '', '/cart')
    document.head.innerHTML = '<meta name="seglet:page-type" content="landing">'
    setup().start()
    expect(ofType('page_view')[0]).toMatchObject({ pageType: 'cart' })
  })

  it('reads a JSON-LD Product inside @graph into a product_view', () => {
    history.replaceState(null, '', '/p/1')
    document.head.innerHTML = `
      <script type="application/ld+json">{ not json </script>
      <script type="application/ld+json">${JSON.stringify({
        '@context': 'https://schema.org',
        '@graph': [
          { '@type': 'BreadcrumbList' },
          { '@type': ['Product'], '@id': 'https://shop.example/p/1#product', productID: 'P-1', category: 'Shoes',
            offers: [{ '@type': 'Offer', price: '49.90', priceCurrency: 'eur' }] },
        ],
      })}</script>`
    setup().start()
    expect(ofType('page_view')[0]).toMatchObject({ url: '/p/1', pageType: 'product' })
    expect(ofType('product_view')).toEqual([{ type: 'product_view', productId: 'P-1', price: 49.9, currency: 'EUR', category: 'Shoes' }])
  })

  it('reads AggregateOffer lowPrice', () => {
    document.head.innerHTML = `<script type="application/ld+json">${JSON.stringify({
      '@type': 'Product', sku: 12, offers: { '@type': 'AggregateOffer', lowPrice: 5, priceCurrency: 'USD' } })}</script>`
    setup().start()
    expect(ofType('product_view')).toEqual([{ type: 'product_view', productId: '12', price: 5, currency: 'USD' }])
  })

  it('adds page stats from meta, else from the options table or function', () => {
    document.head.innerHTML = '<meta name="seglet:page-stats" content="bounce=0.02;exit=0.05;value=12.5;junk=3">'
    const a = setup()
    a.start()
    expect(ofType('page_view')[0]).toMatchObject({ stats: { bounceRate: 0.02, exitRate: 0.05, pageValue: 12.5 } })
    a.stop()

    events = []
    document.head.innerHTML = ''
    history.replaceState(null, '', '/cart?x=1')
    const b = setup({ pageStats: { '/cart': { exitRate: 0.3 } } })
    b.start()
    expect(ofType('page_view')[0]).toMatchObject({ url: '/cart?x=1', stats: { exitRate: 0.3 } })
    b.stop()

    events = []
    history.replaceState(null, '', '/a')
    setup({ pageStats: (url) => (url === '/a' ? { pageValue: 7 } : undefined) }).start()
    expect(ofType('page_view')[0]).toMatchObject({ stats: { pageValue: 7 } })
  })

  it('reports invalid or throwing page stats and keeps the page view without them', () => {
    const a = setup({ pageStats: { '/': { bounceRate: 5 } } })
    a.start()
    expect(ofType('page_view')).toEqual([{ type: 'page_view', url: '/', pageType: 'home' }])
    expect(errors[0]).toMatchObject({ code: 'autocapture_failed' })
    expect(errors[0].message).toMatch(/stats\.bounceRate must be ≤ 1/)
    a.stop()
    errors = []
    events = []
    history.replaceState(null, '', '/b')
    setup({ pageStats: () => { throw new Error('shop bug') } }).start()
    expect(ofType('page_view')).toHaveLength(1)
    expect(errors).toHaveLength(1)
  })

  it('reads the page key from <meta name="seglet:page-key"> on load and after each SPA navigation', () => {
    vi.useFakeTimers()
    document.head.innerHTML = '<meta name="seglet:page-key" content=" product/mug ">'
    setup({ engagement: false }).start()
    expect(ofType('page_view')).toEqual([{ type: 'page_view', url: '/', pageType: 'home', pageKey: 'product/mug' }])
    history.pushState(null, '', '/cart')
    document.head.innerHTML = '<meta name="seglet:page-key" content="cart">'
    vi.advanceTimersByTime(NAVIGATION_SETTLE_MS)
    history.pushState(null, '', '/pages/about')
    document.head.innerHTML = ''
    vi.advanceTimersByTime(NAVIGATION_SETTLE_MS)
    expect(ofType('page_view').map((e) => (e as { pageKey?: string }).pageKey)).toEqual(['product/mug', 'cart', undefined])
    expect(errors).toEqual([])
  })

  it('reports a page key that is a URL and keeps the page view, and its stats, without it', () => {
    document.head.innerHTML =
      '<meta name="seglet:page-key" content="https://shop.example/products/mug?email=a@b.example"><meta name="seglet:page-stats" content="exit=0.5">'
    setup().start()
    expect(ofType('page_view')).toEqual([{ type: 'page_view', url: '/', pageType: 'home', stats: { exitRate: 0.5 } }])
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ code: 'autocapture_failed' })
    expect(errors[0].message).toMatch(/^page pageKey ignored: page_view\.pageKey must be a page key/)
  })

  it('does not look up the prototype chain of the stats table', () => {
    history.replaceState(null, '', '/constructor')
    setup({ pageStats: {} }).start()
    expect(ofType('page_view')[0]).not.toHaveProperty('stats')
    expect(errors).toEqual([])
  })

  it('waits for DOMContentLoaded while the document is loading', () => {
    Object.defineProperty(document, 'readyState', { configurable: true, get: () => 'loading' })
    try {
      setup().start()
      expect(ofType('page_view')).toEqual([])
      document.dispatchEvent(new Event('DOMContentLoaded'))
      expect(ofType('page_view')).toHaveLength(1)
    } finally {
      delete (document as unknown as Record<string, unknown>).readyState
    }
  })

  it('does nothing automatic with autocapture: false, or with pageViews: false', () => {
    setup({ autocapture: false }).start()
    history.pushState(null, '', '/x')
    win.dataLayer = [{ event: 'search', search_term: 'x' }]
    expect(events).toEqual([])
    delete win.dataLayer
    setup({ pageViews: false, engagement: false }).start()
    expect(events).toEqual([])
  })
})

describe('autocapture: a prerendered page', () => {
  const prerender = (on: boolean) => Object.defineProperty(document, 'prerendering', { configurable: true, get: () => on })
  afterEach(() => {
    delete (document as unknown as Record<string, unknown>).prerendering
  })

  it('captures nothing while the page is prerendered, and its page view, engagement and dataLayer entries once it is shown', () => {
    vi.useFakeTimers({ now: 1_000_000 })
    prerender(true)
    setVisibility('hidden')
    win.dataLayer = [{ event: 'search', search_term: 'mugs' }]
    setup().start()
    history.pushState(null, '', '/products/mug')
    vi.advanceTimersByTime(5_000)
    setVisibility('hidden')
    expect(events).toEqual([])
    // The shopper goes to the page: it is shown, and its page view is stamped then, at its address then.
    prerender(false)
    setVisibility('visible')
    document.dispatchEvent(new Event('prerenderingchange'))
    expect(events.filter((e) => e.type === 'page_view').map((e) => [e.url, e.ts])).toEqual([['/products/mug', 1_005_000]])
    expect(ofType('search')).toEqual([{ type: 'search', query: 'mugs' }])
    vi.advanceTimersByTime(2_000)
    setVisibility('hidden')
    // Engagement counts the time the page was seen, not the time it waited prerendered.
    expect(events.filter((e) => e.type === 'engagement').map((e) => e.visibleMs)).toEqual([2_000])
    expect(errors).toEqual([])
  })

  it('captures nothing from a prerendered page that is stopped before it is shown, or never shown', () => {
    prerender(true)
    const capture = setup()
    capture.start()
    capture.stop()
    prerender(false)
    document.dispatchEvent(new Event('prerenderingchange'))
    history.pushState(null, '', '/x')
    expect(events).toEqual([])
    expect(errors).toEqual([])
  })
})

describe('autocapture: SPA navigation', () => {
  beforeEach(() => vi.useFakeTimers())

  it('captures pushState, replaceState to a new URL and popstate, once the page settled', () => {
    setup({ engagement: false }).start()
    history.pushState({ a: 1 }, '', '/products/a')
    expect(ofType('page_view')).toHaveLength(1)
    document.head.innerHTML = '<meta name="seglet:page-type" content="checkout">'
    vi.advanceTimersByTime(NAVIGATION_SETTLE_MS)
    expect(ofType('page_view')[1]).toEqual({ type: 'page_view', url: '/products/a', pageType: 'checkout' })
    document.head.innerHTML = ''

    history.replaceState(null, '', '/cart')
    vi.advanceTimersByTime(NAVIGATION_SETTLE_MS)
    history.pushState(null, '', '/search?q=1')
    vi.advanceTimersByTime(NAVIGATION_SETTLE_MS)
    history.replaceState(null, '', '/cart')
    window.dispatchEvent(new PopStateEvent('popstate'))
    vi.advanceTimersByTime(NAVIGATION_SETTLE_MS)
    expect(ofType('page_view').map((e) => (e as { url: string }).url)).toEqual(['/', '/products/a', '/cart', '/search?q=1', '/cart'])
  })

  it("drops a tracked page view of the address whose page view was just recorded: a router hook that also runs for the page's first route", () => {
    history.replaceState(null, '', '/products/a?variant=2')
    const capture = setup({ engagement: false })
    capture.start()
    // The router's hook for the route the page loaded with: the same page view as autocapture's.
    expect(capture.track({ type: 'page_view', url: '/products/a?variant=2#reviews', pageType: 'product' })).toBeUndefined()
    expect(ofType('page_view')).toEqual([{ type: 'page_view', url: '/products/a?variant=2', pageType: 'product' }])
    // A route change tracked before autocapture's own settles: kept, and autocapture's dropped.
    history.pushState(null, '', '/cart')
    expect(capture.track({ type: 'page_view', url: '/cart', pageType: 'cart' })).toMatchObject({ type: 'page_view', url: '/cart' })
    expect(capture.track({ type: 'page_view', url: '/cart', pageType: 'cart' })).toBeUndefined()
    vi.advanceTimersByTime(NAVIGATION_SETTLE_MS)
    // Another address, then back: each a page view of its own; other events of the same address are kept.
    capture.track({ type: 'page_view', url: '/products/a?variant=2', pageType: 'product' })
    capture.track({ type: 'engagement', url: '/products/a?variant=2', pageType: 'product', visibleMs: 10, scrollDepth: 0 })
    expect(ofType('page_view').map((e) => (e as { url: string }).url)).toEqual(['/products/a?variant=2', '/cart', '/products/a?variant=2'])
    expect(ofType('engagement')).toHaveLength(1)
    expect(errors).toEqual([])
  })

  it("keeps a page view tracked at a restore from the back/forward cache, the README's recipe for counting one", () => {
    history.replaceState(null, '', '/products/a')
    const capture = setup({ engagement: false })
    capture.start()
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }))
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }))
    capture.track({ type: 'page_view', url: '/products/a', pageType: 'product' })
    expect(ofType('page_view').map((e) => (e as { url: string }).url)).toEqual(['/products/a', '/products/a'])
  })

  it('drops a hash router\'s first route tracked as Seglet recorded it, and keeps its other routes', () => {
    history.replaceState(null, '', '/#/')
    const capture = setup({ engagement: false })
    capture.start()
    const route = () => ({ type: 'page_view', url: location.hash.slice(1) || '/', pageType: 'other' })
    expect(capture.track(route())).toBeUndefined()
    history.pushState(null, '', '/#/cart')
    capture.track(route())
    expect(ofType('page_view').map((e) => (e as { url: string }).url)).toEqual(['/', '/cart'])
  })

  it('dedupes replaceState to the same URL and hash-only changes', () => {
    setup({ engagement: false }).start()
    history.replaceState({ scroll: 1 }, '', '/')
    history.replaceState(null, '', '/#section')
    history.pushState(null, '', '/#other')
    vi.advanceTimersByTime(NAVIGATION_SETTLE_MS * 2)
    expect(ofType('page_view')).toHaveLength(1)
  })

  it('keeps one page view when replaceState changes only the query or hash of the path (a variant picker, filters)', () => {
    history.replaceState(null, '', '/products/mug')
    document.head.innerHTML = `<script type="application/ld+json">${JSON.stringify({ '@type': 'Product', sku: 'mug', offers: { price: '12', priceCurrency: 'EUR' } })}</script>`
    const root = document.documentElement
    Object.defineProperty(root, 'scrollHeight', { configurable: true, get: () => 4000 })
    Object.defineProperty(window, 'innerHeight', { configurable: true, value: 1000 })
    let y = 2000
    Object.defineProperty(window, 'scrollY', { configurable: true, get: () => y })
    try {
      setup().start()
      vi.advanceTimersByTime(1000)
      window.dispatchEvent(new Event('scroll'))
      vi.advanceTimersByTime(1000)
      y = 0
      for (const url of ['/products/mug?variant=1', '/products/mug?variant=2#reviews', '/products/mug?variant=3']) {
        history.replaceState(null, '', url)
        vi.advanceTimersByTime(NAVIGATION_SETTLE_MS)
      }
      ;(win.dataLayer as unknown[]).push({ event: 'view_item', ecommerce: { currency: 'EUR', items: [{ item_id: 'mug', price: 12 }] } })
      expect(ofType('page_view')).toEqual([{ type: 'page_view', url: '/products/mug', pageType: 'product' }])
      expect(ofType('product_view')).toHaveLength(1)
      expect(ofType('engagement')).toEqual([])
      // The page's record goes on, with the page's new address, its type and its deepest scroll.
      setVisibility('hidden')
      expect(ofType('engagement')).toEqual([{ type: 'engagement', url: '/products/mug?variant=3', pageType: 'product', visibleMs: 2300, scrollDepth: 0.75 }])
    } finally {
      delete (root as unknown as Record<string, unknown>).scrollHeight
      delete (window as unknown as Record<string, unknown>).scrollY
    }
  })

  it('still starts a page view on replaceState to another path, and on pushState or popstate within the path', () => {
    setup({ engagement: false }).start()
    history.replaceState(null, '', '/account') // a router's redirect after a login
    vi.advanceTimersByTime(NAVIGATION_SETTLE_MS)
    history.replaceState(null, '', '/account?tab=orders')
    vi.advanceTimersByTime(NAVIGATION_SETTLE_MS)
    history.pushState(null, '', '/account')
    vi.advanceTimersByTime(NAVIGATION_SETTLE_MS)
    history.pushState(null, '', '/account?tab=address')
    vi.advanceTimersByTime(NAVIGATION_SETTLE_MS)
    Object.getPrototypeOf(history).replaceState.call(history, null, '', '/account?tab=orders') // as the browser's back button does
    window.dispatchEvent(new PopStateEvent('popstate'))
    vi.advanceTimersByTime(NAVIGATION_SETTLE_MS)
    expect(ofType('page_view').map((e) => (e as { url: string }).url)).toEqual(['/', '/account', '/account', '/account?tab=address', '/account?tab=orders'])
  })

  it('takes a replaceState within the path while a navigation settles into that page view', () => {
    setup({ engagement: false }).start()
    history.pushState(null, '', '/products/mug')
    history.replaceState(null, '', '/products/mug?variant=1')
    vi.advanceTimersByTime(NAVIGATION_SETTLE_MS)
    expect(ofType('page_view').map((e) => (e as { url: string }).url)).toEqual(['/', '/products/mug?variant=1'])
  })

  it('coalesces navigations within the settle time into one page view', () => {
    setup({ engagement: false }).start()
    history.pushState(null, '', '/a')
    history.pushState(null, '', '/b')
    vi.advanceTimersByTime(NAVIGATION_SETTLE_MS)
    expect(ofType('page_view').map((e) => (e as { url: string }).url)).toEqual(['/', '/b'])
  })

  it('keeps pushState/replaceState behaviour and return values, and restores them on stop', () => {
    const proto = Object.getPrototypeOf(history)
    const originalPush = history.pushState
    const capture = setup()
    capture.start()
    expect(history.pushState).not.toBe(originalPush)
    expect(history.pushState({ k: 1 }, '', '/p')).toBeUndefined()
    expect(history.state).toEqual({ k: 1 })
    expect(location.pathname).toBe('/p')
    expect(() => history.pushState(null, '', 'https://elsewhere.example/')).toThrow()
    capture.stop()
    expect(history.pushState).toBe(proto.pushState)
    expect(history.replaceState).toBe(proto.replaceState)
    expect(Object.prototype.hasOwnProperty.call(history, 'pushState')).toBe(false)
    history.pushState(null, '', '/after-stop')
    vi.advanceTimersByTime(NAVIGATION_SETTLE_MS)
    expect(ofType('page_view').map((e) => (e as { url: string }).url)).toEqual(['/'])
  })

  it('leaves a later wrapper (another library) working after stop', () => {
    const capture = setup()
    capture.start()
    const ours = history.pushState
    const calls: unknown[] = []
    history.pushState = function (...args: Parameters<History['pushState']>) {
      calls.push(args[2])
      return ours.apply(this, args)
    }
    capture.stop()
    history.pushState(null, '', '/z')
    expect(calls).toEqual(['/z'])
    expect(location.pathname).toBe('/z')
    delete (history as unknown as Record<string, unknown>).pushState
  })

  it('reports a failing enqueue instead of throwing into the router', () => {
    const capture = createCapture({
      enqueue: () => { throw new Error('store down') },
      onError: (e) => errors.push(e),
    })
    stops.push(() => capture.stop())
    capture.start()
    expect(() => history.pushState(null, '', '/x')).not.toThrow()
    vi.advanceTimersByTime(NAVIGATION_SETTLE_MS)
    expect(errors.length).toBeGreaterThan(0)
    expect(errors.every((e) => e.code === 'autocapture_failed')).toBe(true)
  })

  it('survives an onError that throws', () => {
    const capture = createCapture({
      enqueue: () => { throw new Error('store down') },
      onError: () => { throw new Error('reporter down') },
    })
    stops.push(() => capture.stop())
    expect(() => capture.start()).not.toThrow()
  })
})

describe('autocapture: engagement', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }))

  it('accumulates visible time only while visible and emits the page view\'s total on hidden, as one record', () => {
    history.replaceState(null, '', '/products/a')
    setup({ scrollDepth: false }).start()
    vi.advanceTimersByTime(3000)
    setVisibility('hidden')
    expect(ofType('engagement')).toEqual([{ type: 'engagement', url: '/products/a', pageType: 'product', visibleMs: 3000, scrollDepth: 0 }])
    vi.advanceTimersByTime(60_000) // hidden: not counted
    setVisibility('visible')
    vi.advanceTimersByTime(2000)
    setVisibility('hidden')
    expect(ofType('engagement').map((e) => (e as { visibleMs: number }).visibleMs)).toEqual([3000, 5000])
    // An update of the same record: stored, it replaces the first emission.
    const ids = events.filter((e) => e.type === 'engagement').map((e) => e.id)
    expect(new Set(ids).size).toBe(1)
  })

  it('emits nothing for a hidden page that gained no time, and flushes on pagehide without double counting', () => {
    setup({ scrollDepth: false }).start()
    vi.advanceTimersByTime(1000)
    setVisibility('hidden')
    window.dispatchEvent(new Event('pagehide'))
    setVisibility('hidden')
    expect(ofType('engagement').map((e) => (e as { visibleMs: number }).visibleMs)).toEqual([1000])
    setVisibility('visible')
    vi.advanceTimersByTime(500)
    window.dispatchEvent(new Event('pagehide'))
    expect(ofType('engagement').map((e) => (e as { visibleMs: number }).visibleMs)).toEqual([1000, 1500])
  })

  it('a link that leaves the page where it is (mailto:, tel:, a download) fires beforeunload: the time so far is emitted and the clock goes on', () => {
    setup({ scrollDepth: false }).start()
    vi.advanceTimersByTime(1000)
    // Chromium fires beforeunload for each of these links, and the page stays.
    window.dispatchEvent(new Event('beforeunload'))
    expect(ofType('engagement').map((e) => (e as { visibleMs: number }).visibleMs)).toEqual([1000])
    vi.advanceTimersByTime(2000)
    window.dispatchEvent(new Event('pagehide'))
    expect(ofType('engagement').map((e) => (e as { visibleMs: number }).visibleMs)).toEqual([1000, 3000])
    // A page that is then left: hidden, no more time.
    setVisibility('hidden')
    vi.advanceTimersByTime(5000)
    window.dispatchEvent(new Event('beforeunload'))
    vi.advanceTimersByTime(5000)
    setVisibility('visible')
    vi.advanceTimersByTime(500)
    setVisibility('hidden')
    expect(ofType('engagement').map((e) => (e as { visibleMs: number }).visibleMs)).toEqual([1000, 3000, 3500])
  })

  it('engagement(true) emits the page\'s time as pagehide would, and the pagehide after it adds nothing', () => {
    const capture = setup({ scrollDepth: false })
    capture.start()
    vi.advanceTimersByTime(1500)
    capture.engagement(true)
    expect(ofType('engagement').map((e) => (e as { visibleMs: number }).visibleMs)).toEqual([1500])
    vi.advanceTimersByTime(800) // the clock stopped with engagement(true)
    window.dispatchEvent(new Event('pagehide'))
    capture.engagement(true)
    expect(ofType('engagement').map((e) => (e as { visibleMs: number }).visibleMs)).toEqual([1500])
  })

  it('a page restored from the back/forward cache records no new page view: its time goes on in the same record', () => {
    history.replaceState(null, '', '/products/a')
    setup({ scrollDepth: false }).start()
    vi.advanceTimersByTime(2000)
    // The shopper follows a link: the page goes into the cache, then comes back with the back button.
    setVisibility('hidden')
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }))
    vi.advanceTimersByTime(60_000)
    setVisibility('visible')
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }))
    vi.advanceTimersByTime(1000)
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }))
    expect(ofType('page_view')).toHaveLength(1)
    expect(ofType('engagement').map((e) => (e as { visibleMs: number }).visibleMs)).toEqual([2000, 3000])
    expect(new Set(events.filter((e) => e.type === 'engagement').map((e) => e.id)).size).toBe(1)
  })

  it('starts the clock only when a page loaded hidden becomes visible', () => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' })
    setup({ scrollDepth: false }).start()
    vi.advanceTimersByTime(10_000)
    setVisibility('visible')
    vi.advanceTimersByTime(1500)
    setVisibility('hidden')
    expect(ofType('engagement')).toMatchObject([{ visibleMs: 1500 }])
  })

  it('gives a page view to the record of a page the shopper left and came back to within the settle time', () => {
    history.replaceState(null, '', '/products/a')
    setup({ scrollDepth: false }).start()
    vi.advanceTimersByTime(4000)
    history.pushState(null, '', '/cart')
    vi.advanceTimersByTime(NAVIGATION_SETTLE_MS / 2)
    // The browser's back button: the address changes, then popstate.
    Object.getPrototypeOf(history).replaceState.call(history, null, '', '/products/a')
    window.dispatchEvent(new PopStateEvent('popstate'))
    vi.advanceTimersByTime(2000)
    setVisibility('hidden')
    const views = events.filter((e) => e.type === 'page_view')
    const records = new Set(events.filter((e) => e.type === 'engagement').map((e) => e.id))
    expect(views.map((e) => (e as { url: string }).url)).toEqual(['/products/a', '/products/a'])
    // Each engagement record is one page view's.
    expect(records.size).toBe(views.length)
  })

  it('emits the old page engagement on SPA navigation, typed as that page', () => {
    history.replaceState(null, '', '/products/a')
    setup({ scrollDepth: false }).start()
    vi.advanceTimersByTime(4000)
    history.pushState(null, '', '/cart')
    expect(ofType('engagement')).toEqual([{ type: 'engagement', url: '/products/a', pageType: 'product', visibleMs: 4000, scrollDepth: 0 }])
    vi.advanceTimersByTime(1000)
    setVisibility('hidden')
    expect(ofType('engagement')[1]).toEqual({ type: 'engagement', url: '/cart', pageType: 'cart', visibleMs: 1000, scrollDepth: 0 })
    // A new page view, a new record.
    const [a, b] = events.filter((e) => e.type === 'engagement')
    expect(a.id).not.toBe(b.id)
  })

  it('engagement(false) emits the time so far as an update of the page view\'s record, and the clock keeps running', () => {
    const capture = setup({ scrollDepth: false })
    capture.start()
    vi.advanceTimersByTime(1200)
    capture.engagement(false)
    capture.engagement(false) // nothing changed: nothing emitted
    vi.advanceTimersByTime(300)
    capture.engagement(false)
    vi.advanceTimersByTime(500)
    window.dispatchEvent(new Event('pagehide'))
    const emitted = events.filter((e) => e.type === 'engagement') as Array<StoredEvent & { visibleMs: number }>
    expect(emitted.map((e) => e.visibleMs)).toEqual([1200, 1500, 2000])
    expect(new Set(emitted.map((e) => e.id)).size).toBe(1)
    expect(emitted.map((e) => e.ts)).toEqual([1_001_200, 1_001_500, 1_002_000])
  })

  it('counts at most a session gap of visible time between two writes: a laptop asleep with the page in front adds no hours', () => {
    const capture = setup({ scrollDepth: false })
    capture.start()
    vi.advanceTimersByTime(20 * 60_000)
    capture.engagement(false) // a write: 20 minutes so far
    vi.advanceTimersByTime(20 * 60_000)
    capture.engagement(false) // 20 more: every stretch between two writes counts in full up to the gap
    // The lid closes with the page in front: no timer runs, no event, and the wall clock moves 8 hours on.
    vi.setSystemTime(Date.now() + 8 * 3_600_000)
    vi.advanceTimersByTime(5000)
    setVisibility('hidden')
    const emitted = ofType('engagement').map((e) => (e as { visibleMs: number }).visibleMs)
    expect(emitted).toEqual([20 * 60_000, 40 * 60_000, 40 * 60_000 + DEFAULT_SESSION_GAP_MS])
  })

  it('a page left within the settle time hands its time and its record to the next page', () => {
    const capture = setup({ scrollDepth: false })
    capture.start()
    vi.advanceTimersByTime(1000)
    history.pushState(null, '', '/a') // emits the home page's record, starts a new one
    vi.advanceTimersByTime(20)
    capture.engagement(false) // a write while /a settles
    history.pushState(null, '', '/cart') // /a never got its page view
    vi.advanceTimersByTime(30)
    capture.engagement(false)
    const [home, a, cart] = events.filter((e) => e.type === 'engagement') as Array<StoredEvent & { url: string; visibleMs: number }>
    expect([home.url, home.visibleMs]).toEqual(['/', 1000])
    expect([a.url, a.visibleMs]).toEqual(['/a', 20])
    expect([cart.url, cart.visibleMs]).toEqual(['/cart', 50])
    expect(cart.id).toBe(a.id) // replaces /a's record: the 20 ms are not counted twice
    expect(a.id).not.toBe(home.id)
  })

  it('flushes on stop', () => {
    const capture = setup({ scrollDepth: false })
    capture.start()
    vi.advanceTimersByTime(700)
    capture.stop()
    expect(ofType('engagement')).toMatchObject([{ visibleMs: 700 }])
    setVisibility('hidden')
    expect(ofType('engagement')).toHaveLength(1)
  })

  it('records the deepest scroll, measured at most once per 100 ms after the frame, and before each emission', () => {
    const root = document.documentElement
    Object.defineProperty(root, 'scrollHeight', { configurable: true, get: () => 4000 })
    Object.defineProperty(window, 'innerHeight', { configurable: true, value: 1000 })
    let reads = 0
    let y = 0
    Object.defineProperty(window, 'scrollY', { configurable: true, get: () => { reads++; return y } })
    const frames = vi.spyOn(window, 'requestAnimationFrame')
    try {
      setup().start()
      vi.advanceTimersByTime(120)
      y = 2000
      for (let i = 0; i < 50; i++) window.dispatchEvent(new Event('scroll'))
      vi.advanceTimersByTime(60)
      expect(reads).toBe(1)
      vi.advanceTimersByTime(60)
      y = 500
      window.dispatchEvent(new Event('scroll'))
      vi.advanceTimersByTime(120)
      expect(reads).toBeLessThanOrEqual(3)
      // Never in an animation frame: a read there forces the layout the frame was about to do.
      expect(frames).not.toHaveBeenCalled()
      setVisibility('hidden')
      expect(ofType('engagement')[0]).toMatchObject({ scrollDepth: 0.75 })
      // Scroll depth alone (no new visible time) is emitted again only if it grew.
      setVisibility('visible')
      setVisibility('hidden')
      expect(ofType('engagement')).toHaveLength(1)
      // A scroll right before the page is hidden is measured with that emission, not lost with the timer.
      setVisibility('visible')
      y = 3000
      window.dispatchEvent(new Event('scroll'))
      setVisibility('hidden')
      expect(ofType('engagement').at(-1)).toMatchObject({ scrollDepth: 1 })
    } finally {
      frames.mockRestore()
      delete (root as unknown as Record<string, unknown>).scrollHeight
      delete (window as unknown as Record<string, unknown>).scrollY
    }
  })

  it('reads no layout inside a router\'s click handler: an SPA navigation right after a scroll leaves that scroll to its timer, which measures the new page view', () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 })
    const root = document.documentElement
    let height = 4000
    let reads = 0
    let y = 0
    Object.defineProperty(root, 'scrollHeight', { configurable: true, get: () => (reads++, height) })
    Object.defineProperty(window, 'innerHeight', { configurable: true, value: 1000 })
    Object.defineProperty(window, 'scrollY', { configurable: true, get: () => (reads++, y) })
    const link = document.createElement('a')
    link.href = '/collections/fiction'
    document.body.append(link)
    let readsInClick = -1
    link.addEventListener('click', (event) => {
      // A router that renders the new page, then commits its address.
      event.preventDefault()
      const before = reads
      height = 9000
      history.pushState(null, '', '/collections/fiction')
      readsInClick = reads - before
    })
    try {
      setup().start()
      vi.advanceTimersByTime(200)
      y = 2000
      window.dispatchEvent(new Event('scroll'))
      vi.advanceTimersByTime(40)
      link.click()
      expect(readsInClick).toBe(0)
      // The page left still got its engagement at the navigation (its visible time), with the depth measured before.
      expect(ofType('engagement')).toEqual([{ type: 'engagement', url: '/', pageType: 'home', visibleMs: 240, scrollDepth: 0.25 }])
      // The scroll's timer measures after the click, in a task of its own: the new page's depth.
      vi.advanceTimersByTime(NAVIGATION_SETTLE_MS)
      expect(reads).toBeGreaterThan(0)
      setVisibility('hidden')
      expect(ofType('engagement').at(-1)).toMatchObject({ url: '/collections/fiction', scrollDepth: 3000 / 9000 })
    } finally {
      link.remove()
      delete (root as unknown as Record<string, unknown>).scrollHeight
      delete (window as unknown as Record<string, unknown>).scrollY
    }
  })

  it('registers a passive scroll listener, the page lifecycle ones on the window in the capture phase (no hide listener: the store\'s asks), and removes every one on stop', () => {
    const added: Array<[string, unknown, EventTarget]> = []
    const removed: string[] = []
    const spies = [window, document].flatMap((target) => [
      vi.spyOn(target, 'addEventListener').mockImplementation(function (this: EventTarget, type: string, _l: unknown, o?: unknown) {
        added.push([type, o, target])
      }),
      vi.spyOn(target, 'removeEventListener').mockImplementation((type: string) => { removed.push(type) }),
    ])
    try {
      const capture = createCapture({ enqueue: (e) => events.push(e), onError: (e) => errors.push(e) })
      capture.start()
      capture.stop()
      for (const [type, options, target] of added) {
        if (type === 'scroll') expect(options).toMatchObject({ passive: true })
        // Before any page handler, so one that stops propagation cannot stop the clock or keep the page view.
        if (/^(visibilitychange|pagehide|pageshow)$/.test(type)) expect([options, target]).toEqual([true, window])
      }
      expect(added.map(([t]) => t)).toEqual(expect.arrayContaining(['scroll', 'visibilitychange', 'pageshow']))
      expect(added.map(([t]) => t)).not.toContain('pagehide')
      expect(added.map(([t]) => t).sort()).toEqual([...removed].sort())
    } finally {
      for (const spy of spies) spy.mockRestore()
    }
  })
})

describe('GA4 dataLayer bridge', () => {
  it('maps existing entries and new pushes from the recorded fixture', () => {
    win.dataLayer = ga4.slice(0, 6)
    setup({ pageViews: false, engagement: false }).start()
    for (const entry of ga4.slice(6)) (win.dataLayer as unknown[]).push(entry)
    expect(events.map(strip)).toEqual([
      { type: 'page_view', url: '/', pageType: 'category' },
      { type: 'product_view', productId: 'SKU_12345', price: 10.01, currency: 'USD', category: 'Apparel' },
      { type: 'add_to_cart', productId: 'SKU_12345', quantity: 3, price: 10.01, currency: 'USD' },
      { type: 'remove_from_cart', productId: 'SKU_12345', quantity: 1, price: 10.01, currency: 'USD' },
      { type: 'begin_checkout', value: 62.04, currency: 'USD', items: [
        { productId: 'SKU_12345', quantity: 2, price: 10.01, category: 'Apparel' },
        { productId: 'SKU_12346', quantity: 2, price: 21.01, category: 'Apparel' },
      ] },
      { type: 'purchase', orderId: 'T_12345', value: 72.05, currency: 'USD', items: [
        { productId: 'SKU_12345', quantity: 3, price: 10.01, category: 'Apparel' },
        { productId: 'SKU_12346', quantity: 2, price: 21.01, category: 'Apparel' },
      ] },
      { type: 'refund', orderId: 'T_12345', value: 30.03, currency: 'USD', items: [{ productId: 'SKU_12345', quantity: 3, price: 10.01 }] },
      { type: 'search', query: 't-shirts' },
    ])
    expect(errors).toEqual([])
  })

  it('does not turn a page that already had its page view into a category page', () => {
    history.replaceState(null, '', '/')
    win.dataLayer = [ga4[3]]
    setup({ engagement: false }).start()
    expect(ofType('page_view')).toEqual([{ type: 'page_view', url: '/', pageType: 'home' }])
  })

  it('leaves push behaviour and return value unchanged, and restores push on stop', () => {
    win.dataLayer = [{ event: 'gtm.js' }]
    const layer = win.dataLayer as unknown[]
    const capture = setup({ pageViews: false, engagement: false })
    capture.start()
    expect(layer.push({ a: 1 }, { b: 2 })).toBe(3)
    expect([...layer]).toEqual([{ event: 'gtm.js' }, { a: 1 }, { b: 2 }])
    capture.stop()
    expect(layer.push).toBe(Array.prototype.push)
    expect(Object.prototype.hasOwnProperty.call(layer, 'push')).toBe(false)
  })

  it('wraps an existing GTM-style push wrapper and keeps its return value', () => {
    const seen: unknown[] = []
    const layer: unknown[] = []
    const gtmPush = function (this: unknown[], ...items: unknown[]) {
      seen.push(...items)
      Array.prototype.push.apply(this, items)
      return true // GTM's push returns whether the event was processed
    }
    Object.defineProperty(layer, 'push', { value: gtmPush, writable: true, configurable: true })
    win.dataLayer = layer
    const capture = setup({ pageViews: false, engagement: false })
    capture.start()
    expect(layer.push({ event: 'search', search_term: 'boots' })).toBe(true)
    expect(seen).toHaveLength(1)
    expect(ofType('search')).toEqual([{ type: 'search', query: 'boots' }])
    capture.stop()
    expect(layer.push).toBe(gtmPush)
  })

  it('creates the data layer when absent so a later tag adopts it', () => {
    setup({ pageViews: false, engagement: false }).start()
    expect(Array.isArray(win.dataLayer)).toBe(true)
    win.dataLayer = win.dataLayer || []
    ;(win.dataLayer as unknown[]).push({ event: 'search', search_term: 'late' })
    expect(ofType('search')).toEqual([{ type: 'search', query: 'late' }])
  })

  it('uses a custom dataLayerName', () => {
    win.shopLayer = [{ event: 'search', search_term: 'named' }]
    setup({ pageViews: false, engagement: false, dataLayerName: 'shopLayer' }).start()
    expect(ofType('search')).toEqual([{ type: 'search', query: 'named' }])
    delete win.shopLayer
  })

  it('understands gtag arguments objects', () => {
    win.dataLayer = []
    setup({ pageViews: false, engagement: false }).start()
    function gtag(..._args: unknown[]) {
      // eslint-disable-next-line prefer-rest-params
      ;(win.dataLayer as unknown[]).push(arguments)
    }
    gtag('js', new Date())
    gtag('config', 'G-XXXX')
    gtag('event', 'purchase', { transaction_id: 'G-1', value: 20, currency: 'eur', items: [{ item_id: 7, price: 10, quantity: 2 }] })
    gtag('event', 'view_item', { currency: 'EUR', items: [{ item_name: 'Mug', price: 4 }] })
    expect(events.map(strip)).toEqual([
      { type: 'purchase', orderId: 'G-1', value: 20, currency: 'EUR', items: [{ productId: '7', quantity: 2, price: 10 }] },
      { type: 'product_view', productId: 'Mug', price: 4, currency: 'EUR' },
    ])
  })

  it('never double-captures a purchase within the page', () => {
    const purchase = ga4[13]
    win.dataLayer = [purchase]
    const capture = setup({ pageViews: false, engagement: false })
    capture.start()
    ;(win.dataLayer as unknown[]).push(purchase)
    ;(win.dataLayer as unknown[]).push(['event', 'purchase', { transaction_id: 'T_12345', value: 72.05, currency: 'USD' }])
    capture.shopifyEvent({ name: 'checkout_completed', data: { checkout: { order: { id: 'T_12345' }, totalPrice: { amount: 1 }, currencyCode: 'USD' } } })
    expect(ofType('purchase')).toHaveLength(1)
  })

  it('falls back to the items sum when value is missing', () => {
    win.dataLayer = [{ event: 'purchase', ecommerce: { transaction_id: 'X', currency: 'USD', items: [{ item_id: 'a', price: '2.5', quantity: 2 }, { item_id: 'b', price: 1 }] } }]
    setup({ pageViews: false, engagement: false }).start()
    expect(ofType('purchase')[0]).toMatchObject({ value: 6 })
  })

  it.each([
    ['purchase without transaction_id', { event: 'purchase', ecommerce: { value: 1, currency: 'USD', items: [] } }, /purchase\.orderId/],
    ['purchase with NaN value', ['event', 'purchase', { transaction_id: 'n', value: NaN, currency: 'USD' }], /purchase\.value .* got NaN/],
    ['add_to_cart without items', { event: 'add_to_cart', ecommerce: { currency: 'USD' } }, /add_to_cart\.productId/],
    ['add_to_cart negative quantity', { event: 'add_to_cart', ecommerce: { items: [{ item_id: 'a', quantity: -1 }] } }, /quantity/],
    ['view_item with items not an array', { event: 'view_item', ecommerce: { items: 'x' } }, /product_view\.productId/],
    ['begin_checkout with 500 items', { event: 'begin_checkout', ecommerce: { items: new Array(500).fill({ item_id: 'a', price: 1 }) } }, /at most 200 items/],
    ['search without a term', { event: 'search' }, /search\.query/],
    ['an ecommerce getter that throws', { event: 'purchase', get ecommerce() { throw new Error('x') } }, /dropped/],
  ])('reports %s as bridge_invalid without throwing', (_name, entry, message) => {
    win.dataLayer = []
    setup({ pageViews: false, engagement: false }).start()
    let result: unknown
    expect(() => { result = (win.dataLayer as unknown[]).push(entry) }).not.toThrow()
    expect(result).toBe(1)
    expect(events).toEqual([])
    expect(errors).toHaveLength(1)
    expect(errors[0]).toBeInstanceOf(BridgeError)
    expect(errors[0].code).toBe('bridge_invalid')
    expect(errors[0].message).toMatch(message)
  })

  it('ignores unrelated and odd entries silently', () => {
    win.dataLayer = []
    setup({ pageViews: false, engagement: false }).start()
    const layer = win.dataLayer as unknown[]
    layer.push({ event: 'gtm.js' }, { ecommerce: null }, null, 42, 'str', Symbol('s'), BigInt(1), [], ['config', 'G-1'],
      { event: 'custom' }, { event: 12 }, new Proxy({}, { get: () => undefined }))
    expect(events).toEqual([])
    expect(errors).toEqual([])
  })

  it('reports a data layer that is not an array', () => {
    win.dataLayer = { push: 1 }
    expect(() => setup({ pageViews: false, engagement: false }).start()).not.toThrow()
    expect(errors[0]).toMatchObject({ code: 'bridge_invalid' })
  })
})

describe('Shopify customer events bridge', () => {
  const s = shopify as Record<string, unknown>

  it.each([
    ['page_viewed', [{ type: 'page_view', url: '/products/alpine-jacket?variant=41234567890123', pageType: 'product' }]],
    ['collection_viewed', [{ type: 'page_view', url: '/collections/outerwear?sort_by=price-ascending', pageType: 'category' }]],
    ['product_viewed', [{ type: 'product_view', productId: '7012345678901', price: 189, currency: 'GBP', category: 'Jackets' }]],
    ['product_added_to_cart', [{ type: 'add_to_cart', productId: '7012345678901', quantity: 2, price: 189, currency: 'GBP' }]],
    ['checkout_started', [{ type: 'begin_checkout', value: 408.95, currency: 'GBP', items: [
      { productId: '7012345678901', quantity: 2, price: 189, category: 'Jackets' },
      { productId: '7012345678999', quantity: 1, price: 25 },
    ] }]],
    ['checkout_completed', [{ type: 'purchase', orderId: '5551234567890', value: 408.95, currency: 'GBP', items: [
      { productId: '7012345678901', quantity: 2, price: 189, category: 'Jackets' },
      { productId: '7012345678999', quantity: 1, price: 25 },
    ] }]],
    ['search_submitted', [{ type: 'search', query: 'wool beanie' }]],
  ])('maps %s', (name, expected) => {
    const capture = setup()
    capture.shopifyEvent(s[name])
    expect(events.map(strip)).toEqual(expected)
    expect(errors).toEqual([])
  })

  it('falls back to the checkout token when there is no order id', () => {
    const event = structuredClone(s.checkout_completed) as { data: { checkout: { order?: unknown } } }
    delete event.data.checkout.order
    setup().shopifyEvent(event)
    expect(ofType('purchase')[0]).toMatchObject({ orderId: 'Z2NwLWV1cm9wZS13ZXN0NDox' })
  })

  it('drops a page_viewed for the URL autocapture already viewed', () => {
    history.replaceState(null, '', '/products/alpine-jacket?variant=41234567890123')
    const capture = setup({ engagement: false })
    capture.start()
    capture.shopifyEvent(s.page_viewed)
    expect(ofType('page_view')).toHaveLength(1)
  })

  it('ignores other Shopify events silently', () => {
    const capture = setup()
    capture.shopifyEvent({ name: 'cart_viewed', data: {} })
    capture.shopifyEvent({ name: 'payment_info_submitted', data: {} })
    expect(events).toEqual([])
    expect(errors).toEqual([])
  })

  it.each([
    ['null', null, 0],
    ['a string', 'product_viewed', 0],
    ['product_viewed without data', { name: 'product_viewed' }, 1],
    ['product_added_to_cart with null cartLine', { name: 'product_added_to_cart', data: { cartLine: null } }, 1],
    ['checkout_completed with NaN total', { name: 'checkout_completed', data: { checkout: { order: { id: '1' }, totalPrice: { amount: NaN }, currencyCode: 'GBP' } } }, 1],
    ['search_submitted with a huge query', { name: 'search_submitted', data: { searchResult: { query: 'x'.repeat(100_000) } } }, 1],
    ['page_viewed without context', { name: 'page_viewed', data: {} }, 1],
    ['a Proxy that throws', new Proxy({}, { get() { throw new Error('trap') } }), 1],
    ['a revoked Proxy', (() => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy })(), 1],
  ])('drops and reports %s, never throws', (_name, event, reported) => {
    const capture = setup()
    expect(() => capture.shopifyEvent(event)).not.toThrow()
    expect(events).toEqual([])
    expect(errors).toHaveLength(reported)
    for (const error of errors) expect(error.code).toBe('bridge_invalid')
  })
})

describe('import and start safety', () => {
  it('start and stop are idempotent and start works again after stop', () => {
    const capture = setup({ engagement: false })
    capture.start()
    capture.start()
    expect(ofType('page_view')).toHaveLength(1)
    capture.stop()
    capture.stop()
    history.replaceState(null, '', '/again')
    capture.start()
    expect(ofType('page_view')).toHaveLength(2)
  })
})

describe("a shop's unusual input: a frozen RegExp, a rule that throws, a list while a navigation settles, a frozen history", () => {
  it('a frozen RegExp in pageTypePatterns does not lose the page view', () => {
    history.replaceState(null, '', '/p/mug')
    setup({ pageTypePatterns: [[Object.freeze(/^\/p\//), 'product']] })
      .start()
    expect(errors.map((e) => e.message)).toEqual([])
    expect(events.filter((e) => e.type === 'page_view').map((e) => (e as { pageType?: string }).pageType)).toEqual(['product'])
  })

  it('a view_item_list pushed during the settle time does not make the home page a category page', () => {
    vi.useFakeTimers()
    history.replaceState(null, '', '/products/mug')
    setup().start()
    document.head.innerHTML = '<meta name="seglet:page-key" content="home">'
    history.pushState(null, '', '/')
    ;(win.dataLayer as unknown[]).push({ event: 'view_item_list', ecommerce: { items: [{ item_id: 'a', price: 1 }] } })
    vi.advanceTimersByTime(NAVIGATION_SETTLE_MS + 1)
    const views = events.filter((e) => e.type === 'page_view' && e.url === '/')
    expect(views).toHaveLength(1)
    expect(views[0]).toMatchObject({ pageType: 'home', pageKey: 'home' })
  })

  it("a view_item pushed while a product page settles is not counted again from the page's JSON-LD", () => {
    vi.useFakeTimers()
    setup({ engagement: false }).start()
    history.pushState(null, '', '/products/mug')
    document.head.innerHTML = `<script type="application/ld+json">${JSON.stringify({ '@type': 'Product', sku: 'mug', offers: { price: '12', priceCurrency: 'EUR' } })}</script>`
    ;(win.dataLayer as unknown[]).push({ event: 'view_item', ecommerce: { currency: 'EUR', items: [{ item_id: 'mug', price: 12 }] } })
    vi.advanceTimersByTime(NAVIGATION_SETTLE_MS + 1)
    expect(ofType('page_view').map((e) => (e as { url: string }).url)).toEqual(['/', '/products/mug'])
    expect(ofType('product_view')).toEqual([{ type: 'product_view', productId: 'mug', price: 12, currency: 'EUR' }])
    // The next page's product views are its own.
    const jsonLd = document.head.innerHTML
    document.head.innerHTML = ''
    history.pushState(null, '', '/cart')
    vi.advanceTimersByTime(NAVIGATION_SETTLE_MS + 1)
    document.head.innerHTML = jsonLd
    history.pushState(null, '', '/products/mug')
    vi.advanceTimersByTime(NAVIGATION_SETTLE_MS + 1)
    expect(ofType('product_view')).toHaveLength(2)
  })

  it('a throwing pageTypePatterns function never throws out of the pagehide listener', () => {
    const thrown: unknown[] = []
    const onWindowError = (e: ErrorEvent) => thrown.push(e.error)
    window.addEventListener('error', onWindowError)
    try {
      const boom = (url: string) => {
        if (url.startsWith('/boom')) throw new Error('shop rule failed')
        return false
      }
      vi.useFakeTimers()
      const capture = setup({ pageTypePatterns: [[boom, 'product']] })
      capture.start()
      history.pushState(null, '', '/boom')
      vi.advanceTimersByTime(NAVIGATION_SETTLE_MS / 2)
      // The page is left within the settle time; the store also calls this before its hide-time write.
      window.dispatchEvent(new Event('pagehide'))
      expect(thrown).toEqual([])
      expect(() => capture.engagement(true)).not.toThrow()
    } finally {
      window.removeEventListener('error', onWindowError)
    }
  })

  it('without autocapture page views, a view_item_list still gives the page view of a category page', async () => {
    history.replaceState(null, '', '/lists/summer')
    win.dataLayer = [{ event: 'view_item_list', ecommerce: { items: [{ item_id: 'a', price: 1 }] } }]
    setup({ pageViews: false }).start()
    await vi.waitFor(() => expect(events.filter((e) => e.type === 'page_view')).toHaveLength(1))
    expect(events[0]).toMatchObject({ type: 'page_view', url: '/lists/summer', pageType: 'category' })
  })

  it('a history whose pushState cannot be replaced still gets the GA4 dataLayer bridge', async () => {
    const own = Object.getOwnPropertyDescriptor(history, 'pushState')
    Object.defineProperty(history, 'pushState', { value: History.prototype.pushState, writable: false, configurable: true })
    try {
      win.dataLayer = [{ event: 'search', search_term: 'mugs' }]
      setup().start()
      await new Promise((resolve) => setTimeout(resolve, 0))
      // The failure to watch history may be reported; the GA4 bridge must run anyway.
      expect(events.filter((e) => e.type === 'search')).toHaveLength(1)
    } finally {
      if (own) Object.defineProperty(history, 'pushState', own)
      else delete (history as unknown as Record<string, unknown>).pushState
    }
  })
})
