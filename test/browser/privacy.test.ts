// Privacy guarantees, each proven in headless Chromium: no request of Seglet's own, a strict CSP, no
// cookie (but the opt-in segment hint, with consent) or localStorage, nothing persisted without consent (or
// with Global Privacy Control), and forget() deleting the database.
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import type { ConsoleMessage, Page } from 'playwright-core'
import {
  buyFromProductPage,
  clickPanelButton,
  countTypes,
  databaseNames,
  expectHooksMatch,
  pageTime,
  probes,
  readDb,
  readHooks,
  useHarness,
  waitForSeglet,
  waitForSegment,
} from './helpers'

type SegletWindow = {
  Seglet: {
    track(e: unknown): void
    flush(): Promise<void>
    forget(): Promise<void>
    setConsent(c: string): Promise<void>
    getConsent(): string
    getSegment(): { id: string } | null
    exportData(): Promise<{ storage: string; events: { type: string }[] }>
  }
}

const tagPage = (attrs: Record<string, string>) => '/test/browser/pages/tag.html?attrs=' + encodeURIComponent(JSON.stringify(attrs))

/** A short shopping session through the API: enough events for a decision. */
async function shop(page: Page): Promise<void> {
  await waitForSeglet(page)
  await page.evaluate(() => {
    const { Seglet } = window as unknown as SegletWindow
    Seglet.track({ type: 'page_view', url: '/collections/fiction', pageType: 'category' })
    Seglet.track({ type: 'product_view', productId: 'the-salt-road', price: 15.9, currency: 'EUR' })
    Seglet.track({ type: 'add_to_cart', productId: 'the-salt-road', quantity: 1, price: 15.9, currency: 'EUR' })
    Seglet.track({ type: 'search', query: 'winter' })
    return Seglet.flush()
  })
}

/** The storefront journey used by the request and CSP tests: browse, buy, open the debug panel. */
async function storefrontJourney(page: Page, base: string): Promise<string[]> {
  const visited = ['/', '/products/the-salt-road.html', '/cart.html', '/checkout.html', '/pages/about.html']
  await page.goto(base + '/')
  await waitForSegment(page)
  await page.click('a[href="/products/the-salt-road.html"]')
  await page.waitForURL('**/the-salt-road.html')
  await buyFromProductPage(page)
  await page.waitForFunction(() => (window as unknown as { __t: { segments: { coldStart: boolean }[] } }).__t.segments.some((s) => !s.coldStart), undefined, { timeout: 15_000 })
  await page.goto(base + '/pages/about.html?seglet=debug')
  await page.waitForSelector('seglet-panel')
  return visited
}

describe('requests, cookies and storage', () => {
  const h = useHarness()

  it('makes no request of its own: only the page files and dist/seglet-model.min.js, each recorded twice', async () => {
    const page = await h.newPage()
    const visited = await storefrontJourney(page, h.baseUrl)
    const allowed = new Set([...visited, '/style.css', '/demo.js', '/dist/seglet.min.js', '/dist/seglet-bridges.min.js', '/dist/seglet-blocks.min.js', '/dist/seglet-prune.min.js', '/dist/seglet-model.min.js', '/favicon.svg'])
    const browserPaths = h.requests.map((url) => {
      expect(new URL(url).origin, url).toBe(h.baseUrl)
      return new URL(url).pathname
    })
    for (const path of browserPaths) expect(allowed.has(path), path).toBe(true)
    for (const url of h.serverRequests) expect(allowed.has(new URL(url, h.baseUrl).pathname), url).toBe(true)
    // The model runtime: once per page, never anything else from Seglet.
    expect(browserPaths.filter((p) => p === '/dist/seglet-model.min.js').length).toBeLessThanOrEqual(visited.length)
    expect(browserPaths).toContain('/dist/seglet-model.min.js')
    const t = await probes(page)
    expect(t.network).toEqual([]) // no fetch, XHR, sendBeacon, WebSocket or EventSource at all
    await page.close()
  })

  it('writes no cookie unless the shop opts in to the segment hint, nothing to localStorage or sessionStorage, no Cache Storage and no service worker', async () => {
    const page = await h.newPage()
    await storefrontJourney(page, h.baseUrl)
    // Seglet (and the TensorFlow.js inside its runtime) never even reads these.
    expect((await probes(page)).storageAccess).toEqual([])
    expect(await h.context.cookies()).toEqual([])
    const web = await page.evaluate(async () => ({
      cookie: document.cookie,
      local: Object.keys(localStorage),
      // The demo shop keeps its own cart and order state there (`demo-…`); Seglet writes nothing.
      session: Object.keys(sessionStorage).filter((key) => !key.startsWith('demo-')),
      caches: await caches.keys(),
      workers: (await navigator.serviceWorker.getRegistrations()).length,
      databases: (await indexedDB.databases()).map((d) => d.name),
    }))
    expect(web).toEqual({ cookie: '', local: [], session: [], caches: [], workers: 0, databases: ['seglet'] })
    await page.close()
  })

  it('a consent queued before the tag loads is the one Seglet starts with: queued "granted" over data-consent="denied" deletes nothing', async () => {
    const page = await h.newPage()
    await page.goto(h.baseUrl + tagPage({ consent: 'granted' }))
    await shop(page)
    expect((await readDb(page)).events.some((e) => e.type === 'search')).toBe(true)
    // The shop's consent script queues the shopper's earlier choice before Seglet loads; the tag says denied until then.
    await page.addInitScript(() => ((window as unknown as { seglet: unknown[] }).seglet = [['setConsent', 'granted']]))
    await page.goto(h.baseUrl + tagPage({ consent: 'denied' }))
    await waitForSeglet(page)
    expect(await page.evaluate(() => (window as unknown as SegletWindow).Seglet.getConsent())).toBe('granted')
    await page.evaluate(() => (window as unknown as SegletWindow).Seglet.flush())
    expect((await readDb(page)).events.some((e) => e.type === 'search')).toBe(true)
    await page.close()
  })

  it('a consent queued before a queued init is the one Seglet starts with, over the consent in init()\'s options', async () => {
    const page = await h.newPage()
    // The shop's setup file starts Seglet with consent pending until its banner answers; the banner's script,
    // which loaded first, already queued the shopper's earlier "granted".
    await page.addInitScript(() => ((window as unknown as { seglet: unknown[] }).seglet = [['setConsent', 'granted'], ['init', { consent: 'pending' }]]))
    await page.goto(h.baseUrl + tagPage({ autostart: 'false' }))
    await waitForSeglet(page)
    expect(await page.evaluate(() => (window as unknown as SegletWindow).Seglet.getConsent())).toBe('granted')
    await page.close()
  })

  it('with the segment hint opted in, sets that one cookie only while consent is granted, and never reads cookies', async () => {
    const page = await h.newPage()
    // Opted in, consent denied: nothing, even with segments decided in memory.
    await page.goto(h.baseUrl + tagPage({ consent: 'denied', 'segment-without-consent': 'true', 'segment-hint': 'true' }))
    await shop(page)
    await waitForSegment(page)
    await page.waitForFunction(() => (window as unknown as SegletWindow).Seglet.getSegment() !== null)
    expect(await h.context.cookies()).toEqual([])

    // Opted in, consent granted: one first-party cookie with the segment id and intent band, nothing else.
    await page.goto(h.baseUrl + tagPage({ consent: 'granted', 'segment-hint': 'true' }))
    await shop(page)
    type Decided = { Seglet: { getSegment(): { id: string; intent: number; intentThreshold: number; coldStart: boolean } } }
    // Each decision rewrites the hint: wait for the decision from the session, then for its hint.
    await page.waitForFunction(() => (window as unknown as Decided).Seglet.getSegment()?.coldStart === false, undefined, { timeout: 15_000 })
    const segment = await page.evaluate(() => (window as unknown as Decided).Seglet.getSegment())
    const band = segment.intent >= segment.intentThreshold ? 'high' : segment.intent >= segment.intentThreshold / 2 ? 'medium' : 'low'
    await expect.poll(async () => (await h.context.cookies()).map((c) => `${c.name}=${c.value}`), { timeout: 15_000 }).toEqual([`seglet_hint=${segment.id}.${band}`])
    expect((await h.context.cookies())[0]).toMatchObject({ domain: '127.0.0.1', path: '/', sameSite: 'Lax', httpOnly: false })
    // Seglet wrote it, and still never read document.cookie (or any storage but IndexedDB).
    expect((await probes(page)).storageAccess).toEqual([])
    expect((await probes(page)).errors).toEqual([])

    // forget() removes it.
    await page.evaluate(() => (window as unknown as SegletWindow).Seglet.forget())
    expect(await h.context.cookies()).toEqual([])
    await page.close()
  })

  it('forget() in one tab: another tab of the shop, still deciding, does not write the segment hint back', async () => {
    const a = await h.newPage()
    const b = await h.newPage()
    await a.goto(h.baseUrl + tagPage({ consent: 'granted', 'segment-hint': 'true' }))
    await shop(a)
    await waitForSegment(a)
    await b.goto(h.baseUrl + tagPage({ consent: 'granted', 'segment-hint': 'true' }))
    await shop(b)
    await waitForSegment(b)
    await expect.poll(async () => (await h.context.cookies()).map((c) => c.name), { timeout: 15_000 }).toEqual(['seglet_hint'])
    // Let the other tab's decisions of its flushes end: one ending in the instant of the deletion may write the
    // hint back before that tab learns of it (its next decision removes it, checked below).
    let decided = -1
    while (decided !== (decided = (await probes(b)).segments.length)) await pageTime(b, 1500)

    await a.evaluate(() => (window as unknown as SegletWindow).Seglet.forget())
    expect(await h.context.cookies()).toEqual([])
    // The other tab lost the database to the deletion: it decides again from what it tracked since, never
    // from the forgotten history it had read, and writes no hint again (the shopper asked to be forgotten).
    const before = (await probes(b)).segments.length
    await shop(b)
    await b.waitForFunction((n) => (window as unknown as { __t: { segments: unknown[] } }).__t.segments.length > n, before, { timeout: 15_000 })
    await pageTime(b, 1000)
    const segment = await b.evaluate(() => (window as unknown as { Seglet: { getSegment(): { id: string; coldStart: boolean } } }).Seglet.getSegment())
    expect(segment.coldStart).toBe(true)
    expect(await h.context.cookies()).toEqual([])
    expect(await databaseNames(a)).toEqual([])
    expect((await probes(b)).escaped).toEqual([])
    await a.close()
    await b.close()
  })

  it('loads a configured pack from its own origin only, checks its hash, caches it, and refuses other origins', async () => {
    const packText = await readFile(new URL('../../src/models/session.json', import.meta.url), 'utf8')
    const integrity = 'sha256-' + createHash('sha256').update(packText).digest('base64')
    const served: string[] = []
    await h.context.route('**/shop-packs/**', (route) => {
      served.push(route.request().url())
      return route.fulfill({ status: 200, contentType: 'application/json', body: packText })
    })
    try {
      // Eager: the model part (which loads packs) comes at once, not only once a decision is possible.
      const good = tagPage({ consent: 'granted', 'model-loading': 'eager', 'pack-url': '/shop-packs/session.json', 'pack-integrity': integrity })
      const page = await h.newPage()
      await page.goto(h.baseUrl + good)
      await shop(page)
      await waitForSegment(page)
      await expect.poll(() => served).toEqual([h.baseUrl + '/shop-packs/session.json'])
      expect((await probes(page)).network).toEqual(['fetch ' + h.baseUrl + '/shop-packs/session.json'])
      expect((await probes(page)).errors).toEqual([])
      // Cached in IndexedDB: the next page load makes no request.
      await page.goto(h.baseUrl + good)
      await waitForSegment(page)
      expect(served).toHaveLength(1)
      expect((await probes(page)).network).toEqual([])

      // A wrong hash: the pack is not used and the failure is reported.
      const tampered = tagPage({ consent: 'granted', 'model-loading': 'eager', 'pack-url': '/shop-packs/session.json?v=2', 'pack-integrity': 'sha256-' + createHash('sha256').update('other').digest('base64') })
      await page.goto(h.baseUrl + tampered)
      await shop(page)
      await expect.poll(async () => (await probes(page)).errors.map((e) => e.code)).toContain('pack_integrity')

      // Another origin (localhost is not 127.0.0.1): refused before any request.
      const port = new URL(h.baseUrl).port
      h.requests.length = 0
      const foreign = tagPage({ consent: 'granted', 'model-loading': 'eager', 'pack-url': `http://localhost:${port}/shop-packs/session.json`, 'pack-integrity': integrity })
      await page.goto(h.baseUrl + foreign)
      await shop(page)
      await expect.poll(async () => (await probes(page)).errors.map((e) => e.code)).toContain('pack_origin')
      expect(h.requests.filter((u) => !u.startsWith(h.baseUrl))).toEqual([])
      expect((await probes(page)).network).toEqual([])
      expect((await probes(page)).escaped).toEqual([])
      await page.close()
    } finally {
      await h.context.unroute('**/shop-packs/**')
    }
  })

  for (const [name, attrs, gpc] of [
    ['consent pending (the default)', {}, false],
    ['consent denied', { consent: 'denied' }, false],
    ['Global Privacy Control on, even with data-consent="granted"', { consent: 'granted' }, true],
  ] as const) {
    it(`persists nothing with ${name}: no IndexedDB database at all`, async () => {
      const page = await h.newPage()
      if (gpc) await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true }))
      for (const path of [tagPage(attrs), tagPage({ ...attrs, 'segment-without-consent': 'true' })]) {
        await page.goto(h.baseUrl + path)
        await shop(page)
        const state = await page.evaluate(async () => {
          const { Seglet } = window as unknown as SegletWindow
          const data = await Seglet.exportData()
          return { consent: Seglet.getConsent(), storage: data.storage, types: data.events.map((e) => e.type) }
        })
        expect(state.consent).toBe(gpc ? 'denied' : (attrs as { consent?: string }).consent ?? 'pending')
        expect(state.storage).toBe('memory')
        expect(state.types).toEqual(expect.arrayContaining(['page_view', 'product_view', 'add_to_cart', 'search']))
        if (path.includes('segment-without-consent')) {
          // The shop allowed in-memory segmentation: a decision from this page's events, still nothing stored.
          await waitForSegment(page)
          expectHooksMatch(await readHooks(page))
        } else {
          // The first decision is an idle callback asked for at the start (within FIRST_DECISION_IDLE_MS, 50 ms):
          // it has run, and what it started had 300 ms of the page's clock.
          await pageTime(page, 300)
          expect(await page.getAttribute('html', 'data-seglet-segment')).toBeNull()
        }
        await page.evaluate(() => (window as unknown as SegletWindow).Seglet.flush())
        expect(await databaseNames(page)).toEqual([])
        expect((await probes(page)).escaped).toEqual([])
      }
      // Positive control: once the shopper grants consent, this page's events are written (unless GPC).
      await page.evaluate(() => (window as unknown as SegletWindow).Seglet.setConsent('granted'))
      await page.evaluate(() => (window as unknown as SegletWindow).Seglet.flush())
      if (gpc) {
        expect(await databaseNames(page)).toEqual([])
      } else {
        const db = await readDb(page)
        // The autocaptured page view and the four tracked events.
        expect(countTypes(db.events)).toMatchObject({ page_view: 2, product_view: 1, add_to_cart: 1, search: 1 })
        // Withdrawn again: the database is deleted.
        await page.evaluate(() => (window as unknown as SegletWindow).Seglet.setConsent('denied'))
        expect(await databaseNames(page)).toEqual([])
      }
      await page.close()
    })
  }

  it('consent denied and granted again at once on a first visit: nothing is reported, every event is kept', async () => {
    // What a consent manager does when it sets its default and then restores the shopper's choice.
    // Started by the page, and consent changed in the same task: the store's first open is still under way.
    const page = await h.newPage()
    await page.goto(h.baseUrl + tagPage({ autostart: 'false' }))
    await waitForSeglet(page)
    await page.evaluate(async () => {
      const { Seglet } = window as unknown as SegletWindow & { Seglet: { init(options: object): void } }
      Seglet.init({ consent: 'granted' })
      Seglet.track({ type: 'search', query: 'winter' })
      void Seglet.setConsent('denied')
      await Seglet.setConsent('granted')
      Seglet.track({ type: 'search', query: 'boots' })
      await Seglet.flush()
    })
    // The decision after the flush read the store (its cold-start default is applied once it has).
    await waitForSegment(page)
    await page.evaluate(() => (window as unknown as SegletWindow).Seglet.flush())
    expect((await probes(page)).errors).toEqual([])
    expect(countTypes((await readDb(page)).events)).toMatchObject({ search: 2 })
    await page.close()
  })

  it('forget() deletes the database, even with another tab of the shop open; so does the panel button', async () => {
    const a = await h.newPage()
    const b = await h.newPage()
    await a.goto(h.baseUrl + tagPage({ consent: 'granted' }))
    await b.goto(h.baseUrl + '/products/the-salt-road.html')
    await shop(a)
    await waitForSegment(a)
    await waitForSeglet(b)
    await b.evaluate(() => (window as unknown as SegletWindow).Seglet.flush())
    expect((await readDb(a)).events.length).toBeGreaterThan(4)

    await a.evaluate(() => (window as unknown as SegletWindow).Seglet.forget())
    expect(await databaseNames(a)).toEqual([])
    expect(await a.getAttribute('html', 'data-seglet-segment')).toBeNull()
    expect(await a.evaluate(() => (window as unknown as SegletWindow).Seglet.getSegment())).toBeNull()
    // The other tab let go of the database instead of blocking the deletion or writing it back.
    await b.evaluate(() => {
      const { Seglet } = window as unknown as SegletWindow
      Seglet.track({ type: 'search', query: 'after forget' })
      return Seglet.flush()
    })
    expect(await databaseNames(a)).toEqual([])
    expect((await probes(b)).escaped).toEqual([])
    await b.close()
    // Nor does the page that forgot write again: what it tracks from now on stays in its memory.
    await shop(a)
    expect(await databaseNames(a)).toEqual([])
    expect(await a.evaluate(() => (window as unknown as SegletWindow).Seglet.exportData().then((d) => d.storage))).toBe('memory')

    // The next page load stores again (consent granted); then the panel's "Forget me" button.
    await a.goto(h.baseUrl + tagPage({ consent: 'granted' }))
    await shop(a)
    expect(await databaseNames(a)).toEqual(['seglet'])
    await a.goto(h.baseUrl + tagPage({ consent: 'granted' }) + '&seglet=debug')
    await a.waitForSelector('seglet-panel')
    await clickPanelButton(a, 'Forget me')
    await a.waitForFunction(() => document.querySelector('seglet-panel')?.shadowRoot?.querySelector('.status')?.textContent?.startsWith('Done.'))
    expect(await databaseNames(a)).toEqual([])
    // Shown again after another tab: the page view's visible time from before "Forget me" is not written back.
    await a.evaluate(() => {
      for (const state of ['hidden', 'visible']) {
        Object.defineProperty(document, 'visibilityState', { value: state, configurable: true })
        document.dispatchEvent(new Event('visibilitychange'))
      }
      return (window as unknown as SegletWindow).Seglet.flush()
    })
    await pageTime(a, 300)
    expect(await databaseNames(a)).toEqual([])
    await a.close()
  })
})

// Stricter than the demo server's own policy (which allows inline styles): no inline style either, nothing
// by default, and Trusted Types required for script sinks.
const STRICT_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'; require-trusted-types-for 'script'"

describe('under a strict Content Security Policy (script-src \'self\', no unsafe-inline, no unsafe-eval)', () => {
  const h = useHarness({
    csp: true,
    reset: false,
    setup: (harness) =>
      harness.context.route('**/*', async (route) => {
        if (route.request().resourceType() !== 'document') return route.continue()
        const response = await route.fetch()
        return route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': STRICT_CSP } })
      }),
  })

  const consoleErrors = (page: Page) => {
    const errors: string[] = []
    page.on('console', (msg: ConsoleMessage) => {
      if (msg.type() !== 'error' && msg.type() !== 'warning') return
      // The demo shop has no favicon; that 404 is the browser's, not Seglet's.
      if (msg.location().url.endsWith('/favicon.ico')) return
      errors.push(`${msg.type()}: ${msg.text()}`)
    })
    return errors
  }

  it('the storefront journey runs with no violation, the segment decided and the panel shown', async () => {
    const page = await h.newPage()
    const errors = consoleErrors(page)
    const response = await page.goto(h.baseUrl + '/')
    expect(response?.headers()['content-security-policy']).toBe(STRICT_CSP)
    await storefrontJourney(page, h.baseUrl)
    await waitForSegment(page)
    expectHooksMatch(await readHooks(page))
    const t = await probes(page)
    expect(t.csp).toEqual([])
    expect(t.escaped).toEqual([])
    expect(t.errors).toEqual([])
    const panel = await page.evaluate(() => document.querySelector('seglet-panel')?.shadowRoot?.querySelector('[role="dialog"]')?.textContent ?? '')
    expect(panel).toContain('Chance you buy in this visit')
    expect(errors).toEqual([])
    expect(page.uncaughtErrors).toEqual([])
    await page.close()
  })

  it('the npm example runs with no violation and decides a segment', async () => {
    const page = await h.newPage()
    const errors = consoleErrors(page)
    await page.goto(h.baseUrl + '/examples/bundler/index.html')
    await waitForSegment(page)
    await page.click('[data-demo-action="add"]')
    expectHooksMatch(await readHooks(page))
    expect((await probes(page)).csp).toEqual([])
    expect(await page.evaluate(() => (window as unknown as { segletApp: { errors: unknown[] } }).segletApp.errors)).toEqual([])
    expect(errors).toEqual([])
    await page.close()
  })
})
