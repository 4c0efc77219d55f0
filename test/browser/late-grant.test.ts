// A returning shopper's page that starts with consent pending (and with `segmentWithoutConsent` decides from its own
// events only); when the shop's consent manager grants consent on that page, the real `dist/seglet.min.js` and its model
// part decide from then on as on a page that started granted: from the stored history and the segment the last visit
// stored.
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { probes, readDb, resetOrigin, useHarness, waitForSeglet } from './helpers'

const DAY_MS = 86_400_000

/** Pages opened with `past` in their query live two days ago: their visit is an earlier one now. */
function shiftClock(): void {
  if (location.search.includes('past')) {
    const real = Date.now
    Date.now = () => real() - 2 * 86_400_000
  }
}

const h = useHarness({ setup: (harness) => harness.context.addInitScript(shiftClock) })

const tagPage = (attrs: Record<string, string>, past = false) => `${h.baseUrl}/test/browser/pages/tag.html?${past ? 'past&' : ''}attrs=${encodeURIComponent(JSON.stringify(attrs))}`

type SegmentLike = { id: string; coldStart: boolean; restored?: boolean; decidedAt: number }
type SegletWindow = { Seglet: { track(e: unknown): void; flush(): Promise<void>; setConsent(c: string): Promise<void>; getSegment(): SegmentLike | null } }

const segmentOf = (page: Page) => page.evaluate(() => (window as unknown as SegletWindow).Seglet.getSegment())
const storedSegment = async (page: Page) => (await readDb(page)).meta.segment as SegmentLike | undefined
const track = (page: Page, events: unknown[]) =>
  page.evaluate((events) => {
    const { Seglet } = window as unknown as SegletWindow
    for (const event of events) Seglet.track(event)
    return Seglet.flush()
  }, events)

/** The earlier visit, consent granted: fourteen product pages of 35 s each. Resolves to the segment it stored. */
async function lastVisit(page: Page): Promise<string> {
  await page.goto(tagPage({ consent: 'granted' }, true))
  await waitForSeglet(page)
  await track(
    page,
    Array.from({ length: 14 }, (_, i) => [
      { type: 'page_view', url: `/products/p${i}`, pageType: 'product' },
      { type: 'engagement', url: `/products/p${i}`, pageType: 'product', visibleMs: 35_000, scrollDepth: 0.6 },
    ]).flat(),
  )
  await expect.poll(async () => (await storedSegment(page))?.coldStart ?? true, { timeout: 20_000 }).toBe(false)
  return (await storedSegment(page))!.id
}

describe('consent granted after a returning shopper\'s page decided without it', () => {
  it('a landing page (model loaded eagerly) shows the last visit\'s segment once granted, as one granted at start, and keeps it stored', async () => {
    const page = await h.newPage()
    const last = await lastVisit(page)
    await page.goto(tagPage({ 'segment-without-consent': 'true', 'model-loading': 'eager' }))
    await waitForSeglet(page)
    // Its page view alone: the cold-start default, from this page's events.
    await expect.poll(async () => (await segmentOf(page))?.coldStart, { timeout: 20_000 }).toBe(true)
    await page.evaluate(() => (window as unknown as SegletWindow).Seglet.setConsent('granted'))
    await expect.poll(async () => (await segmentOf(page))?.id, { timeout: 20_000 }).toBe(last)
    expect(await page.getAttribute('html', 'data-seglet-segment')).toBe(last)
    // Written again by this page (the last write was two days ago), not replaced by the default.
    await expect.poll(async () => (await storedSegment(page))?.decidedAt ?? 0, { timeout: 20_000 }).toBeGreaterThan(Date.now() - DAY_MS)
    expect((await storedSegment(page))?.id).toBe(last)
    expect((await probes(page)).errors).toEqual([])

    // The same history, granted at start: the same segment.
    await resetOrigin(h)
    const granted = await h.newPage()
    expect(await lastVisit(granted)).toBe(last)
    await granted.goto(tagPage({ consent: 'granted', 'model-loading': 'eager' }))
    await waitForSeglet(granted)
    await expect.poll(async () => (await segmentOf(granted))?.decidedAt ?? 0, { timeout: 20_000 }).toBeGreaterThan(Date.now() - DAY_MS)
    expect(await segmentOf(granted)).toMatchObject({ id: last, coldStart: false })
  })

  it('a landing page with consent pending (a consent manager that answers after the tag) shows the last visit\'s segment at the grant, restored, then the model\'s', async () => {
    const page = await h.newPage()
    const last = await lastVisit(page)
    // The README's consent-manager wiring: no data-consent, the model part loaded when a decision needs it.
    await page.goto(tagPage({}))
    await waitForSeglet(page)
    expect(await segmentOf(page)).toBeNull()
    const before = (await probes(page)).segments.length
    await page.evaluate(() => (window as unknown as SegletWindow).Seglet.setConsent('granted'))
    // Its single page view would be the cold-start default: the stored segment beats it, restored at once (the first
    // `seglet:segment` after the grant; the model's own decision may follow it within moments).
    await expect.poll(async () => (await probes(page)).segments.slice(before)[0]?.id, { timeout: 20_000 }).toBe(last)
    expect((await probes(page)).segments.slice(before)[0]).toMatchObject({ coldStart: false, restored: true })
    expect(await page.getAttribute('html', 'data-seglet-segment')).toBe(last)
    // Then the model re-decides from the stored history, and the page writes the segment again.
    await expect.poll(async () => (await storedSegment(page))?.decidedAt ?? 0, { timeout: 20_000 }).toBeGreaterThan(Date.now() - DAY_MS)
    expect(await segmentOf(page)).toMatchObject({ id: last, coldStart: false })
    expect((await probes(page)).errors).toEqual([])
  })

  it('a page that browsed on before the grant shows the last visit\'s segment at the grant, held by hysteresis, not the one decided without consent', async () => {
    const page = await h.newPage()
    const last = await lastVisit(page)
    await page.goto(tagPage({ 'segment-without-consent': 'true' }))
    await waitForSeglet(page)
    // A second view of a single-page shop: enough for the model to decide from this page's events.
    await track(page, [{ type: 'page_view', url: '/collections/all', pageType: 'category' }])
    await expect.poll(async () => (await segmentOf(page))?.coldStart, { timeout: 20_000 }).toBe(false)
    const pending = (await segmentOf(page))!.id
    expect(pending).not.toBe(last)
    const before = (await probes(page)).segments.length
    await page.evaluate(() => (window as unknown as SegletWindow).Seglet.setConsent('granted'))
    // The first segment the grant brings is the last visit's: a challenger must win twice in a row to replace it.
    await expect.poll(async () => (await probes(page)).segments.slice(before).map((s) => s.id)[0], { timeout: 20_000 }).toBe(last)
    expect((await probes(page)).errors).toEqual([])
  })

  it('a holdout draw the page made while consent was pending leaves the stored one in place at the grant, with no storage error', async () => {
    // Options only `init()` takes (the holdout share); the same on both visits.
    const start = (page: Page, options: Record<string, unknown>) =>
      page.evaluate((options) => (window as unknown as { seglet: unknown[][] }).seglet.push(['init', { ...options, personalize: { holdout: 0.5 } }]), options)
    const page = await h.newPage()
    await page.goto(tagPage({ autostart: 'false' }))
    await start(page, { consent: 'granted' })
    await waitForSeglet(page)
    await track(page, [{ type: 'page_view', url: '/collections/all', pageType: 'category' }])
    await expect.poll(async () => (await readDb(page)).meta['holdout-draw'], { timeout: 20_000 }).toBeTypeOf('number')
    const stored = (await readDb(page)).meta['holdout-draw']

    // The next visit decides before the consent manager answers: it draws for itself, in memory (it cannot read the
    // stored draw without consent). At the grant, what it set meanwhile is written where nothing is stored yet.
    await page.goto(tagPage({ autostart: 'false' }))
    await start(page, { segmentWithoutConsent: true })
    await waitForSeglet(page)
    await track(page, [{ type: 'page_view', url: '/collections/all', pageType: 'category' }])
    await expect.poll(() => segmentOf(page), { timeout: 20_000 }).not.toBeNull()
    // setConsent() resolves once that write has ended. It keeps the stored draw: the page's own is refused as a
    // duplicate key, and the browser aborted the whole write for it (UnknownError here, reported as `storage_failed`)
    // while the write was ended at once.
    await page.evaluate(() => (window as unknown as SegletWindow).Seglet.setConsent('granted'))
    expect((await probes(page)).errors).toEqual([])
    expect((await readDb(page)).meta['holdout-draw']).toBe(stored)
  })
})
