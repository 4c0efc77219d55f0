// Shopper journeys in headless Chromium: the demo storefront through the script tag, the npm (ESM) example,
// a single-page shop and a GA4 dataLayer shop. Each checks what IndexedDB holds, the segment, the DOM hooks
// and the transparency panel.
import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import {
  buyFromProductPage,
  clickPanelButton,
  countTypes,
  expectHooksMatch,
  probes,
  readDb,
  readHooks,
  readPanel,
  type SegmentLike,
  useHarness,
  waitForSegment,
  waitForSegmentEvents,
  waitForPageViewStored,
} from './helpers'

const h = useHarness()

const pathOf = (url: string) => new URL(url).pathname

/** Waits until the stored events satisfy `check` (writes are batched and flushed on idle). */
async function storedWhen(page: Page, check: (types: Record<string, number>) => boolean, timeout = 10_000) {
  await expect.poll(async () => check(countTypes((await readDb(page)).events)), { timeout, interval: 100 }).toBe(true)
  return readDb(page)
}

/** Waits for a decision that is not the cold-start default. */
async function waitForRealSegment(page: Page): Promise<SegmentLike> {
  await page.waitForFunction(() => (window as unknown as { __t: { segments: { coldStart: boolean }[] } }).__t.segments.some((s) => !s.coldStart), undefined, { timeout: 15_000 })
  const t = await probes(page)
  return t.segments.filter((s) => !s.coldStart).at(-1)!
}

async function expectCleanPage(page: Page & { uncaughtErrors?: string[] }) {
  const t = await probes(page)
  expect(t.escaped).toEqual([])
  expect(t.errors).toEqual([])
  expect(t.network).toEqual([])
  expect(page.uncaughtErrors ?? []).toEqual([])
}

describe('storefront through the script tag', () => {
  it('measures scroll depth from the page height in real layout', async () => {
    const page = await h.newPage()
    await page.setViewportSize({ width: 800, height: 500 })
    await page.goto(h.baseUrl + '/')
    await waitForSegment(page)
    // A page made five viewports tall, scrolled until the viewport's bottom is at 95% of it (deeper than the
    // page as loaded, whose first screen was measured at start).
    const expected = await page.evaluate(async () => {
      document.body.insertAdjacentHTML('beforeend', '<div style="height:2500px"></div>')
      const height = document.documentElement.scrollHeight
      scrollTo(0, height * 0.95 - innerHeight)
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))
      ;(window as unknown as { Seglet: { track(e: unknown): void } }).Seglet.track({ type: 'search', query: 'salt' })
      await (window as unknown as { Seglet: { flush(): Promise<void> } }).Seglet.flush()
      return (scrollY + innerHeight) / height
    })
    const db = await storedWhen(page, (t) => t.search === 1)
    const engagement = db.events.find((e) => e.type === 'engagement' && e.url === '/') as unknown as { scrollDepth: number }
    expect(expected).toBeGreaterThan(0.9)
    expect(expected).toBeLessThan(0.99)
    expect(engagement.scrollDepth).toBeCloseTo(expected, 2)
  })

  it('a new visitor browses and buys: every step stored, a segment decided, hooks and panel follow it', async () => {
    const page = await h.newPage()
    await page.goto(h.baseUrl + '/')
    // First page of a first visit: the cold-start default, applied to <html> at once.
    expect(await waitForSegment(page)).toBe('new-visitor')
    expectHooksMatch(await readHooks(page))
    await expectCleanPage(page)

    // Each page's page view is stored before the next click, as a shopper's pace allows (waitForPageViewStored).
    await waitForPageViewStored(page)
    await page.click('a[href="/collections/fiction.html"]')
    await page.waitForURL('**/collections/fiction.html')
    await waitForPageViewStored(page)
    await page.click('a[href="/products/the-salt-road.html"]')
    await page.waitForURL('**/products/the-salt-road.html')
    await buyFromProductPage(page)

    const db = await storedWhen(page, (t) => t.purchase === 1)
    expect(db.version).toBe(2)
    const types = countTypes(db.events)
    const pageViews = db.events.filter((e) => e.type === 'page_view')
    expect(pageViews.map((e) => [e.url, e.pageType])).toEqual([
      ['/', 'home'],
      ['/collections/fiction.html', 'category'],
      ['/products/the-salt-road.html', 'product'],
      ['/cart.html', 'cart'],
      ['/checkout.html', 'checkout'],
    ])
    expect(db.events.find((e) => e.type === 'product_view')).toMatchObject({ productId: 'the-salt-road', price: 15.9, currency: 'EUR', category: 'fiction' })
    expect(db.events.find((e) => e.type === 'add_to_cart')).toMatchObject({ productId: 'the-salt-road', quantity: 1, price: 15.9, currency: 'EUR' })
    expect(db.events.find((e) => e.type === 'begin_checkout')).toMatchObject({ value: 15.9, currency: 'EUR' })
    expect(db.events.find((e) => e.type === 'purchase')).toMatchObject({ value: 15.9, currency: 'EUR', items: [{ productId: 'the-salt-road', quantity: 1, price: 15.9 }] })
    // One engagement record per page view, updated by every write of the page (its page view's among them),
    // so each of the four pages left has one, however its hide-time write went.
    const engaged = db.events.filter((e) => e.type === 'engagement').map((e) => e.url)
    expect(new Set(engaged).size).toBe(engaged.length)
    expect(engaged).toEqual(expect.arrayContaining(pageViews.slice(0, 4).map((e) => e.url)))
    expect(types.engagement).toBeLessThanOrEqual(pageViews.length)
    expect(new Set(db.events.map((e) => e.id)).size).toBe(db.events.length)
    const ts = db.events.map((e) => e.ts)
    expect(ts.every((t) => Math.abs(Date.now() - t) < 120_000)).toBe(true)

    // After the purchase there is evidence enough for a real decision; the page follows it. The decision
    // that saw the purchase is the one with a value segment (one before the purchase flush may come first).
    await page.waitForFunction(() => (window as unknown as { __t: { segments: { valueSegment?: unknown }[] } }).__t.segments.some((s) => s.valueSegment), undefined, { timeout: 15_000 })
    const segment = await waitForRealSegment(page)
    expect(segment.path.length).toBeGreaterThan(0)
    expect(segment.confidence).toBeGreaterThan(0)
    expect(segment.intent).toBeGreaterThanOrEqual(0)
    expect(segment.intent).toBeLessThanOrEqual(1)
    expect(segment.valueSegment?.id, 'the lifetime pack ran on the purchase history').toBeTruthy()
    await expect.poll(async () => (await readHooks(page)).attr).toBe((await readHooks(page)).segment?.id)
    expectHooksMatch(await readHooks(page))
    // The shop's own onSegment hook (demo.js, through the queue) updated its badge.
    await expect.poll(() => page.textContent('#segment-badge')).toContain((await readHooks(page)).segment!.name)
    // The segment is kept for the next visit.
    await expect.poll(async () => ((await readDb(page)).meta.segment as SegmentLike | undefined)?.id).toBe((await readHooks(page)).segment?.id)

    // The shop's "Why am I seeing this?" button opens the panel.
    await page.click('[data-demo-action="panel"]')
    await page.waitForSelector('seglet-panel')
    const panel = await readPanel(page)
    expect(panel.role).toBe('dialog')
    expect(panel.name).toBe((await readHooks(page)).segment!.name)
    expect(panel.text).toContain('Chance you buy in this visit')
    expect(panel.buttons).toEqual(expect.arrayContaining(['Forget me', 'Export my data']))
    await expectCleanPage(page)
    await page.close()
  })

  it('a returning visitor after reload: history kept, the stored segment restored first (hysteresis), then more', async () => {
    const page = await h.newPage()
    await page.goto(h.baseUrl + '/products/the-quiet-orbit.html')
    await page.click('[data-demo-action="add"]')
    await page.goto(h.baseUrl + '/checkout.html')
    await page.click('[data-demo-action="buy"]')
    const first = await waitForRealSegment(page)
    await expect.poll(async () => ((await readDb(page)).meta.segment as SegmentLike | undefined)?.id).toBeTruthy()
    const before = await readDb(page)
    const stored = before.meta.segment as SegmentLike
    expect(stored.coldStart).toBe(false)

    for (let visit = 0; visit < 2; visit++) {
      await page.reload()
      // The first decision of the new page comes from stored history and keeps the stored segment: a
      // challenger must win twice by a margin before it takes over.
      await waitForSegmentEvents(page, 1)
      const t = await probes(page)
      expect(t.segments[0].coldStart).toBe(false)
      expect(t.segments[0].id).toBe(stored.id)
      expectHooksMatch(await readHooks(page))
      expect(t.errors).toEqual([])
    }
    const after = await storedWhen(page, (t) => (t.page_view ?? 0) >= countTypes(before.events).page_view + 2)
    // Nothing from the first visit was lost.
    const ids = new Set(after.events.map((e) => e.id))
    for (const e of before.events) expect(ids.has(e.id)).toBe(true)
    expect(first.id).toBeTruthy()

    // The debug panel on a later page shows the stored history.
    await page.goto(h.baseUrl + '/pages/about.html?seglet=debug')
    await page.waitForSelector('seglet-panel')
    await expect.poll(async () => (await readPanel(page)).events ?? 0).toBeGreaterThanOrEqual(after.events.length)
    const panel = await readPanel(page)
    expect(panel.text).toContain('In this browser (IndexedDB)')
    expect(panel.text).toContain('Your consentgiven')
    await page.close()
  })

  it('the panel exports what is stored as a JSON download, made in the browser', async () => {
    const page = await h.newPage()
    await page.goto(h.baseUrl + '/products/winter-harbour.html')
    await page.click('[data-demo-action="add"]')
    await storedWhen(page, (t) => t.add_to_cart === 1)
    await page.goto(h.baseUrl + '/products/winter-harbour.html?seglet=debug')
    await page.waitForSelector('seglet-panel')
    const download = page.waitForEvent('download')
    await clickPanelButton(page, 'Export my data')
    const file = await download
    expect(file.suggestedFilename()).toBe('seglet-data.json')
    expect(file.url()).toMatch(/^blob:/)
    const data = JSON.parse(await readFile((await file.path()) as string, 'utf8'))
    expect(data.format).toBe('seglet-export')
    expect(data.storage).toBe('indexeddb')
    expect(countTypes(data.events).add_to_cart).toBe(1)
    expect(await readPanel(page)).toMatchObject({ open: true })
    await page.close()
  })

  it('the panel stays a fixed overlay under a shop CSS reset that unsets every element', async () => {
    const page = await h.newPage()
    await page.goto(h.baseUrl + '/')
    await waitForSegment(page)
    // A popular modern reset: every element but a few media ones loses all its styles, with zero specificity.
    await page.addStyleTag({ content: '*:where(:not(html, iframe, canvas, img, svg, video, audio):not(svg *, symbol *)) { all: unset; display: revert; }' })
    await page.click('[data-demo-action="panel"]')
    await page.waitForSelector('seglet-panel')
    const host = await page.evaluate(() => {
      const style = getComputedStyle(document.querySelector('seglet-panel')!)
      return { position: style.position, display: style.display, zIndex: style.zIndex }
    })
    expect(host).toEqual({ position: 'fixed', display: 'block', zIndex: '2147483647' })
    await page.close()
  })

  it('the panel shows again after the page swapped its <body> (Turbo-style navigation) while it was open', async () => {
    const page = await h.newPage()
    await page.goto(h.baseUrl + '/products/winter-harbour.html')
    await waitForSegment(page)
    await page.click('[data-demo-action="panel"]')
    await page.waitForSelector('seglet-panel')
    // Turbo Drive, pjax and the like replace the whole <body> with the next page's.
    await page.evaluate(() => {
      const next = document.createElement('body')
      next.append(...Array.from(document.body.children, (e) => e.cloneNode(true)).filter((e) => (e as Element).tagName !== 'SEGLET-PANEL'))
      document.body.replaceWith(next)
    })
    expect(await readPanel(page)).toEqual({ open: false })
    await page.evaluate(() => (window as unknown as { Seglet: { showPanel(): void } }).Seglet.showPanel())
    await page.waitForSelector('seglet-panel', { timeout: 5_000 })
    expect(await page.locator('seglet-panel').count()).toBe(1)
    expect(await readPanel(page)).toMatchObject({ open: true, role: 'dialog' })
    await expectCleanPage(page)
    await page.close()
  })

  it('the panel by keyboard: focus moves in, stays on a button used, Escape closes and gives focus back', async () => {
    const page = await h.newPage()
    await page.goto(h.baseUrl + '/products/winter-harbour.html')
    await waitForSegment(page)
    const focused = () =>
      page.evaluate(() => {
        const active = document.activeElement
        return active?.shadowRoot ? `panel: ${active.shadowRoot.activeElement?.textContent?.slice(0, 20)}` : `page: ${active?.getAttribute('data-demo-action') ?? active?.tagName}`
      })
    await page.focus('[data-demo-action="panel"]')
    await page.keyboard.press('Enter')
    await page.waitForSelector('seglet-panel')
    await expect.poll(focused).toBe('panel: Why am I seeing this')
    await page.keyboard.press('Tab')
    expect(await focused()).toBe('panel: ×')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    expect(await focused()).toBe('panel: Export my data')
    const download = page.waitForEvent('download')
    await page.keyboard.press('Enter')
    await download
    await page.locator('seglet-panel').getByRole('status').filter({ hasText: 'downloaded' }).waitFor()
    // The button used keeps the focus, so the shopper can go on by keyboard and close the panel.
    expect(await focused()).toBe('panel: Export my data')
    await page.keyboard.press('Escape')
    expect(await readPanel(page)).toEqual({ open: false })
    expect(await focused()).toBe('page: panel')
    await expectCleanPage(page)
    await page.close()
  })
})

describe('the npm (ESM) example', () => {
  it('a new visitor, then a returning one: events stored, segment, hooks, lazily split runtime, panel', async () => {
    const page = await h.newPage()
    const requests: string[] = []
    page.on('request', (r) => requests.push(pathOf(r.url())))
    await page.goto(h.baseUrl + '/examples/bundler/index.html')
    expect(await waitForSegment(page)).toBe('new-visitor')
    await page.click('[data-demo-action="add"]')
    await page.evaluate(() => {
      const app = (window as unknown as { segletApp: { seglet: { track(e: unknown): void; flush(): Promise<void> } } }).segletApp
      app.seglet.track({ type: 'purchase', orderId: 'esm-1', value: 15.9, currency: 'EUR', items: [{ productId: 'the-salt-road', quantity: 1, price: 15.9 }] })
      return app.seglet.flush()
    })
    const db = await storedWhen(page, (t) => t.purchase === 1)
    expect(countTypes(db.events)).toMatchObject({ page_view: 1, product_view: 1, add_to_cart: 1, purchase: 1 })
    expect(db.events.find((e) => e.type === 'page_view')).toMatchObject({ url: '/examples/bundler/index.html', pageType: 'product' })
    expect(db.events.find((e) => e.type === 'product_view')).toMatchObject({ productId: 'the-salt-road', price: 15.9, currency: 'EUR' })

    await waitForRealSegment(page)
    await expect.poll(async () => (await readHooks(page)).attr).toBe((await readHooks(page)).segment?.id)
    expectHooksMatch(await readHooks(page))
    await expect.poll(() => page.textContent('#segment-badge')).toContain((await readHooks(page)).segment!.name)
    // The model runtime came as the bundler's own lazily imported chunks, not as part of app.js.
    expect(requests.some((p) => /^\/examples\/bundler\/dist\/(?!app\.js$)[\w-]+\.js$/.test(p))).toBe(true)
    expect(requests.filter((p) => !p.startsWith('/examples/bundler/') && p !== '/style.css' && p !== '/favicon.svg')).toEqual([])
    expect(await page.evaluate(() => (window as unknown as { segletApp: { errors: unknown[] } }).segletApp.errors)).toEqual([])

    const stored = (await readDb(page)).meta.segment as SegmentLike
    await page.goto(h.baseUrl + '/examples/bundler/index.html?seglet=debug')
    await waitForSegmentEvents(page, 1)
    const t = await probes(page)
    expect(t.segments[0].coldStart).toBe(false)
    expect(t.segments[0].id).toBe(stored.id)
    await page.waitForSelector('seglet-panel')
    const panel = await readPanel(page)
    expect(panel.role).toBe('dialog')
    expect(panel.name).toBe(t.segments[0].name)
    expect(panel.buttons).toEqual(expect.arrayContaining(['Forget me', 'Export my data']))
    expect(t.escaped).toEqual([])
    await page.close()
  })
})

describe('a single-page shop (history.pushState)', () => {
  it('captures a page view per route, product views from the route JSON-LD, engagement per route', async () => {
    const page = await h.newPage()
    await page.goto(h.baseUrl + '/test/browser/pages/spa.html')
    await waitForSegment(page)
    // At a shopper's pace: the capture waits 100 ms after a navigation for the route to render, and a
    // route left within that time (a redirect) gets no page view of its own. Timed on the page's clock: its
    // 100 ms timer, set as the route changed, fires before this one on a machine however busy.
    const pause = () => page.evaluate(() => new Promise((stayed) => setTimeout(stayed, 250)))
    await page.click('a[href="/spa/collections/fiction"]')
    await pause()
    await page.click('a[href="/spa/products/the-salt-road"]')
    await pause()
    // The first product route loads the bridges part (its JSON-LD reader); a route left before it arrives keeps its
    // page view but not its product view (src/capture/createCaptureWith.ts). A shopper stays longer than it takes.
    await page.waitForFunction(() =>
      performance.getEntriesByType('resource').some((e) => e.name.includes('/dist/seglet-bridges.min.js') && (e as PerformanceResourceTiming).responseEnd > 0),
    )
    await pause()
    await page.click('#add')
    await page.click('a[href="/spa/products/winter-harbour"]')
    await pause()
    await page.goBack() // popstate
    await page.waitForURL('**/spa/products/the-salt-road')
    await pause()
    await page.click('a[href="/spa/cart"]')
    await pause()
    await page.evaluate(() => (window as unknown as { Seglet: { flush(): Promise<void> } }).Seglet.flush())

    const db = await storedWhen(page, (t) => (t.page_view ?? 0) >= 6)
    expect(db.events.filter((e) => e.type === 'page_view').map((e) => [e.url, e.pageType])).toEqual([
      ['/test/browser/pages/spa.html', 'home'],
      ['/spa/collections/fiction', 'category'],
      ['/spa/products/the-salt-road', 'product'],
      ['/spa/products/winter-harbour', 'product'],
      ['/spa/products/the-salt-road', 'product'],
      ['/spa/cart', 'cart'],
    ])
    expect(db.events.filter((e) => e.type === 'product_view').map((e) => e.productId)).toEqual(['the-salt-road', 'winter-harbour', 'the-salt-road'])
    expect(db.events.find((e) => e.type === 'add_to_cart')).toMatchObject({ productId: 'the-salt-road', price: 15.9 })
    // Leaving a route flushes its engagement.
    const engaged = db.events.filter((e) => e.type === 'engagement').map((e) => e.url)
    expect(engaged).toEqual(expect.arrayContaining(['/test/browser/pages/spa.html', '/spa/collections/fiction', '/spa/products/winter-harbour']))

    // Six page views are evidence enough for a real decision, without a reload.
    await waitForRealSegment(page)
    await expect.poll(async () => (await readHooks(page)).attr).toBe((await readHooks(page)).segment?.id)
    expectHooksMatch(await readHooks(page))
    await page.evaluate(() => (window as unknown as { Seglet: { showPanel(): void } }).Seglet.showPanel())
    await page.waitForSelector('seglet-panel')
    const panel = await readPanel(page)
    expect(panel.name).toBe((await readHooks(page)).segment!.name)
    expect(panel.events).toBeGreaterThanOrEqual(db.events.length)
    await page.evaluate(() => (window as unknown as { Seglet: { hidePanel(): void } }).Seglet.hidePanel())
    expect(await readPanel(page)).toEqual({ open: false })
    await expectCleanPage(page)
    await page.close()
  })
})

describe('a GA4 dataLayer shop', () => {
  it('maps existing and new GA4 ecommerce entries, leaves dataLayer as it was, decides a segment', async () => {
    const page = await h.newPage()
    await page.goto(h.baseUrl + '/test/browser/pages/ga4.html')
    await waitForSegment(page)
    // Entries pushed before Seglet loaded.
    let db = await storedWhen(page, (t) => t.product_view === 1 && t.search === 1)
    expect(db.events.find((e) => e.type === 'product_view')).toMatchObject({ productId: 'SKU_1', price: 10.01, currency: 'USD', category: 'Apparel' })
    expect(db.events.find((e) => e.type === 'search')).toMatchObject({ query: 'green tee' })
    expect(countTypes(db.events).page_view).toBe(1)

    // New pushes after Seglet started.
    await page.click('#add')
    await page.click('#checkout')
    await page.click('#buy')
    await page.evaluate(() => (window as unknown as { Seglet: { flush(): Promise<void> } }).Seglet.flush())
    db = await storedWhen(page, (t) => t.purchase === 1 && t.begin_checkout === 1)
    expect(db.events.find((e) => e.type === 'add_to_cart')).toMatchObject({ productId: 'SKU_1', quantity: 2, price: 10.01, currency: 'USD' })
    expect(db.events.find((e) => e.type === 'begin_checkout')).toMatchObject({ value: 20.02, currency: 'USD' })
    // The gtag() copy of the same order is not a second purchase.
    expect(db.events.filter((e) => e.type === 'purchase')).toEqual([expect.objectContaining({ orderId: 'T-1001', value: 20.02, currency: 'USD' })])

    // dataLayer behaves as before: every entry kept in order, push returns the new length.
    const layer = await page.evaluate(() => {
      const w = window as unknown as { dataLayer: Record<string, unknown>[]; shopPushResult: number }
      return { length: w.dataLayer.length, events: w.dataLayer.map((e) => e.event ?? (e as unknown as { 1?: string })[1] ?? null), pushResult: w.shopPushResult, isArray: Array.isArray(w.dataLayer) }
    })
    expect(layer).toEqual({
      length: 13,
      events: ['gtm.js', null, 'view_item_list', null, 'view_item', 'search', null, 'add_to_cart', null, 'begin_checkout', null, 'purchase', 'purchase'],
      pushResult: 8,
      isArray: true,
    })

    await waitForRealSegment(page)
    await expect.poll(async () => (await readHooks(page)).attr).toBe((await readHooks(page)).segment?.id)
    expectHooksMatch(await readHooks(page))
    await page.evaluate(() => (window as unknown as { Seglet: { showPanel(): void } }).Seglet.showPanel())
    await page.waitForSelector('seglet-panel')
    expect((await readPanel(page)).name).toBe((await readHooks(page)).segment!.name)
    await expectCleanPage(page)
    await page.close()
  })
})
