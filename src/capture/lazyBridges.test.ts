// The script-tag build loads the bridges' code (JSON-LD reader, page-statistics parser) the first time a page
// needs it: what happens to SPA page views while that file is still on its way.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { SegletError } from '../errors/index'
import type { StoredEvent } from '../events/types'
import { createBridges, type Bridges } from './bridges'
import { createCaptureWith, NAVIGATION_SETTLE_MS } from './createCaptureWith'
import { addHideListeners } from '../lib/addHideListeners'
import type { CaptureOptions } from './types'

let events: StoredEvent[]
let errors: SegletError[]
let stops: Array<() => void>
let arrive: (bridges: Bridges) => void
let fail: (error: unknown) => void

function setup(options: CaptureOptions = {}) {
  const loader = () => new Promise<Bridges>((resolve, reject) => ((arrive = resolve), (fail = reject)))
  const capture = createCaptureWith({ enqueue: (e) => events.push(e), onError: (e) => errors.push(e), options }, loader)
  // The capture has no hide listener: the store's calls engagement(true) (its hide-time beforeWrite).
  stops.push(() => capture.stop(), addHideListeners(() => capture.engagement(true), () => {}))
  capture.start()
  return capture
}
const strip = ({ id: _id, ts: _ts, ...rest }: StoredEvent) => rest
const ofType = (type: string) => events.filter((e) => e.type === type).map(strip)
const productLd = (sku: string) => `<script type="application/ld+json">${JSON.stringify({ '@type': 'Product', sku })}</script>`

beforeEach(() => {
  events = []
  errors = []
  stops = []
  history.replaceState(null, '', '/')
  document.head.innerHTML = ''
  document.body.innerHTML = ''
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' })
  vi.useFakeTimers()
})
afterEach(() => {
  for (const stop of stops) stop()
  vi.useRealTimers()
})

describe('SPA page views while the bridges part loads', () => {
  it('keeps the landing page view when the shopper navigates before the bridges part arrived', async () => {
    history.replaceState(null, '', '/products/mug')
    document.head.innerHTML = '<meta name="seglet:page-key" content="product/mug">'
    document.body.innerHTML = productLd('mug')
    setup()
    expect(ofType('page_view')).toEqual([])
    // The router navigates to the cart; its page is rendered later (it fetches the cart first).
    history.pushState(null, '', '/cart')
    arrive(createBridges())
    await vi.advanceTimersByTimeAsync(0)
    document.head.innerHTML = ''
    document.body.innerHTML = '<h1>Cart</h1>'
    await vi.advanceTimersByTimeAsync(NAVIGATION_SETTLE_MS)
    expect(ofType('page_view')).toEqual([
      { type: 'page_view', url: '/products/mug', pageType: 'product', pageKey: 'product/mug' },
      { type: 'page_view', url: '/cart', pageType: 'cart' },
    ])
    // The cart's page view is not typed by the product page's JSON-LD, and no product is viewed on it.
    expect(ofType('product_view')).toEqual([])
    document.dispatchEvent(new Event('visibilitychange'))
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' })
    document.dispatchEvent(new Event('visibilitychange'))
    // Each engagement record belongs to a page view.
    const views = events.filter((e) => e.type === 'page_view').map((e) => (e as { url: string }).url)
    for (const e of ofType('engagement')) expect(views).toContain((e as { url: string }).url)
    expect(errors).toEqual([])
  })

  it('keeps the landing page view when the bridges part arrives after the next page settled', async () => {
    history.replaceState(null, '', '/products/mug')
    document.body.innerHTML = productLd('mug')
    setup()
    history.pushState(null, '', '/cart')
    document.body.innerHTML = '<h1>Cart</h1>'
    await vi.advanceTimersByTimeAsync(NAVIGATION_SETTLE_MS)
    arrive(createBridges())
    await vi.advanceTimersByTimeAsync(0)
    expect(ofType('page_view').map((e) => (e as { url: string }).url)).toEqual(['/products/mug', '/cart'])
  })

  it('still reads the landing page with the bridges part when nobody navigated (a variant picker meanwhile)', async () => {
    history.replaceState(null, '', '/products/mug')
    document.body.innerHTML = productLd('mug')
    setup()
    history.replaceState(null, '', '/products/mug?variant=2')
    arrive(createBridges())
    await vi.advanceTimersByTimeAsync(0)
    expect(ofType('page_view')).toEqual([{ type: 'page_view', url: '/products/mug?variant=2', pageType: 'product' }])
    expect(ofType('product_view')).toEqual([{ type: 'product_view', productId: 'mug' }])
  })

  it('keeps the landing page view when the bridges part fails to load after a navigation', async () => {
    history.replaceState(null, '', '/products/mug')
    document.body.innerHTML = productLd('mug')
    setup()
    history.pushState(null, '', '/cart')
    document.body.innerHTML = ''
    fail(new Error('offline'))
    await vi.advanceTimersByTimeAsync(NAVIGATION_SETTLE_MS)
    expect(ofType('page_view').map((e) => (e as { url: string }).url)).toEqual(['/products/mug', '/cart'])
  })

  it("keeps the next page's view when a URL rule of the shop throws on the landing page it takes at the navigation", async () => {
    history.replaceState(null, '', '/products/mug')
    document.body.innerHTML = productLd('mug')
    // A rule that reads a match without checking it: it throws on every URL but the cart's.
    setup({ pageTypePatterns: [[(url) => url.match(/^\/cart/)![0] === '/cart', 'cart']] })
    history.pushState(null, '', '/cart')
    document.body.innerHTML = '<h1>Cart</h1>'
    await vi.advanceTimersByTimeAsync(NAVIGATION_SETTLE_MS)
    // The landing page's view is dropped and said so; the cart's is kept, at its own address.
    expect(ofType('page_view')).toEqual([{ type: 'page_view', url: '/cart', pageType: 'cart' }])
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/^page view dropped/)])
  })
})

describe('a page left while its view waits for the bridges part', () => {
  for (const leave of ['pagehide', 'visibilitychange'] as const) {
    it(`takes the page view at ${leave}, without the statistics; the part arriving later adds the product view, not a second page view`, async () => {
      history.replaceState(null, '', '/products/mug')
      document.head.innerHTML = '<meta name="seglet:page-stats" content="bounce=0.25">'
      document.body.innerHTML = productLd('mug')
      setup({ engagement: false })
      expect(ofType('page_view')).toEqual([])
      if (leave === 'visibilitychange') {
        // Becoming visible again takes nothing; hidden does.
        document.dispatchEvent(new Event('visibilitychange'))
        expect(ofType('page_view')).toEqual([])
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' })
        document.dispatchEvent(new Event('visibilitychange'))
      } else window.dispatchEvent(new Event('pagehide'))
      expect(ofType('page_view')).toEqual([{ type: 'page_view', url: '/products/mug', pageType: 'product' }])
      arrive(createBridges())
      await vi.advanceTimersByTimeAsync(0)
      // The page is still the same (a tab the shopper comes back to): the product viewed there is kept.
      expect(ofType('product_view')).toEqual([{ type: 'product_view', productId: 'mug' }])
      window.dispatchEvent(new Event('pagehide'))
      expect(ofType('page_view')).toHaveLength(1)
      expect(ofType('product_view')).toHaveLength(1)
      expect(errors).toEqual([])
    })
  }

  it('reads nothing of the next page when the part arrives after a hide and then a navigation', async () => {
    history.replaceState(null, '', '/products/mug')
    document.head.innerHTML = '<meta name="seglet:page-stats" content="bounce=0.25">'
    document.body.innerHTML = productLd('mug')
    setup({ engagement: false })
    window.dispatchEvent(new Event('pagehide'))
    history.pushState(null, '', '/products/cup')
    document.body.innerHTML = productLd('cup')
    arrive(createBridges())
    await vi.advanceTimersByTimeAsync(0)
    expect(ofType('product_view')).toEqual([])
    await vi.advanceTimersByTimeAsync(NAVIGATION_SETTLE_MS)
    expect(ofType('page_view').map((e) => (e as { url: string }).url)).toEqual(['/products/mug', '/products/cup'])
    expect(ofType('product_view')).toEqual([{ type: 'product_view', productId: 'cup' }])
  })

  it("reads an SPA navigation's page at a hide within its settle time, once", async () => {
    setup()
    vi.setSystemTime(Date.now() + 1_000)
    history.pushState(null, '', '/cart')
    // The shopper leaves before the router's page is read (a redirect right after the navigation).
    vi.setSystemTime(Date.now() + 50)
    window.dispatchEvent(new Event('pagehide'))
    expect(ofType('page_view').map((e) => [(e as { url: string }).url, (e as { pageType: string }).pageType])).toEqual([['/', 'home'], ['/cart', 'cart']])
    // Its engagement record carries the page type its page view has.
    expect(ofType('engagement').map((e) => [(e as { url: string }).url, (e as { pageType: string }).pageType])).toEqual([['/', 'home'], ['/cart', 'cart']])
    await vi.advanceTimersByTimeAsync(NAVIGATION_SETTLE_MS)
    expect(ofType('page_view')).toHaveLength(2)
    expect(errors).toEqual([])
  })

  it('takes nothing at a hide once the page view was taken with the part', async () => {
    history.replaceState(null, '', '/products/mug')
    document.head.innerHTML = '<meta name="seglet:page-stats" content="bounce=0.25">'
    setup({ engagement: false })
    arrive(createBridges())
    await vi.advanceTimersByTimeAsync(0)
    window.dispatchEvent(new Event('pagehide'))
    expect(ofType('page_view')).toEqual([{ type: 'page_view', url: '/products/mug', pageType: 'product', stats: { bounceRate: 0.25 } }])
  })

  it('gives the engagement record the page view\'s type when the store\'s hide listener asks for it', async () => {
    // The store listens from its creation, before capture.start(), and asks for the engagement
    // (capture.engagement(true)) before it writes.
    history.replaceState(null, '', '/p/mug')
    document.head.innerHTML = '<meta name="seglet:page-type" content="product"><meta name="seglet:page-stats" content="bounce=0.25">'
    const capture = createCaptureWith({ enqueue: (e) => events.push(e), onError: (e) => errors.push(e) }, () => new Promise<Bridges>(() => {}))
    const removeStoreListener = addHideListeners(() => capture.engagement(true), () => {})
    stops.push(removeStoreListener, () => capture.stop())
    capture.start()
    await vi.advanceTimersByTimeAsync(1000)
    // A write of the visible page (engagement(false)) leaves the page view waiting.
    capture.engagement(false)
    expect(ofType('page_view')).toEqual([])
    await vi.advanceTimersByTimeAsync(1000)
    window.dispatchEvent(new Event('pagehide'))
    expect(ofType('page_view')).toEqual([{ type: 'page_view', url: '/p/mug', pageType: 'product' }])
    // One record, its last emission at the page view's type.
    expect(ofType('engagement').at(-1)).toEqual({ type: 'engagement', url: '/p/mug', pageType: 'product', visibleMs: 2000, scrollDepth: expect.any(Number) })
    expect(new Set(events.filter((e) => e.type === 'engagement').map((e) => e.id)).size).toBe(1)
    expect(errors).toEqual([])
  })

  it('listens no more once stopped', () => {
    history.replaceState(null, '', '/products/mug')
    document.head.innerHTML = '<meta name="seglet:page-stats" content="bounce=0.25">'
    setup({ engagement: false }).stop()
    window.dispatchEvent(new Event('pagehide'))
    expect(events).toEqual([])
  })
})

describe('a page with page views off', () => {
  const setupCounting = (body: string) => {
    history.replaceState(null, '', '/p/mug')
    document.head.innerHTML = '<meta name="seglet:page-type" content="product"><meta name="seglet:page-stats" content="bounce=0.25">'
    document.body.innerHTML = body
    let loads = 0
    const capture = createCaptureWith(
      { enqueue: (e) => events.push(e), onError: (e) => errors.push(e), options: { pageViews: false } },
      () => (loads++, new Promise<Bridges>(() => {})),
    )
    stops.push(() => capture.stop(), addHideListeners(() => capture.engagement(true), () => {}))
    capture.start()
    return () => loads
  }

  it('loads no bridges part for its page statistics, which only page views carry; its engagement is typed at once', async () => {
    const loads = setupCounting('')
    await vi.advanceTimersByTimeAsync(1000)
    window.dispatchEvent(new Event('pagehide'))
    expect(loads()).toBe(0)
    expect(ofType('page_view')).toEqual([])
    expect(ofType('engagement')).toEqual([{ type: 'engagement', url: '/p/mug', pageType: 'product', visibleMs: 1000, scrollDepth: expect.any(Number) }])
    expect(errors).toEqual([])
  })

  it('still loads it for a JSON-LD product, which types the engagement record', () => {
    const loads = setupCounting(productLd('mug'))
    expect(loads()).toBe(1)
  })
})

describe("a GA4 page's bridges part", () => {
  const win = window as unknown as { dataLayer?: unknown[] }
  afterEach(() => {
    delete win.dataLayer
  })
  const setupCounting = () => {
    let loads = 0
    let arrived: (bridges: Bridges) => void = () => {}
    const loader = () => (loads++, new Promise<Bridges>((resolve) => (arrived = resolve)))
    const capture = createCaptureWith({ enqueue: (e) => events.push(e), onError: (e) => errors.push(e), options: { pageViews: false, engagement: false } }, loader)
    stops.push(() => capture.stop())
    capture.start()
    return { loads: () => loads, arrive: (bridges: Bridges) => arrived(bridges) }
  }

  it('is loaded at a GA4 event the bridges do not map (view_cart), so a begin_checkout pushed as the page is left is mapped at once', async () => {
    win.dataLayer = [{ event: 'gtm.js' }, { event: 'view_cart', ecommerce: { currency: 'EUR', value: 12, items: [{ item_id: 'mug', price: 12 }] } }]
    const part = setupCounting()
    expect(part.loads()).toBe(1)
    part.arrive(createBridges())
    await vi.advanceTimersByTimeAsync(0)
    // The shopper clicks "Checkout": the page pushes begin_checkout and navigates away in the same task.
    win.dataLayer.push({ event: 'begin_checkout', ecommerce: { currency: 'EUR', value: 12, items: [{ item_id: 'mug', price: 12 }] } })
    expect(ofType('begin_checkout')).toEqual([{ type: 'begin_checkout', value: 12, currency: 'EUR', items: [{ productId: 'mug', price: 12, quantity: 1 }] }])
    expect(part.loads()).toBe(1)
    expect(errors).toEqual([])
  })

  it("keeps a page's first GA4 event, a begin_checkout, as a bare begin_checkout when the page is left before the bridges part arrives", async () => {
    win.dataLayer = [{ event: 'gtm.js' }]
    const part = setupCounting()
    const checkout = { currency: 'EUR', value: 12, items: [{ item_id: 'mug', price: 12, email: 'a@example.com' }], user_data: { email: 'a@example.com' } }
    win.dataLayer.push({ event: 'begin_checkout', ecommerce: checkout })
    expect(part.loads()).toBe(1)
    // Stored now, its kind only: nothing of the entry (its e-mail) is kept while the mapping code is on its way.
    expect(ofType('begin_checkout')).toEqual([{ type: 'begin_checkout' }])
    expect(JSON.stringify(events)).not.toContain('example.com')
    // The code arrives (the shopper stayed): the same record gets the mapped value, currency and lines.
    const [bare] = events
    part.arrive(createBridges())
    await vi.advanceTimersByTimeAsync(0)
    expect(events.map(strip)).toEqual([{ type: 'begin_checkout' }, { type: 'begin_checkout', value: 12, currency: 'EUR', items: [{ productId: 'mug', price: 12, quantity: 1 }] }])
    expect(events[1]).toMatchObject({ id: bare.id, ts: bare.ts })
    expect(errors).toEqual([])
  })

  it('keeps a Shopify checkout_started handed over before the bridges part arrives, and a failed load keeps it too', async () => {
    const capture = setup({ pageViews: false, engagement: false })
    capture.shopifyEvent({ name: 'checkout_started', data: { checkout: { email: 'a@example.com', totalPrice: { amount: 12, currencyCode: 'EUR' }, lineItems: [] } } })
    expect(events.map(strip)).toEqual([{ type: 'begin_checkout' }])
    fail(new Error('offline'))
    await vi.advanceTimersByTimeAsync(0)
    expect(events.map(strip)).toEqual([{ type: 'begin_checkout' }])
    expect(errors).toHaveLength(1)
  })

  it('keeps nothing at once of the other events handed over before the bridges part arrives (they wait for it)', () => {
    const capture = setup({ pageViews: false, engagement: false })
    capture.shopifyEvent({ name: 'checkout_completed', data: { checkout: { order: { id: 'A1' }, totalPrice: { amount: 12, currencyCode: 'EUR' } } } })
    win.dataLayer = [{ event: 'add_to_cart', ecommerce: { items: [{ item_id: 'mug' }] } }]
    expect(events).toEqual([])
  })

  it("is loaded at gtag's event command of any name", () => {
    win.dataLayer = []
    const part = setupCounting()
    ;(function gtag(..._args: unknown[]) {
      win.dataLayer!.push(arguments)
    })('event', 'add_payment_info', { currency: 'EUR' })
    expect(part.loads()).toBe(1)
  })

  it('is not loaded on a page whose data layer has no GA4 event (gtm.js, config, a cleared ecommerce object)', () => {
    win.dataLayer = [{ event: 'gtm.js', 'gtm.start': 1 }, ['js', new Date()], ['config', 'G-TEST'], { event: 'gtm.dom' }, { ecommerce: null }]
    const part = setupCounting()
    expect(part.loads()).toBe(0)
    expect(events).toEqual([])
  })
})
