// Loading the model part lazily changes when a decision runs, never what it decides: the same journey ends
// in the same segment with `data-model-loading="auto"` (the default) and with `"eager"`.
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { probes, readDb, resetOrigin, type SegmentLike, useHarness } from './helpers'

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
    // The decision that follows the flush: it ran the networks, or found nothing changed.
    await page.waitForTimeout(300)
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
