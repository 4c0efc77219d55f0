// Private reports and the holdout, in headless Chromium: a report leaves only with consent granted and GPC
// off, only to the configured endpoint, at most once a day, without cookies, Referer or any event field;
// in the holdout the segment is decided but no hook fires.
import { describe, expect, it } from 'vitest'
import type { Page, Route } from 'playwright-core'
import { countReportRuns, pageTime, probes, readDb, useHarness, waitForReportRuns, waitForSeglet, waitForSegment } from './helpers'

type SegletWindow = {
  Seglet: { track(e: unknown): void; flush(): Promise<void>; getSegment(): { id: string; arm?: string } | null }
  seglet: unknown[]
}

const ENDPOINT = '/seglet/reports'
const tagPage = (attrs: Record<string, string>, extra = '') => '/test/browser/pages/tag.html?attrs=' + encodeURIComponent(JSON.stringify(attrs)) + extra

/** Pages opened with `past` in their query live two hours ago (Date.now shifted), so their session is closed now. */
function shiftClock(): void {
  if (location.search.includes('past')) {
    const real = Date.now
    Date.now = () => real() - 2 * 3_600_000
  }
  if (location.search.includes('gpc')) Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true })
}

/** A visit with private details: a keyed page, a search, a product, an order. Waits until its decision is recorded. */
async function earlierVisit(page: Page, base: string, attrs: Record<string, string>): Promise<void> {
  await page.goto(base + tagPage(attrs, '&past=1'))
  await waitForSeglet(page)
  await page.evaluate(() => {
    const { Seglet } = window as unknown as SegletWindow
    Seglet.track({ type: 'page_view', url: '/search?q=secret-query&email=shopper@example.org', pageType: 'search', pageKey: 'search' })
    Seglet.track({ type: 'search', query: 'secret-query' })
    Seglet.track({ type: 'page_view', url: '/products/secret-product', pageType: 'product', pageKey: 'product/mug' })
    Seglet.track({ type: 'product_view', productId: 'secret-product', price: 123.45, currency: 'EUR' })
    Seglet.track({ type: 'purchase', orderId: 'secret-order', value: 123.45, currency: 'EUR', items: [{ productId: 'secret-product', quantity: 1, price: 123.45 }] })
    return Seglet.flush()
  })
  await expect.poll(async () => Array.isArray((await readDb(page)).meta['report-sessions']), { timeout: 20_000 }).toBe(true)
}

const PART = '/dist/seglet-reports.min.js'

/**
 * Waits until the page's report logic has had its chance where no report run may take the report lock (consent
 * pending, Global Privacy Control on): Seglet asks for its report part when the page is first idle after its
 * start, and a run decides whether a report is due right after the part has loaded. `requests` are the requests
 * since the page was opened.
 */
async function reportChance(page: Page, requests: () => string[]): Promise<void> {
  // Idle once (Seglet's idle callback, asked for first, has run), then 250 ms for a request it made to be seen here.
  await pageTime(page, 0)
  await pageTime(page, 250)
  if (!requests().some((url) => url.includes(PART))) return
  await page.waitForFunction((part) => performance.getEntriesByType('resource').some((e) => e.name.includes(part)), PART, { timeout: 20_000 })
  // The run's reads of the store (the ledger, the events) come before any send: a second is many times theirs.
  await pageTime(page, 1000)
}

describe('private reports', () => {
  const reports: { body: string; headers: Record<string, string> }[] = []
  const h = useHarness({
    setup: async (harness) => {
      await harness.context.addInitScript(shiftClock)
      await harness.context.addInitScript(countReportRuns)
      await harness.context.route('**' + ENDPOINT, async (route) => {
        reports.push({ body: route.request().postData() ?? '', headers: await route.request().allHeaders() })
        await route.fulfill({ status: 204 })
      })
    },
  })

  it('sends one report with consent granted, to the endpoint only, without cookies, Referer or any event field', async () => {
    reports.length = 0
    await h.context.addCookies([{ name: 'shop_session', value: 'cookie-secret', url: h.baseUrl }])
    const page = await h.newPage()
    const attrs = { consent: 'granted', reports: ENDPOINT }
    await earlierVisit(page, h.baseUrl, attrs)
    expect(reports).toEqual([])

    h.requests.length = 0
    await page.goto(h.baseUrl + tagPage(attrs))
    await expect.poll(() => reports.length, { timeout: 20_000 }).toBe(1)
    const [{ body, headers }] = reports
    expect(Object.keys(JSON.parse(body)).sort()).toEqual(['a', 'day', 'eps', 'pack', 'q', 'sl', 'v', 'vl'])
    for (const secret of ['secret', 'shopper', 'search', 'product', '123.45', 'EUR', 'cookie', '/']) expect(body).not.toContain(secret)
    expect(headers.cookie).toBeUndefined()
    expect(headers.referer).toBeUndefined()
    expect(headers['content-type']).toBe('application/json')

    // Nothing but the page, Seglet's own files and the endpoint, all on the page's origin.
    const allowed = new Set(['/test/browser/pages/tag.html', '/test/browser/pages/tag.js', '/dist/seglet.min.js', '/dist/seglet-model.min.js', '/dist/seglet-blocks.min.js', '/dist/seglet-prune.min.js', '/dist/seglet-reports.min.js', ENDPOINT])
    for (const url of h.requests) {
      expect(new URL(url).origin, url).toBe(h.baseUrl)
      expect(allowed.has(new URL(url).pathname), url).toBe(true)
    }
    const t = await probes(page)
    expect(t.network).toEqual(['fetch ' + h.baseUrl + ENDPOINT])
    expect(t.errors).toEqual([])
    expect(t.escaped).toEqual([])
    expect((await readDb(page)).meta['report-ledger']).toMatchObject({ last: { epsilon: 2 } })

    // The same day, another page: the budget is spent.
    await page.reload()
    await waitForSeglet(page)
    // Its report run ended: it found the day spent (a report is sent while the run holds the lock).
    await waitForReportRuns(page)
    expect(reports).toHaveLength(1)
    await page.close()
  })

  it('two tabs opened at the same instant, both due to send the day\'s report: one report leaves, the day spent once', async () => {
    reports.length = 0
    const first = await h.newPage()
    const attrs = { consent: 'granted', reports: ENDPOINT }
    await earlierVisit(first, h.baseUrl, attrs)
    await first.close()
    // The report part reaches both tabs at the same moment, so both prepare the day's report at once.
    const held: Route[] = []
    const part = '**/dist/seglet-reports.min.js'
    await h.context.route(part, (route) => {
      held.push(route)
      if (held.length === 2) for (const r of held) void r.continue()
    })
    const [a, b] = [await h.newPage(), await h.newPage()]
    try {
      await Promise.all([a.goto(h.baseUrl + tagPage(attrs)), b.goto(h.baseUrl + tagPage(attrs))])
      await Promise.all([waitForSeglet(a), waitForSeglet(b)])
      await expect.poll(() => held.length, { timeout: 20_000 }).toBe(2)
    } finally {
      await h.context.unroute(part)
    }
    await expect.poll(() => reports.length, { timeout: 20_000 }).toBe(1)
    // Both tabs had their chance (each one's report run ended), and then a third page the same day.
    await Promise.all([waitForReportRuns(a), waitForReportRuns(b)])
    await b.reload()
    await waitForSeglet(b)
    await waitForReportRuns(b)
    expect(reports).toHaveLength(1)
    const ledger = (await readDb(a)).meta['report-ledger'] as { spent: Record<string, number> }
    expect(Object.values(ledger.spent)).toEqual([2])
    for (const page of [a, b]) expect((await probes(page)).escaped).toEqual([])
    await a.close()
    await b.close()
  })

  it('sends nothing while consent is pending, nor with Global Privacy Control on', async () => {
    reports.length = 0
    const page = await h.newPage()
    await earlierVisit(page, h.baseUrl, { consent: 'granted', reports: ENDPOINT })
    let from = h.requests.length
    await page.goto(h.baseUrl + tagPage({ consent: 'pending', reports: ENDPOINT }))
    await waitForSeglet(page)
    await reportChance(page, () => h.requests.slice(from))
    // GPC on, even where the shop does not let it deny consent.
    from = h.requests.length
    await page.goto(h.baseUrl + tagPage({ consent: 'granted', 'respect-gpc': 'false', reports: ENDPOINT }, '&gpc=1'))
    await waitForSeglet(page)
    expect(await page.evaluate(() => (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl)).toBe(true)
    await reportChance(page, () => h.requests.slice(from))
    expect(reports).toEqual([])
    expect((await probes(page)).network).toEqual([])
    expect(h.requests.filter((u) => u.includes(ENDPOINT))).toEqual([])
    await page.close()
  })
})

describe('the holdout', () => {
  const h = useHarness()

  it('decides the segment but fires no hook: no <html> markers, no classes, blocks as before a decision, no event', async () => {
    const page = await h.newPage()
    await page.goto(h.baseUrl + tagPage({ consent: 'granted', autostart: 'false' }))
    await waitForSeglet(page)
    await page.evaluate(() => {
      const w = window as unknown as SegletWindow
      w.seglet.push(['init', { personalize: { holdout: 1 } }])
      w.Seglet.track({ type: 'page_view', url: '/collections/fiction', pageType: 'category' })
      w.Seglet.track({ type: 'product_view', productId: 'the-salt-road', price: 15.9, currency: 'EUR' })
      return w.Seglet.flush()
    })
    await page.waitForFunction(() => (window as unknown as SegletWindow).Seglet.getSegment() !== null, undefined, { timeout: 20_000 })
    const state = await page.evaluate(() => ({
      segment: (window as unknown as SegletWindow).Seglet.getSegment(),
      attr: document.documentElement.getAttribute('data-seglet-segment'),
      classes: Array.from(document.documentElement.classList),
      show: document.querySelector('#show-block')!.hasAttribute('hidden'),
      hide: document.querySelector('#hide-block')!.hasAttribute('hidden'),
      intent: document.querySelector('#intent-block')!.hasAttribute('hidden'),
    }))
    expect(state.segment).toMatchObject({ arm: 'holdout' })
    expect(state.attr).toBeNull()
    expect(state.classes.filter((c) => c.startsWith('seglet-'))).toEqual([])
    expect({ show: state.show, hide: state.hide, intent: state.intent }).toEqual({ show: true, hide: false, intent: true })
    const t = await probes(page)
    expect(t.segments).toEqual([])
    expect(t.errors).toEqual([])

    // The treatment arm of the same page is personalised.
    await page.goto(h.baseUrl + tagPage({ consent: 'granted' }))
    await waitForSeglet(page)
    await page.evaluate(() => (window as unknown as SegletWindow).Seglet.track({ type: 'page_view', url: '/x', pageType: 'home' }))
    expect(await waitForSegment(page)).toBeTruthy()
    await page.close()
  })
})
