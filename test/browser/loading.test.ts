// Loading the model part lazily changes when a decision runs, never what it decides: the same journey ends
// in the same segment with `data-model-loading="auto"` (the default) and with `"eager"`.
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { pageTime, probes, readDb, resetOrigin, type SegmentLike, useHarness, withBfcachePage } from './helpers'

const h = useHarness()

const tagPage = (attrs: Record<string, string>) => `${h.baseUrl}/test/browser/pages/tag.html?attrs=${encodeURIComponent(JSON.stringify(attrs))}`

/**
 * Three page loads of one shopper, every event tracked by the page itself (autocapture off, fixed visible
 * times), so both runs store the same events: a first page, a product page, then a purchase.
 */
const PAGES = [
  [
    { type: 'page_view', url: '/', pageType: 'home' },
    { type: 'engagement', url: '/', pageType: 'home', visibleMs: 12_000, scrollDepth: 0.4 },
  ],
  [
    { type: 'page_view', url: '/products/the-salt-road', pageType: 'product' },
    { type: 'product_view', productId: 'the-salt-road', price: 15.9, currency: 'EUR' },
    { type: 'engagement', url: '/products/the-salt-road', pageType: 'product', visibleMs: 64_000, scrollDepth: 0.9 },
    { type: 'add_to_cart', productId: 'the-salt-road', quantity: 1, price: 15.9, currency: 'EUR' },
  ],
  [
    { type: 'page_view', url: '/checkout', pageType: 'checkout' },
    { type: 'begin_checkout', value: 15.9, currency: 'EUR', items: [{ productId: 'the-salt-road', quantity: 1, price: 15.9 }] },
    { type: 'purchase', orderId: 'order-1', value: 15.9, currency: 'EUR', items: [{ productId: 'the-salt-road', quantity: 1, price: 15.9 }] },
    { type: 'engagement', url: '/checkout', pageType: 'checkout', visibleMs: 30_000, scrollDepth: 1 },
  ],
]

const decisions = (page: Page) => page.evaluate(() => performance.getEntriesByName('seglet:decision').length)

/** Runs the journey with `loading` and returns the last segment of the last page and the stored one. */
async function journey(loading: 'auto' | 'eager') {
  await resetOrigin(h)
  h.requests.length = 0
  const page = await h.newPage()
  for (const events of PAGES) {
    await page.goto(tagPage({ consent: 'granted', autocapture: 'false', 'model-loading': loading }))
    await page.waitForFunction(() => typeof (window as unknown as { Seglet?: { track?: unknown } }).Seglet?.track === 'function')
    await page.evaluate(async (list) => {
      const seglet = (window as unknown as { Seglet: { track(e: unknown): void; flush(): Promise<void> } }).Seglet
      for (const event of list) seglet.track(event)
      await seglet.flush()
    }, events)
    // The decision that follows the flush: it ran the networks, or found nothing changed. It is an idle callback
    // the flush asked for: it has run once the page was idle after 300 ms of its own clock.
    await pageTime(page, 300)
  }
  // The purchase gives the lifetime pack something to decide from: wait for the decision that saw it.
  await page.waitForFunction(() => (window as unknown as { __t: { segments: { valueSegment?: unknown }[] } }).__t.segments.some((s) => s.valueSegment), undefined, { timeout: 15_000 })
  await expect.poll(async () => ((await readDb(page)).meta.segment as SegmentLike | undefined)?.valueSegment).toBeTruthy()
  const t = await probes(page)
  expect(t.errors).toEqual([])
  expect(t.escaped).toEqual([])
  const last = t.segments.at(-1)!
  const stored = (await readDb(page)).meta.segment as SegmentLike
  const ran = await decisions(page)
  const loaded = h.requests.some((url) => url.includes('/dist/seglet-model.min.js'))
  await page.close()
  const pick = (s: SegmentLike) => ({ id: s.id, path: s.path, coldStart: s.coldStart, confidence: s.confidence, intent: s.intent, valueSegment: s.valueSegment, repeatProbability: s.repeatProbability })
  return { last: pick(last), stored: pick(stored), ran, loaded }
}

describe('model loading', () => {
  it('the same journey ends in the same segment, loaded lazily or eagerly', async () => {
    const lazy = await journey('auto')
    const eager = await journey('eager')
    expect(lazy.loaded && eager.loaded).toBe(true)
    expect(lazy.ran).toBeGreaterThan(0)
    expect(lazy.last.coldStart).toBe(false)
    // The same segment; the probabilities equal to 4 decimals (the lifetime inputs count days since the
    // purchase, which move with the clock between one decision and the other).
    for (const [a, b] of [
      [lazy.last, eager.last],
      [lazy.stored, eager.stored],
    ]) {
      const same = (s: typeof a) => ({ id: s.id, path: s.path, coldStart: s.coldStart, value: s.valueSegment?.id, valuePath: s.valueSegment?.path })
      expect(same(a)).toEqual(same(b))
      for (const key of ['confidence', 'intent', 'repeatProbability'] as const) expect(a[key], key).toBeCloseTo(b[key]!, 4)
    }
  })
})

describe('a returning shopper with declarative blocks', () => {
  it('gets the stored segment on <html>, onSegment() and seglet:segment before the blocks\' code arrives; anti-flicker reveals once the blocks show it', async () => {
    await resetOrigin(h)
    // A long anti-flicker timeout: only the blocks may reveal the page here, never the timeout.
    const url = tagPage({ consent: 'granted', autocapture: 'false', 'anti-flicker': 'true', 'anti-flicker-timeout': '10000' })
    const page = await h.newPage()
    // A first visit creates the database; the segment decided on that visit is stored as the last one.
    await page.goto(url)
    await page.waitForFunction(() => typeof (window as unknown as { Seglet?: { flush?: unknown } }).Seglet?.flush === 'function')
    await page.evaluate(async () => {
      const seglet = (window as unknown as { Seglet: { track(e: unknown): void; flush(): Promise<void> } }).Seglet
      seglet.track({ type: 'page_view', url: '/', pageType: 'home' })
      await seglet.flush()
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('seglet')
        request.onsuccess = () => resolve(request.result)
        request.onerror = () => reject(request.error)
      })
      const segment = { id: 'deal-seeker', name: 'Deal seeker', path: ['engaged', 'deal-seeker'], pathNames: ['Engaged', 'Deal seeker'], confidence: 0.8, intent: 0.7, intentThreshold: 0.5, coldStart: false, decidedAt: Date.now(), expiresAt: Date.now() + 86_400_000, reasons: [] }
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction('meta', 'readwrite')
        tx.objectStore('meta').put(segment, 'segment')
        tx.oncomplete = () => resolve()
        tx.onerror = () => reject(tx.error)
      })
      db.close()
    })

    // The next page: the blocks' code is held back until the test lets it through.
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    let blocksRequested = false
    await page.route('**/dist/seglet-blocks.min.js', async (route) => {
      blocksRequested = true
      await held
      await route.continue()
    })
    await page.addInitScript(() => {
      const w = window as unknown as { __order?: unknown[]; __reveal?: unknown; Seglet?: { getSegment(): { id: string; intent: number } | null } }
      const hidden = (id: string) => document.getElementById(id)?.hasAttribute('hidden')
      window.addEventListener('seglet:segment', (event) => {
        const detail = (event as CustomEvent<{ id: string; restored?: boolean }>).detail
        ;(w.__order ??= []).push({
          id: detail.id,
          restored: detail.restored === true,
          attr: document.documentElement.getAttribute('data-seglet-segment'),
          pending: document.documentElement.classList.contains('seglet-pending'),
          // The markup shows #show-block (for new visitors): anti-flicker keeps it out of sight meanwhile.
          showBlockHidden: hidden('show-block'),
        })
      })
      // What the blocks show at the moment the page is revealed.
      new MutationObserver(() => {
        if (w.__reveal || !w.__order || document.documentElement.classList.contains('seglet-pending')) return
        const segment = w.Seglet?.getSegment()
        w.__reveal = { id: segment?.id, intent: segment?.intent, show: hidden('show-block'), hide: hidden('hide-block'), intentBlock: hidden('intent-block') }
      }).observe(document, { attributes: true, subtree: true, attributeFilter: ['class'] })
    })
    await page.goto(url)
    await page.waitForFunction(() => ((window as unknown as { __order?: unknown[] }).__order?.length ?? 0) >= 1, undefined, { timeout: 15_000 })
    // The restored segment reached the page while its blocks' code was still held back.
    expect(blocksRequested).toBe(true)
    const [first] = await page.evaluate(() => (window as unknown as { __order: unknown[] }).__order)
    expect(first).toEqual({ id: 'deal-seeker', restored: true, attr: 'deal-seeker', pending: true, showBlockHidden: false })
    expect(await page.evaluate(() => document.documentElement.classList.contains('seglet-pending'))).toBe(true)
    expect(await page.evaluate(() => (window as unknown as { Seglet: { getSegment(): { id: string } | null } }).Seglet.getSegment()?.id)).toBe('deal-seeker')

    release()
    // With the code, the blocks follow the segment, and only then is the page revealed.
    await page.waitForFunction(() => !!(window as unknown as { __reveal?: unknown }).__reveal, undefined, { timeout: 5_000 })
    const reveal = await page.evaluate(() => (window as unknown as { __reveal: { id: string; intent: number; show: boolean; hide: boolean; intentBlock: boolean } }).__reveal)
    expect(reveal).toEqual({ id: expect.any(String), intent: expect.any(Number), show: true, hide: false, intentBlock: !(reveal.intent > 0.5) })
    const t = await probes(page)
    expect(t.errors).toEqual([])
    await page.close()
  })
})

describe('a page restored from the back/forward cache', () => {
  it('shows the segment decided since it was left, not the one it was left with', async () => {
    await withBfcachePage(async (page, restored) => {
      type W = { Seglet: { track(e: unknown): void; flush(): Promise<void>; getSegment(): { id: string; coldStart: boolean } | null } }
      // A first page view: the cold-start default, and the block for new visitors shown.
      await page.goto(tagPage({ consent: 'granted', autocapture: 'false' }))
      await page.waitForFunction(() => typeof (window as unknown as { Seglet?: { flush?: unknown } }).Seglet?.flush === 'function')
      await page.evaluate(async () => {
        const seglet = (window as unknown as W).Seglet
        seglet.track({ type: 'page_view', url: '/', pageType: 'home' })
        await seglet.flush()
      })
      await page.waitForFunction(() => document.documentElement.getAttribute('data-seglet-segment') === 'new-visitor')
      // The next page: the model decides from both page views.
      await page.goto(tagPage({ consent: 'granted' }))
      await page.waitForFunction(() => (window as unknown as W).Seglet?.getSegment?.()?.coldStart === false, undefined, { timeout: 20_000 })
      const decided = await page.evaluate(() => (window as unknown as W).Seglet.getSegment()!.id)
      // Back: the first page comes from the back/forward cache, as it was left.
      await page.goBack({ waitUntil: 'commit' })
      await restored()
      await expect.poll(() => page.getAttribute('html', 'data-seglet-segment'), { timeout: 10_000 }).toBe(decided)
      expect(await page.evaluate(() => document.getElementById('show-block')!.hidden)).toBe(true)
      const t = await probes(page)
      expect(t.escaped).toEqual([])
      expect(t.errors).toEqual([])
    })
  })
})

describe('a first-visit tab shown again', () => {
  it('leaves the cold-start default once another tab of the shop stored the page view a decision needs', async () => {
    await resetOrigin(h)
    type W = { Seglet: { track(e: unknown): void; flush(): Promise<void>; getSegment(): { id: string; coldStart: boolean } | null } }
    const trackPageView = (page: Page, url: string) =>
      page.evaluate(async (url) => {
        const seglet = (window as unknown as W).Seglet
        seglet.track({ type: 'page_view', url, pageType: url === '/' ? 'home' : 'product' })
        await seglet.flush()
      }, url)
    const setVisibility = (page: Page, state: 'hidden' | 'visible') =>
      page.evaluate((state) => {
        // Headless Chromium keeps every tab visible: the switch of tabs is played in the page.
        Object.defineProperty(document, 'visibilityState', { value: state, configurable: true })
        document.dispatchEvent(new Event('visibilitychange'))
      }, state)
    // The landing page: one page view, the cold-start default.
    const landing = await h.newPage()
    await landing.goto(tagPage({ consent: 'granted', autocapture: 'false' }))
    await landing.waitForFunction(() => typeof (window as unknown as { Seglet?: { flush?: unknown } }).Seglet?.flush === 'function')
    await trackPageView(landing, '/')
    await landing.waitForFunction(() => (window as unknown as W).Seglet.getSegment()?.coldStart === true)
    // The shopper opens a product in another tab, which stores its page view, and comes back.
    await setVisibility(landing, 'hidden')
    const product = await h.newPage()
    await product.goto(tagPage({ consent: 'granted', autocapture: 'false' }))
    await product.waitForFunction(() => typeof (window as unknown as { Seglet?: { flush?: unknown } }).Seglet?.flush === 'function')
    await trackPageView(product, '/products/the-salt-road')
    await product.close()
    await setVisibility(landing, 'visible')
    await landing.waitForFunction(() => (window as unknown as W).Seglet.getSegment()?.coldStart === false, undefined, { timeout: 20_000 })
    const t = await probes(landing)
    expect(t.escaped).toEqual([])
    expect(t.errors).toEqual([])
    await landing.close()
  })
})
