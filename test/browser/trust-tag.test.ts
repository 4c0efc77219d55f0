// The script tag against injected HTML: elements that shadow `document.currentScript` or `document.scripts`
// by name or id (DOM clobbering) must not configure Seglet, change its consent, or make it load code from
// another origin. Every case runs with the tag `async` and at the end of <body>, with and without a strict
// Content Security Policy.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { databaseNames, pageTime, probes, readDb, useHarness, waitForSegment } from './helpers'

const STRICT_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; object-src 'none'; frame-src 'self'"

/** Another origin (another port of 127.0.0.1) that serves a module which marks the page when it runs. */
let evil: { origin: string; requests: string[]; server: Server }
beforeAll(async () => {
  const requests: string[] = []
  const server = createServer((req, res) => {
    requests.push(req.url ?? '')
    if ((req.url ?? '').endsWith('.js')) {
      res.writeHead(200, { 'content-type': 'text/javascript', 'access-control-allow-origin': '*' })
      res.end('window.__pwned = true; export function createLazyParts() { window.__pwned = true; return { createDecider() { throw new Error("pwned") } } }')
      return
    }
    res.writeHead(200, { 'content-type': 'image/gif' }).end()
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  evil = { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server }
})
afterAll(() => new Promise<void>((ok) => evil.server.close(() => ok())))

const h = useHarness()

/** Hostile settings an injected element carries. */
const HOSTILE = 'data-consent="granted" data-respect-gpc="false" data-segment-without-consent="true" data-db-name="evil"'

/** Injected markup: each shadows `document.currentScript` (or `document.scripts`) in its own way. */
const INJECTIONS: Record<string, (evilSrc: string) => string> = {
  'img name=currentScript': (src) => `<img name="currentScript" src="${src}" ${HOSTILE}>`,
  'img id+name=currentScript': (src) => `<img id="currentScript" name="currentScript" src="${src}" ${HOSTILE}>`,
  'form name=currentScript': (src) => `<form name="currentScript" action="${src}" ${HOSTILE}><input name="src" value="${src}"></form>`,
  'embed name=currentScript': (src) => `<embed name="currentScript" type="image/gif" src="${src}" ${HOSTILE}>`,
  'object name=currentScript': (src) => `<object name="currentScript" type="image/gif" data="${src}" ${HOSTILE}></object>`,
  'object id=currentScript': (src) => `<object id="currentScript" type="image/gif" data="${src}" ${HOSTILE}></object>`,
  'iframe name=currentScript': () => `<iframe name="currentScript" src="/test/browser/pages/blank.html" ${HOSTILE}></iframe>`,
  'img name=scripts': (src) => `<img name="scripts" src="${src}" ${HOSTILE}>`,
  'form name=scripts': (src) => `<form name="scripts" ${HOSTILE}><input name="src" value="${src}"></form>`,
  'img name=querySelector': (src) => `<img name="querySelector" src="${src}" ${HOSTILE}>`,
}

interface Variant {
  async: boolean
  csp: boolean
}
const VARIANTS: Variant[] = [
  { async: true, csp: false },
  { async: false, csp: false },
  { async: true, csp: true },
  { async: false, csp: true },
]
const describeVariant = (v: Variant) => `${v.async ? 'async tag' : 'tag at the end of <body>'}, ${v.csp ? 'strict CSP' : 'no CSP'}`

let pageCount = 0
/** Opens a page of the test origin with `injected` markup before the real tag at the end of <body>. */
async function openPage(injected: string, tagAttributes: string, v: Variant, gpc = false, init?: () => void): Promise<Page & { uncaughtErrors: string[] }> {
  const page = await h.newPage()
  if (gpc) await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true }))
  if (init) await page.addInitScript(init)
  const url = `${h.baseUrl}/trust/page-${++pageCount}.html`
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>trust</title></head><body><h1>Shop</h1>${injected}` +
    `<script src="/dist/seglet.min.js" ${tagAttributes}${v.async ? ' async' : ''}></script></body></html>`
  await page.route(url, (route) =>
    route.fulfill({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8', ...(v.csp ? { 'content-security-policy': STRICT_CSP } : {}) }, body: html }),
  )
  await page.goto(url)
  // Seglet replaces the `window.seglet` queue once it runs; on failure the assertions below say what broke.
  await page.waitForFunction(() => !Array.isArray((window as unknown as { seglet?: unknown }).seglet), undefined, { timeout: 5_000 }).catch(() => undefined)
  return page
}

const state = (page: Page) =>
  page.evaluate(async () => {
    const w = window as unknown as { Seglet?: { getConsent(): string; track(e: unknown): void; flush(): Promise<void> }; __pwned?: boolean }
    let consent: string
    try {
      consent = w.Seglet!.getConsent()
      w.Seglet!.track({ type: 'search', query: 'boots' })
      await w.Seglet!.flush()
    } catch (error) {
      consent = 'error: ' + String(error)
    }
    await new Promise((r) => setTimeout(r, 100))
    return { consent, pwned: w.__pwned === true, dbs: (await indexedDB.databases()).map((d) => d.name) }
  })

/** Requests for Seglet's model runtime that went to the other origin (the injected elements' own loads aside). */
const foreignModuleRequests = () => [
  ...h.requests.filter((url) => url.startsWith(evil.origin) && url.includes('seglet-model')),
  ...evil.requests.filter((url) => url.includes('seglet-model')).map((url) => evil.origin + url),
]

describe('injected elements that shadow document.currentScript or document.scripts', () => {
  for (const [name, inject] of Object.entries(INJECTIONS)) {
    it(`${name}: consent stays as the real tag says, nothing stored, no foreign module`, async () => {
      for (const v of VARIANTS) {
        evil.requests.length = 0
        h.requests.length = 0
        const page = await openPage(inject(`${evil.origin}/x/seglet.min.js`), 'data-consent="denied"', v)
        const s = await state(page)
        const t = await probes(page)
        expect(s.consent, describeVariant(v)).toBe('denied')
        expect(s.dbs, describeVariant(v)).toEqual([])
        expect(s.pwned, describeVariant(v)).toBe(false)
        expect(foreignModuleRequests(), describeVariant(v)).toEqual([])
        expect(t.escaped, describeVariant(v)).toEqual([])
        expect(page.uncaughtErrors, describeVariant(v)).toEqual([])
        await page.close()
      }
    })
  }

  it('an injected data-respect-gpc="false" does not override Global Privacy Control', async () => {
    for (const v of VARIANTS) {
      const page = await openPage(INJECTIONS['img name=currentScript'](`${evil.origin}/x/seglet.min.js`), 'data-consent="granted"', v, true)
      const s = await state(page)
      expect(s.consent, describeVariant(v)).toBe('denied')
      expect(s.dbs, describeVariant(v)).toEqual([])
      await page.close()
    }
  })

  it('the model runtime comes from beside the real tag, never from a shadowing element', async () => {
    for (const v of VARIANTS) {
      evil.requests.length = 0
      h.requests.length = 0
      const page = await openPage(
        `<img name="currentScript" src="${evil.origin}/x/seglet.min.js">`,
        // Eager: the model part loads at once, not only once a decision is possible.
        'data-consent="granted" data-model-loading="eager"',
        v,
      )
      await waitForSegment(page)
      await expect.poll(() => h.requests.filter((url) => url.includes('seglet-model')), { message: describeVariant(v) }).toEqual([h.baseUrl + '/dist/seglet-model.min.js'])
      expect(foreignModuleRequests(), describeVariant(v)).toEqual([])
      expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned === true)).toBe(false)
      expect((await probes(page)).escaped).toEqual([])
      await page.close()
    }
  })
})

describe('injected elements that shadow the queue `window.seglet`', () => {
  // Content the page shows from its shoppers keeps `id` and `name` attributes (a sanitizer's defaults do): such an
  // element makes `window.seglet` an element, and `window.seglet.seglet` one of its own (a form's control, a
  // collection's named item). The tag must not take that for the queue of a copy already running, and stay off.
  const CLOBBERS = {
    'form id=seglet with input name=seglet': '<form id="seglet"><input name="seglet"></form>',
    'two a id=seglet, one name=seglet': '<a id="seglet"></a><a id="seglet" name="seglet"></a>',
  }
  for (const [name, markup] of Object.entries(CLOBBERS)) {
    it(`${name}: Seglet starts, captures the page view and takes the queue`, async () => {
      for (const v of VARIANTS) {
        // A page with no queue of its own before the tag (the probes' queue would be a property of its own, which
        // named elements do not shadow).
        const page = await openPage(markup, 'data-consent="granted"', v, false, () => delete (window as { seglet?: unknown }).seglet)
        await expect.poll(async () => (await readDb(page)).events.map((e) => e.type), { message: describeVariant(v), timeout: 10_000 }).toContain('page_view')
        expect(await page.evaluate(() => typeof (window as unknown as { Seglet?: { track?: unknown } }).Seglet?.track), describeVariant(v)).toBe('function')
        expect(await page.evaluate(() => (window as unknown as { seglet: { seglet?: unknown } }).seglet.seglet), describeVariant(v)).toBe(1)
        expect(page.uncaughtErrors).toEqual([])
        await page.close()
      }
    })
  }
})

describe('the global `Seglet`', () => {
  // The same content can name an element `Seglet`: the window's named access then gives that element (or a
  // collection, or a frame's window) as `window.Seglet`, which is no property the page set, and the shop's
  // `Seglet.setConsent()` of its consent manager must still reach Seglet.
  const NAMED = {
    'img name=Seglet': '<img name="Seglet" alt="">',
    'two a id=Seglet': '<a id="Seglet"></a><a id="Seglet"></a>',
    'iframe name=Seglet': '<iframe name="Seglet" src="about:blank"></iframe>',
  }
  for (const [name, markup] of Object.entries(NAMED)) {
    it(`${name} in the page's content: window.Seglet is Seglet's, and the shop's consent call reaches it`, async () => {
      for (const v of VARIANTS) {
        const page = await openPage(markup, 'data-consent="granted"', v)
        await expect.poll(async () => (await readDb(page)).events.map((e) => e.type), { message: describeVariant(v), timeout: 10_000 }).toContain('page_view')
        const consent = await page.evaluate(async () => {
          const { Seglet } = window as unknown as { Seglet: { setConsent(c: string): Promise<void>; getConsent(): string } }
          await Seglet.setConsent('denied')
          return Seglet.getConsent()
        })
        expect(consent, describeVariant(v)).toBe('denied')
        await expect.poll(async () => (await readDb(page)).events.length, { message: describeVariant(v), timeout: 10_000 }).toBe(0)
        expect(page.uncaughtErrors).toEqual([])
        await page.close()
      }
    })
  }

  it('a pre-defined non-writable window.Seglet is reported, and the command queue still works', async () => {
    const page = await h.newPage()
    await page.addInitScript(() => Object.defineProperty(window, 'Seglet', { value: 'taken', writable: false, configurable: false }))
    await page.goto(h.baseUrl + '/test/browser/pages/tag.html?attrs=' + encodeURIComponent(JSON.stringify({ consent: 'granted' })))
    await page.waitForFunction(() => !Array.isArray((window as unknown as { seglet?: unknown }).seglet))
    const t = await probes(page)
    expect(t.errors.map((e) => e.code)).toContain('global_taken')
    expect(t.escaped).toEqual([])
    await page.evaluate(() => (window as unknown as { seglet: unknown[] }).seglet.push(['track', { type: 'search', query: 'queued' }], ['flush']))
    await page.waitForFunction(() => indexedDB.databases().then((d) => d.length > 0))
    expect(await databaseNames(page)).toEqual(['seglet'])
    await page.close()
  })

  it("a page's own window.Seglet, writable, is left as it was and reported, and the command queue still works", async () => {
    const page = await h.newPage()
    // A page script of its own under that name, which it calls once loaded.
    await page.addInitScript(() => {
      const w = window as unknown as { Seglet: unknown; greeted?: string }
      w.Seglet = { greet: () => (w.greeted = 'hello') }
      addEventListener('load', () => (w.Seglet as { greet(): void }).greet())
    })
    await page.goto(h.baseUrl + '/test/browser/pages/tag.html?attrs=' + encodeURIComponent(JSON.stringify({ consent: 'granted' })))
    await page.waitForFunction(() => !Array.isArray((window as unknown as { seglet?: unknown }).seglet))
    await page.waitForFunction(() => (window as unknown as { greeted?: string }).greeted === 'hello')
    const t = await probes(page)
    expect(t.errors.map((e) => e.code)).toContain('global_taken')
    expect(t.escaped).toEqual([])
    expect(page.uncaughtErrors).toEqual([])
    await page.evaluate(() => (window as unknown as { seglet: unknown[] }).seglet.push(['track', { type: 'search', query: 'queued' }], ['flush']))
    await page.waitForFunction(() => indexedDB.databases().then((d) => d.length > 0))
    expect(await databaseNames(page)).toEqual(['seglet'])
    await page.close()
  })

  it('a second copy of the tag (a theme and an app) leaves the first running alone: every event is stored once', async () => {
    const page = await h.newPage()
    await page.goto(h.baseUrl + '/test/browser/pages/tag.html?attrs=' + encodeURIComponent(JSON.stringify({ consent: 'granted' })))
    await page.waitForFunction(() => !Array.isArray((window as unknown as { seglet?: unknown }).seglet))
    const same = await page.evaluate(async () => {
      const w = window as unknown as { Seglet: { flush(): Promise<void>; track(e: unknown): void }; seglet: unknown }
      const [api, queue] = [w.Seglet, w.seglet]
      const second = document.createElement('script')
      second.src = '/dist/seglet.min.js'
      second.setAttribute('data-consent', 'granted')
      await new Promise((loaded) => ((second.onload = loaded), document.body.append(second)))
      w.Seglet.track({ type: 'search', query: 'once' })
      await w.Seglet.flush()
      return w.Seglet === api && w.seglet === queue
    })
    expect(same).toBe(true)
    const { events } = await readDb(page)
    expect(events.filter((e) => e.type === 'page_view')).toHaveLength(1)
    expect(events.filter((e) => e.type === 'search')).toHaveLength(1)
    const t = await probes(page)
    expect(t.escaped).toEqual([])
    expect(page.uncaughtErrors).toEqual([])
    await page.close()
  })

  it('a second copy of the tag on a page that took window.Seglet also leaves the first running alone', async () => {
    const page = await h.newPage()
    await page.addInitScript(() => Object.defineProperty(window, 'Seglet', { value: 'taken', writable: false, configurable: false }))
    await page.goto(h.baseUrl + '/test/browser/pages/tag.html?attrs=' + encodeURIComponent(JSON.stringify({ consent: 'granted' })))
    await page.waitForFunction(() => !Array.isArray((window as unknown as { seglet?: unknown }).seglet))
    const same = await page.evaluate(async () => {
      const w = window as unknown as { seglet: { push(...c: unknown[]): number } }
      const queue = w.seglet
      const second = document.createElement('script')
      second.src = '/dist/seglet.min.js'
      second.setAttribute('data-consent', 'granted')
      await new Promise((loaded) => ((second.onload = loaded), document.body.append(second)))
      w.seglet.push(['track', { type: 'search', query: 'once' }], ['flush'])
      return w.seglet === queue
    })
    // The flush pushed after the second copy loaded has written the search. A second Seglet started by that copy
    // would have written its own page view by then or at its first flush, an idle callback due within
    // flushDelayMs (1 s) of its start: timed on the page's clock.
    await expect.poll(async () => (await readDb(page)).events.some((e) => e.type === 'search'), { timeout: 20_000 }).toBe(true)
    await pageTime(page, 1000)
    const { events } = await readDb(page)
    expect(events.filter((e) => e.type === 'search')).toHaveLength(1)
    expect(events.filter((e) => e.type === 'page_view')).toHaveLength(1)
    expect(same).toBe(true)
    expect(page.uncaughtErrors).toEqual([])
    await page.close()
  })

  it('a throwing window.Seglet setter is caught and reported, never thrown into the page', async () => {
    const page = await h.newPage()
    await page.addInitScript(() =>
      Object.defineProperty(window, 'Seglet', {
        get: () => undefined,
        set: () => {
          throw new Error('setter says no')
        },
        configurable: false,
      }),
    )
    await page.goto(h.baseUrl + '/test/browser/pages/tag.html?attrs=' + encodeURIComponent(JSON.stringify({ consent: 'granted' })))
    await page.waitForFunction(() => !Array.isArray((window as unknown as { seglet?: unknown }).seglet))
    const t = await probes(page)
    expect(t.escaped).toEqual([])
    expect(page.uncaughtErrors).toEqual([])
    expect(t.errors.map((e) => e.code)).toContain('global_taken')
    await page.close()
  })
})

describe('a <base href> that content on the page adds (a product review)', () => {
  // Content a shop shows from its shoppers (reviews, questions) that lets a `<base>` element through moves every
  // relative URL resolved after it. The tag's parts are imported by their name beside the file the browser fetched
  // as seglet.min.js: such a `<base>` must not make the shop's page run a module from another origin. A host name
  // of its own stands for the attacker's site: Chromium refuses a page's requests to another origin on loopback.
  const ATTACKER = 'http://attacker.example'
  it('the parts still load from beside seglet.min.js, and nothing from the base runs', async () => {
    const attacker: string[] = []
    await h.context.route(`${ATTACKER}/**`, (route) => {
      attacker.push(route.request().url())
      return route.fulfill({
        status: 200,
        headers: { 'content-type': 'text/javascript', 'access-control-allow-origin': '*' },
        body: 'window.__pwned = true; export function createBlocks() { window.__pwned = true; return { start() {}, refresh() {}, stop() {} } } export function createLazyParts() { window.__pwned = true; return { createDecider() { throw new Error("pwned") } } }',
      })
    })
    try {
      for (const loading of ['defer', 'async']) {
        attacker.length = 0
        h.requests.length = 0
        const page = await h.newPage()
        const url = `${h.baseUrl}/trust/base-${loading}.html`
        // The tag in <head>, as a theme puts it; the review, with its <base>, further down the page.
        const html = `<!doctype html><html><head><meta charset="utf-8"><title>Mug</title>` +
          `<script src="/dist/seglet.min.js" data-consent="granted" data-model-loading="eager" ${loading}></script></head>` +
          `<body><h1>Mug</h1><p data-seglet-show="engaged" hidden>Free shipping today</p>` +
          `<div class="review">Lovely mug! <base href="${ATTACKER}/reviews/"></div></body></html>`
        await page.route(url, (route) => route.fulfill({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: html }))
        await page.goto(url)
        // The page's own base is the attacker's from here on: what the tag reads of itself must not follow it.
        expect(await page.evaluate(() => document.baseURI)).toBe(`${ATTACKER}/reviews/`)
        await expect.poll(() => h.requests.filter((u) => /seglet-(blocks|model)\.min\.js$/.test(u)).sort(), { message: loading, timeout: 10_000 }).toEqual([
          h.baseUrl + '/dist/seglet-blocks.min.js',
          h.baseUrl + '/dist/seglet-model.min.js',
        ])
        expect(attacker, loading).toEqual([])
        expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned === true), loading).toBe(false)
        // The page works as without the review's <base>: its parts decide, and the block shows or stays hidden by it.
        await waitForSegment(page)
        expect(page.uncaughtErrors).toEqual([])
        await page.close()
      }
    } finally {
      await h.context.unroute(`${ATTACKER}/**`)
    }
  })
})
