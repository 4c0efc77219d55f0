// The journeys a shop depends on, in Firefox ESR driven over WebDriver BiDi: the script tag's first visit, a
// returning shopper, consent and Global Privacy Control, single-page navigation, the back/forward cache, a page left
// with events queued, the shopper's own controls, a private report to a collector and the collector's dashboard.
// The pages and page readers are the Chromium suite's (test/browser/, bench/lib/peerPages.mjs).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error: plain ES module without types
import { PAGES, VARIANTS } from '../../bench/lib/peerPages.mjs'
// @ts-expect-error: plain ES module without types
import { startServer } from '../../scripts/serve.mjs'
import { startDashboardServer, type DashboardServer } from '../browser/dashboardServer'
import {
  browseThreeProducts,
  countReportRuns,
  countTypes,
  databaseNames,
  expectHooksMatch,
  pageTime,
  probeScript,
  probes,
  readDb,
  readHooks,
  readPanel,
  type SegmentLike,
  waitForPageViewStored,
  waitForReportRuns,
  waitForSegment,
} from '../browser/helpers'
import { clickPanelButton, FIREFOX_PATH, HAS_FIREFOX, launchFirefox, type Firefox, type Tab } from './firefox'

if (!HAS_FIREFOX) console.warn(`test/firefox: skipped, no Firefox at ${FIREFOX_PATH} (apt-get install firefox-esr, or set FIREFOX_PATH)`)

type SegletWindow = {
  Seglet: {
    track(e: unknown): void
    flush(): Promise<void>
    forget(): Promise<void>
    getConsent(): string
    setConsent(consent: string): Promise<void>
    getSegment(): SegmentLike | null
    showPanel(): void
    exportData(): Promise<{ storage: string; events: Array<{ type: string; id: string; url?: string; productId?: string; query?: string }> }>
  }
}

const REPORTS = '/seglet/reports'
const tagPage = (attrs: Record<string, string> = { consent: 'granted' }, extra = '') =>
  '/test/browser/pages/tag.html?attrs=' + encodeURIComponent(JSON.stringify(attrs)) + extra

/** Pages opened with `past` in their query live two hours ago, so their session is closed now (as in reports.test.ts). */
function shiftClock(): void {
  if (!location.search.includes('past')) return
  const real = Date.now
  Date.now = () => real() - 2 * 3_600_000
}

/** The readers of test/browser/helpers.ts take a Playwright page; a tab has the methods they call. */
const asPage = (tab: Tab) => tab as unknown as Page

const exported = (tab: Tab) =>
  tab.evaluate(async () => {
    const data = await (window as unknown as SegletWindow).Seglet.exportData()
    return { storage: data.storage, events: data.events }
  })

async function expectClean(tab: Tab): Promise<void> {
  const t = await probes(asPage(tab))
  expect(t.escaped).toEqual([])
  expect(t.errors).toEqual([])
}

describe.skipIf(!HAS_FIREFOX)('Firefox: the shop\'s journeys', () => {
  let firefox: Firefox
  let server: { url: string; close(): Promise<void> }
  let dashboard: DashboardServer
  let collector: DashboardServer
  const served: string[] = []

  beforeAll(async () => {
    // Two collectors on embedded stores, in this process: one with 400 reports of 29 November 2026 for its dashboard.
    dashboard = await startDashboardServer(400, { browser: false })
    // The collector the shop's /seglet/* is forwarded to, as a shop's proxy does: on today's clock, so it takes today's report.
    collector = await startDashboardServer(0, { browser: false, now: Date.now })
    server = await startServer({
      collector: collector.base,
      onRequest: (req: { url?: string }) => served.push(req.url ?? ''),
      render: (req: { url?: string }) => {
        const page = (Object.values(PAGES) as Array<{ path: string; html(head: string): string }>).find((p) => p.path === new URL(req.url ?? '/', 'http://127.0.0.1').pathname)
        return page?.html(VARIANTS.seglet.head)
      },
    })
    firefox = await launchFirefox({ preload: [probeScript, countReportRuns, shiftClock] })
  }, 120_000)

  afterAll(async () => {
    await firefox?.close()
    await server?.close()
    await dashboard?.close()
    await collector?.close()
  })

  const requested = (from: number, part: string) => firefox.requests.slice(from).filter((u) => u.includes(part)).length

  it('first visit to a plain page: page view stored, new-visitor on <html>, seglet:segment, nothing sent', async () => {
    const tab = await firefox.newShopper()
    const from = firefox.requests.length
    await tab.goto(server.url + PAGES.plain.path)
    expect(await waitForSegment(asPage(tab))).toBe('new-visitor')
    expect(await tab.evaluate(() => Array.from(document.documentElement.classList))).toContain('seglet-new-visitor')
    await waitForPageViewStored(asPage(tab))
    const t = await probes(asPage(tab))
    expect(t.segments.map((s) => [s.id, s.coldStart])).toEqual([['new-visitor', true]])
    expect(t.network).toEqual([])
    expect(t.storageAccess).toEqual([])
    await expectClean(tab)
    const db = await readDb(asPage(tab))
    expect(db.version).toBe(2)
    expect(countTypes(db.events).page_view).toBe(1)
    // No product data on the page: the bridges part is not asked for.
    expect(requested(from, 'seglet-bridges')).toBe(0)
    // Every request on the shop's origin (BiDi also reports `data:` URLs, which fetch nothing).
    expect(firefox.requests.slice(from).filter((u) => !u.startsWith(server.url) && !u.startsWith('data:'))).toEqual([])
    await tab.closeShopper()
  })

  it('first visit to a product page with JSON-LD and a GA4 dataLayer: the bridges part loads, one product view stored', async () => {
    const tab = await firefox.newShopper()
    const from = firefox.requests.length
    await tab.goto(server.url + PAGES.product.path)
    expect(await waitForSegment(asPage(tab))).toBe('new-visitor')
    await expect.poll(async () => countTypes((await readDb(asPage(tab))).events).product_view ?? 0, { timeout: 10_000 }).toBe(1)
    await tab.evaluate(() => (window as unknown as SegletWindow).Seglet.flush())
    const db = await readDb(asPage(tab))
    expect(countTypes(db.events)).toMatchObject({ page_view: 1, product_view: 1 })
    expect(db.events.find((e) => e.type === 'product_view')).toMatchObject({ productId: 'salt-road', price: 18.5, currency: 'EUR' })
    expect(requested(from, '/dist/seglet-bridges.min.js')).toBe(1)
    const layer = await tab.evaluate(() => (window as unknown as { dataLayer: unknown[] }).dataLayer.length)
    expect(layer).toBe(1)
    await expectClean(tab)
    await tab.closeShopper()
  })

  it('a returning shopper: the model part decides a segment, the next page applies it first, blocks follow it', async () => {
    const tab = await firefox.newShopper()
    const from = firefox.requests.length
    await tab.goto(server.url + tagPage())
    await waitForSegment(asPage(tab))
    await browseThreeProducts(asPage(tab))
    await tab.goto(server.url + tagPage())
    await tab.waitForFunction(() => (window as unknown as { __t: { segments: SegmentLike[] } }).__t.segments.some((s) => !s.coldStart), undefined, { timeout: 20_000 })
    expect(requested(from, '/dist/seglet-model.min.js')).toBeGreaterThanOrEqual(1)
    expectHooksMatch(await readHooks(asPage(tab)))
    await expect.poll(async () => ((await readDb(asPage(tab))).meta.segment as SegmentLike | undefined)?.id, { timeout: 10_000 }).toBe(
      (await tab.evaluate(() => (window as unknown as SegletWindow).Seglet.getSegment()))!.id,
    )
    const stored = (await readDb(asPage(tab))).meta.segment as SegmentLike

    // The third page: the stored segment is the first applied, before any model runs.
    await tab.goto(server.url + tagPage())
    await tab.waitForFunction(() => (window as unknown as { __t: { segments: unknown[] } }).__t.segments.length > 0, undefined)
    const first = (await probes(asPage(tab))).segments[0]!
    expect([first.id, first.coldStart]).toEqual([stored.id, false])
    expectHooksMatch(await readHooks(asPage(tab)))
    await tab.evaluate(() => (window as unknown as SegletWindow).Seglet.flush())
    const { events } = await exported(tab)
    expect(countTypes(events)).toMatchObject({ page_view: 6, product_view: 3 })
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length)
    await expectClean(tab)
    await tab.closeShopper()
  })

  for (const consent of ['pending', 'denied']) {
    it(`consent ${consent}: segmentation off the record, no database`, async () => {
      const tab = await firefox.newShopper()
      await tab.goto(server.url + tagPage({ consent }))
      await tab.waitForFunction(() => typeof (window as unknown as { Seglet?: unknown }).Seglet === 'object', undefined)
      await tab.evaluate(() => {
        const { Seglet } = window as unknown as SegletWindow
        Seglet.track({ type: 'search', query: 'salt' })
        return Seglet.flush()
      })
      await pageTime(asPage(tab), 300)
      const data = await exported(tab)
      expect(data.storage).toBe('memory')
      expect(countTypes(data.events)).toMatchObject({ page_view: 1, search: 1 })
      expect(await tab.evaluate(() => (window as unknown as SegletWindow).Seglet.getConsent())).toBe(consent)
      expect(await databaseNames(asPage(tab))).toEqual([])
      await expectClean(tab)
      await tab.closeShopper()
    })
  }

  it('consent granted on a returning shopper\'s page that drew its holdout arm while pending: the stored draw stays, nothing reported', async () => {
    // As test/browser/late-grant.test.ts: the grant's write of what the page set while pending is the one write the
    // store does not end at once, since Firefox too aborted it for the duplicate key (AbortError, `storage_failed`).
    // One page view of a category page, started with `options` (and the holdout share, the same on both visits).
    const visit = async (tab: Tab, options: Record<string, unknown>) => {
      await tab.goto(server.url + tagPage({ autostart: 'false' }))
      await tab.evaluate((options) => {
        ;(window as unknown as { seglet: unknown[][] }).seglet.push(['init', { ...options, personalize: { holdout: 0.5 } }])
        const { Seglet } = window as unknown as SegletWindow
        Seglet.track({ type: 'page_view', url: '/collections/all', pageType: 'category' })
        return Seglet.flush()
      }, options)
    }
    const drawOf = async (tab: Tab) => (await readDb(asPage(tab))).meta['holdout-draw']
    const tab = await firefox.newShopper()
    await visit(tab, { consent: 'granted' })
    await expect.poll(() => drawOf(tab), { timeout: 20_000 }).toBeTypeOf('number')
    const stored = await drawOf(tab)
    await visit(tab, { segmentWithoutConsent: true })
    await tab.waitForFunction(() => (window as unknown as SegletWindow).Seglet.getSegment() !== null, undefined)
    await tab.evaluate(() => (window as unknown as SegletWindow).Seglet.setConsent('granted'))
    expect(await drawOf(tab)).toBe(stored)
    await expectClean(tab)
    await tab.closeShopper()
  })

  it('a single-page shop: a page view per pushState route and per popstate, product views from each route\'s JSON-LD', async () => {
    const tab = await firefox.newShopper()
    await tab.goto(server.url + '/test/browser/pages/spa.html')
    await waitForSegment(asPage(tab))
    const pause = () => tab.evaluate(() => new Promise((stayed) => setTimeout(stayed, 250)))
    for (const link of ['/spa/collections/fiction', '/spa/products/the-salt-road']) {
      await tab.click(`a[href="${link}"]`)
      await pause()
    }
    // The first product route loads the bridges part (its JSON-LD reader); a route left before it arrives keeps its
    // page view but not its product view (src/capture/createCaptureWith.ts). A shopper stays longer than it takes.
    await tab.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.includes('/dist/seglet-bridges.min.js') && (e as PerformanceResourceTiming).responseEnd > 0), undefined)
    await pause()
    await tab.click('#add')
    await tab.click('a[href="/spa/products/winter-harbour"]')
    await pause()
    await tab.traverse(-1)
    await tab.waitForFunction(() => location.pathname === '/spa/products/the-salt-road', undefined)
    await pause()
    await tab.click('a[href="/spa/cart"]')
    await pause()
    await tab.evaluate(() => (window as unknown as SegletWindow).Seglet.flush())
    const { events } = await exported(tab)
    expect(events.filter((e) => e.type === 'page_view').map((e) => e.url)).toEqual([
      '/test/browser/pages/spa.html',
      '/spa/collections/fiction',
      '/spa/products/the-salt-road',
      '/spa/products/winter-harbour',
      '/spa/products/the-salt-road',
      '/spa/cart',
    ])
    expect(events.filter((e) => e.type === 'product_view').map((e) => e.productId)).toEqual(['the-salt-road', 'winter-harbour', 'the-salt-road'])
    expect(countTypes(events).add_to_cart).toBe(1)
    await expectClean(tab)
    await tab.closeShopper()
  })

  it('a page left with events queued (pagehide), then restored from the back/forward cache: nothing lost or doubled, flush() resolves', async () => {
    const tab = await firefox.newShopper()
    await tab.goto(server.url + tagPage())
    await waitForPageViewStored(asPage(tab))
    await tab.evaluate(() => {
      addEventListener('pageshow', (e) => e.persisted && ((window as unknown as { __restored: number }).__restored = 1))
      const { Seglet } = window as unknown as SegletWindow
      for (let i = 0; i < 5; i++) Seglet.track({ type: 'search', query: 'queued-' + i })
    })
    // Left at once: the five searches are still in the write queue, written as the page is hidden.
    await tab.goto(server.url + '/test/browser/pages/blank.html')
    await tab.traverse(-1)
    expect(await tab.evaluate(() => (window as unknown as { __restored?: number }).__restored), 'restored from the back/forward cache').toBe(1)
    // Firefox commits a transaction begun as the page goes into the cache but never tells the page it ended.
    const flushed = await tab.evaluate(() =>
      Promise.race([(window as unknown as SegletWindow).Seglet.flush().then(() => 'flushed'), new Promise((later) => setTimeout(() => later('still waiting after 5 s'), 5_000))]),
    )
    expect(flushed).toBe('flushed')
    await tab.evaluate(() => (window as unknown as SegletWindow).Seglet.track({ type: 'search', query: 'after' }))
    await tab.evaluate(() => (window as unknown as SegletWindow).Seglet.flush())
    const { events } = await exported(tab)
    expect(events.filter((e) => e.type === 'search').map((e) => e.query)).toEqual(['queued-0', 'queued-1', 'queued-2', 'queued-3', 'queued-4', 'after'])
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length)
    expect(countTypes(events)).toMatchObject({ page_view: 1, engagement: 1 })
    // What the page reads is what IndexedDB holds: its last engagement record, not the one written as it was hidden.
    const db = await readDb(asPage(tab))
    expect(events.find((e) => e.type === 'engagement')).toEqual(db.events.find((e) => e.type === 'engagement'))
    expect(db.events.filter((e) => e.type === 'search')).toHaveLength(6)
    await expectClean(tab)
    await tab.closeShopper()
  })

  it('the shopper\'s controls: the explain panel, "Export my data" downloads a file, "Forget me" deletes the database', async () => {
    const tab = await firefox.newShopper()
    await tab.goto(server.url + tagPage())
    await waitForPageViewStored(asPage(tab))
    await tab.evaluate(() => (window as unknown as SegletWindow).Seglet.showPanel())
    await tab.waitForFunction(() => !!document.querySelector('seglet-panel')?.shadowRoot?.querySelector('[role="dialog"]'), undefined)
    const panel = await readPanel(asPage(tab))
    expect(panel).toMatchObject({ open: true, role: 'dialog', name: 'New visitor' })
    expect(panel.buttons).toEqual(expect.arrayContaining(['Forget me', 'Export my data']))
    const before = firefox.downloads().length
    await clickPanelButton(tab, 'Export my data')
    await expect.poll(() => firefox.downloads().length, { timeout: 10_000 }).toBe(before + 1)
    await clickPanelButton(tab, 'Forget me')
    await expect.poll(() => databaseNames(asPage(tab)), { timeout: 10_000 }).toEqual([])
    await expectClean(tab)
    await tab.closeShopper()
  })

  it('a private report: encoded, sent once to the collector, which keeps it', async () => {
    const tab = await firefox.newShopper()
    const attrs = { consent: 'granted', reports: REPORTS }
    await tab.goto(server.url + tagPage(attrs, '&past=1'))
    await waitForSegment(asPage(tab))
    await tab.evaluate(() => {
      const { Seglet } = window as unknown as SegletWindow
      Seglet.track({ type: 'page_view', url: '/products/mug', pageType: 'product', pageKey: 'product/mug' })
      Seglet.track({ type: 'product_view', productId: 'mug', price: 12, currency: 'EUR' })
      Seglet.track({ type: 'purchase', orderId: 'o-1', value: 12, currency: 'EUR', items: [{ productId: 'mug', quantity: 1, price: 12 }] })
      return Seglet.flush()
    })
    await expect.poll(async () => Array.isArray((await readDb(asPage(tab))).meta['report-sessions']), { timeout: 20_000 }).toBe(true)
    const count = async () => (await collector.db.query<{ n: number }>('SELECT count(*)::integer AS n FROM seglet_reports'))[0]!.n
    const kept = await count()
    await tab.goto(server.url + tagPage(attrs))
    await expect.poll(() => served.filter((u) => u === REPORTS).length, { timeout: 20_000 }).toBe(1)
    await expect.poll(count, { timeout: 10_000 }).toBe(kept + 1)
    expect((await readDb(asPage(tab))).meta['report-ledger']).toMatchObject({ last: { epsilon: 2 } })
    // Another page the same day: the day's budget is spent, nothing more is sent.
    await tab.reload()
    await waitForReportRuns(asPage(tab))
    expect(served.filter((u) => u === REPORTS)).toHaveLength(1)
    await expectClean(tab)
    await tab.closeShopper()
  })

  it('the collector\'s dashboard: renders, draws its charts, downloads the figures as CSV', async () => {
    const tab = await firefox.newShopper()
    await tab.goto(dashboard.base + '/seglet/dashboard')
    await tab.waitForFunction(() => document.querySelectorAll('#pages tbody tr').length > 1, undefined, { timeout: 30_000 })
    const charts = await tab.evaluate(() =>
      Array.from(document.querySelectorAll('canvas')).map((canvas) => {
        const chart = (window as unknown as { Chart?: { getChart(c: HTMLCanvasElement): unknown } }).Chart?.getChart(canvas)
        const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data
        let painted = 0
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++
        return { id: canvas.id, chart: !!chart, painted: painted > 100, width: canvas.width }
      }),
    )
    expect(charts.length).toBeGreaterThan(0)
    for (const chart of charts) expect(chart, chart.id).toMatchObject({ chart: true, painted: true })
    await tab.waitForFunction(() => !(document.getElementById('download') as HTMLButtonElement).hidden, undefined)
    const before = new Set(firefox.downloads())
    await tab.click('#download')
    await expect.poll(() => firefox.downloads().filter((f) => !before.has(f)).length, { timeout: 10_000 }).toBe(1)
    const file = firefox.downloads().find((f) => !before.has(f))!
    expect(file).toMatch(/\.csv$/)
    // The file is complete once Firefox has renamed its `.part` over it; poll its lines, in case the rename is late.
    await expect.poll(() => readFileSync(join(firefox.downloadsDir, file), 'utf8').split('\n').length, { timeout: 10_000 }).toBeGreaterThan(5)
    expect((await probes(asPage(tab))).escaped).toEqual([])
    await tab.closeShopper()
  })
})

describe.skipIf(!HAS_FIREFOX)('Firefox with Global Privacy Control on (privacy.globalprivacycontrol.enabled)', () => {
  let firefox: Firefox
  let server: { url: string; close(): Promise<void> }
  beforeAll(async () => {
    server = await startServer({})
    firefox = await launchFirefox({ preload: [probeScript], prefs: { 'privacy.globalprivacycontrol.enabled': true, 'privacy.globalprivacycontrol.functionality.enabled': true } })
  }, 120_000)
  afterAll(async () => {
    await firefox?.close()
    await server?.close()
  })

  it('denies consent even with data-consent="granted": nothing persisted', async () => {
    const tab = await firefox.newShopper()
    await tab.goto(server.url + tagPage())
    await tab.waitForFunction(() => typeof (window as unknown as { Seglet?: unknown }).Seglet === 'object', undefined)
    expect(await tab.evaluate(() => (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl)).toBe(true)
    await tab.evaluate(() => (window as unknown as SegletWindow).Seglet.flush())
    await pageTime(asPage(tab), 300)
    expect(await tab.evaluate(() => (window as unknown as SegletWindow).Seglet.getConsent())).toBe('denied')
    expect((await exported(tab)).storage).toBe('memory')
    expect(await databaseNames(asPage(tab))).toEqual([])
    await expectClean(tab)
    await tab.closeShopper()
  })
})
