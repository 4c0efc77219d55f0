// Page-side probes and readers shared by the real-browser tests. Everything here reads the browser's own
// state (IndexedDB, the DOM, the panel's shadow root) rather than trusting Seglet's account of it.
import type { BrowserContext, CDPSession, Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, expect } from 'vitest'
import { createHarness, launchBrowser, type Harness, type ServerExtras } from './harness'

/** What the probe installed by {@link installProbes} collected in the page. */
export interface Probes {
  /** Exceptions and rejections that reached the page (`error` / `unhandledrejection` on window). */
  escaped: string[]
  /** `securitypolicyviolation` events. */
  csp: string[]
  /** `detail` of every `seglet:segment` event, in order. */
  segments: SegmentLike[]
  /** Errors Seglet reported through `onError` (script tag: through the queue). */
  errors: { code: string; name: string; message: string }[]
  /** Calls to network APIs (fetch, XHR, sendBeacon, WebSocket, EventSource) made by anyone in the page. */
  network: string[]
  /** performance.now() when the first `seglet:segment` event fired. */
  firstSegmentAt?: number
  /** Reads of localStorage, sessionStorage or document.cookie whose stack has a Seglet file in it. */
  storageAccess?: string[]
}

export interface SegmentLike {
  id: string
  name: string
  path: string[]
  pathNames: string[]
  confidence: number
  intent: number
  intentThreshold: number
  coldStart: boolean
  decidedAt: number
  reasons: { text: string }[]
  valueSegment?: { id: string; path: string[] }
  repeatProbability?: number
}

/**
 * Installed with `addInitScript` before any page script: records escaped exceptions, CSP violations,
 * `seglet:segment` events, errors reported through `onError` and every use of a network API.
 */
export function probeScript(): void {
  const w = window as unknown as Record<string, unknown> & { seglet?: unknown[] }
  const t: Probes = { escaped: [], csp: [], segments: [], errors: [], network: [] }
  w.__t = t
  addEventListener('error', (e) => t.escaped.push('error: ' + String(e.message)))
  addEventListener('unhandledrejection', (e) => t.escaped.push('unhandledrejection: ' + String(e.reason)))
  document.addEventListener('securitypolicyviolation', (e) => t.csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`))
  addEventListener('seglet:segment', (e) => {
    if (t.firstSegmentAt === undefined) t.firstSegmentAt = performance.now()
    t.segments.push(JSON.parse(JSON.stringify((e as CustomEvent).detail)))
  })
  w.seglet = w.seglet || []
  w.seglet.push(['onError', (e: { code: string; name: string; message: string }) => t.errors.push({ code: e.code, name: e.name, message: e.message })])
  const note = (what: string) => (t.network as string[]).push(what)
  const origFetch = window.fetch
  window.fetch = function (this: unknown, ...args: Parameters<typeof fetch>) {
    note('fetch ' + String(args[0]))
    return origFetch.apply(this, args)
  } as typeof fetch
  const origOpen = XMLHttpRequest.prototype.open
  XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, ...args: unknown[]) {
    note('xhr ' + String(args[1]))
    return (origOpen as (...a: unknown[]) => void).apply(this, args)
  } as typeof XMLHttpRequest.prototype.open
  const origBeacon = navigator.sendBeacon?.bind(navigator)
  if (origBeacon) navigator.sendBeacon = (url: string | URL, data?: BodyInit | null) => (note('beacon ' + String(url)), origBeacon(url, data))
  for (const name of ['WebSocket', 'EventSource'] as const) {
    const Orig = window[name] as unknown as new (...a: unknown[]) => object
    ;(window as unknown as Record<string, unknown>)[name] = function (...args: unknown[]) {
      note(name + ' ' + String(args[0]))
      return new Orig(...args)
    }
  }
  // Every read of localStorage, sessionStorage or document.cookie made from a Seglet file (by its stack).
  t.storageAccess = []
  const fromSeglet = () => /\/dist\/seglet[^/]*\.js/.test(new Error().stack ?? '')
  const watch = (target: object, name: string) => {
    const own = Object.getOwnPropertyDescriptor(target, name)
    if (!own?.get || !own.configurable) return
    Object.defineProperty(target, name, {
      ...own,
      get(this: unknown) {
        if (fromSeglet()) t.storageAccess!.push(name)
        return own.get!.call(this)
      },
    })
  }
  watch(window, 'localStorage')
  watch(window, 'sessionStorage')
  watch(Document.prototype, 'cookie')
}

/** Adds {@link probeScript} to every page of the harness's context. */
export async function installProbes(h: Harness): Promise<void> {
  await h.context.addInitScript(probeScript)
}

export const probes = (page: Page): Promise<Probes> => page.evaluate(() => (window as unknown as { __t: Probes }).__t)

/** Waits for `<html data-seglet-segment>`, i.e. the first decision applied to the page. */
export async function waitForSegment(page: Page, timeout = 15_000): Promise<string> {
  await page.waitForFunction(() => document.documentElement.hasAttribute('data-seglet-segment'), undefined, { timeout })
  return (await page.getAttribute('html', 'data-seglet-segment')) as string
}

/** Waits until `n` `seglet:segment` events have fired in the page. */
export async function waitForSegmentEvents(page: Page, n: number, timeout = 15_000): Promise<void> {
  await page.waitForFunction((count) => ((window as unknown as { __t: Probes }).__t?.segments.length ?? 0) >= count, n, { timeout })
}

export interface DbContents {
  exists: boolean
  version?: number
  stores?: string[]
  indexes?: string[]
  events: Array<Record<string, unknown> & { id: string; ts: number; type: string }>
  meta: Record<string, unknown>
}

/**
 * Reads a database with the raw IndexedDB API, without ever creating it: a missing database stays
 * missing (an open that would create it is aborted in `onupgradeneeded`).
 */
export function readDb(page: Page, name = 'seglet'): Promise<DbContents> {
  return page.evaluate(async (dbName) => {
    const names = (await indexedDB.databases()).map((d) => d.name)
    if (!names.includes(dbName)) return { exists: false, events: [], meta: {} }
    const db = await new Promise<IDBDatabase | null>((resolve, reject) => {
      const req = indexedDB.open(dbName)
      req.onupgradeneeded = () => req.transaction?.abort()
      req.onsuccess = () => resolve(req.result)
      req.onerror = () => resolve(null)
      req.onblocked = () => reject(new Error('blocked'))
    })
    if (!db) return { exists: false, events: [], meta: {} }
    const stores = Array.from(db.objectStoreNames)
    const all = <T>(store: string, keys = false) =>
      new Promise<T[]>((resolve, reject) => {
        const os = db.transaction(store, 'readonly').objectStore(store)
        const req = keys ? os.getAllKeys() : os.getAll()
        req.onsuccess = () => resolve(req.result as T[])
        req.onerror = () => reject(req.error)
      })
    // Keys are random ids: put the events in time order, as Seglet reads them.
    const events = stores.includes('events') ? (await all<DbContents['events'][number]>('events')).sort((a, b) => a.ts - b.ts) : []
    const indexes = stores.includes('events') ? Array.from(db.transaction('events').objectStore('events').indexNames) : []
    const meta: Record<string, unknown> = {}
    if (stores.includes('meta')) {
      const [keys, values] = await Promise.all([all<string>('meta', true), all<unknown>('meta')])
      // Cached packs are large; the tests only need to know they are there.
      keys.forEach((k, i) => (meta[k] = String(k).startsWith('pack') ? '[pack]' : values[i]))
    }
    const version = db.version
    db.close()
    return { exists: true, version, stores, indexes, events, meta }
  }, name)
}

/** Names of the databases of the page's origin. */
export const databaseNames = (page: Page): Promise<string[]> =>
  page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name as string))

/**
 * A blank page kept open in each context for the length of its harness: its DevTools session clears the origin's
 * storage for {@link resetOrigin}, which would otherwise open, load and close a page of its own before every test.
 */
const controls = new WeakMap<BrowserContext, Promise<{ page: Page; cdp: CDPSession }>>()

async function controlPage(context: BrowserContext): Promise<{ page: Page; cdp: CDPSession }> {
  let control = controls.get(context)
  // Made on first use, and again if a test closed it.
  if (!control || (await control).page.isClosed()) {
    control = context.newPage().then(async (page) => ({ page, cdp: await context.newCDPSession(page) }))
    controls.set(context, control)
  }
  return control
}

/**
 * Makes the next page of the origin a new visitor's: closes every page of the context, then deletes the origin's
 * IndexedDB databases and local storage (DevTools' `Storage.clearDataForOrigin`) and the context's cookies.
 */
export async function resetOrigin(h: Harness): Promise<void> {
  const control = await controlPage(h.context)
  for (const p of h.context.pages()) if (p !== control.page) await p.close()
  await control.cdp.send('Storage.clearDataForOrigin', { origin: new URL(h.baseUrl).origin, storageTypes: 'indexeddb,local_storage' })
  await h.context.clearCookies()
}

export interface HookState {
  segment: SegmentLike | null
  attr: string | null
  classes: string[]
  blocks: { show: string | null; hide: string | null; above: string | null; below: string | null; hidden: boolean }[]
}

/**
 * The segment and what the page shows for it: `<html>` markers and every declarative block. A decision
 * reaches `<html>` and `seglet:segment` before the blocks when their code (seglet-blocks.min.js) is still
 * loading: while a segment is decided, this waits (up to `settleMs`) for the blocks and the anti-flicker
 * reveal to follow it, and returns what the page shows then.
 */
export async function readHooks(page: Page, settleMs = 5_000): Promise<HookState> {
  const until = Date.now() + settleMs
  for (;;) {
    const state = await readHooksNow(page)
    if (!state.segment || hooksMismatch(state) === undefined || Date.now() > until) return state
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

function readHooksNow(page: Page): Promise<HookState> {
  return page.evaluate(() => {
    const w = window as unknown as { Seglet?: { getSegment(): unknown }; segletApp?: { seglet: { getSegment(): unknown } } }
    const api = w.Seglet ?? w.segletApp?.seglet
    const segment = api ? (JSON.parse(JSON.stringify(api.getSegment())) as SegmentLike | null) : null
    const root = document.documentElement
    const blocks = Array.from(document.querySelectorAll('[data-seglet-show],[data-seglet-hide],[data-seglet-intent-above],[data-seglet-intent-below]')).map((el) => ({
      show: el.getAttribute('data-seglet-show'),
      hide: el.getAttribute('data-seglet-hide'),
      above: el.getAttribute('data-seglet-intent-above'),
      below: el.getAttribute('data-seglet-intent-below'),
      hidden: el.hasAttribute('hidden'),
    }))
    return { segment, attr: root.getAttribute('data-seglet-segment'), classes: Array.from(root.classList), blocks }
  })
}

const token = (id: string) => id.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '')

/**
 * Checks the DOM hooks against the segment: the `<html>` attribute, a `seglet-<id>` class per node of
 * the path, the high-intent class, and each block shown or hidden by its rules.
 */
export function expectHooksMatch(state: HookState): void {
  const { segment } = state
  expect(segment, 'a segment was decided').toBeTruthy()
  if (!segment) return
  expect(state.attr).toBe(segment.id)
  expect(segment.path.at(-1)).toBe(segment.id)
  for (const id of segment.path) expect(state.classes).toContain('seglet-' + token(id))
  expect(state.classes.includes('seglet-intent-high')).toBe(segment.intent >= segment.intentThreshold)
  expect(state.classes).not.toContain('seglet-pending')
  for (const block of state.blocks) {
    expect(block.hidden, `block ${JSON.stringify(block)} for ${segment.id} (intent ${segment.intent})`).toBe(shouldHide(block, segment))
  }
}

/** Whether the rules of `block` hide it for `segment`. */
function shouldHide(block: HookState['blocks'][number], segment: SegmentLike): boolean {
  const tokens = new Set([...segment.path, ...(segment.valueSegment?.path ?? [])].map(token))
  const list = (v: string) => v.split(/[\s,]+/).filter(Boolean).map(token)
  let hide = false
  if (block.show !== null && list(block.show).length > 0 && !list(block.show).some((t) => tokens.has(t))) hide = true
  if (block.hide !== null && list(block.hide).some((t) => tokens.has(t))) hide = true
  if (block.above !== null && !(segment.intent > Number(block.above))) hide = true
  if (block.below !== null && !(segment.intent < Number(block.below))) hide = true
  return hide
}

/** What of {@link expectHooksMatch} does not hold yet (`undefined`: everything does). */
function hooksMismatch(state: HookState): string | undefined {
  const { segment } = state
  if (!segment) return 'no segment'
  if (state.attr !== segment.id) return 'attribute'
  if (state.classes.includes('seglet-pending')) return 'pending'
  if (state.blocks.some((block) => block.hidden !== shouldHide(block, segment))) return 'blocks'
  return undefined
}

export interface PanelState {
  open: boolean
  role?: string | null
  name?: string
  text?: string
  buttons?: string[]
  events?: number
}

/** What the transparency panel shows, read from its open shadow root. */
export function readPanel(page: Page): Promise<PanelState> {
  return page.evaluate(() => {
    const host = document.querySelector('seglet-panel')
    const root = host?.shadowRoot
    if (!root) return { open: false }
    const dialog = root.querySelector('[role="dialog"]')
    const dts = Array.from(root.querySelectorAll('.stored dt'))
    const eventsRow = dts.find((dt) => dt.textContent === 'Events')
    return {
      open: true,
      role: dialog?.getAttribute('role'),
      name: root.querySelector('.segment .name')?.textContent ?? undefined,
      text: dialog?.textContent ?? '',
      buttons: Array.from(root.querySelectorAll('button')).map((b) => b.textContent ?? ''),
      events: eventsRow ? Number(eventsRow.nextElementSibling?.textContent) : undefined,
    }
  })
}

/** Clicks a button inside the panel's shadow root by its text. */
export async function clickPanelButton(page: Page, text: string): Promise<void> {
  await page.locator('seglet-panel').getByRole('button', { name: text }).click()
}

/** Counts events by type. */
export function countTypes(events: { type: string }[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const e of events) counts[e.type] = (counts[e.type] ?? 0) + 1
  return counts
}

/** Waits until the page's script-tag Seglet is running (its queue replaced by the live one). */
export async function waitForSeglet(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const w = window as unknown as { Seglet?: unknown; seglet?: unknown }
    return typeof w.Seglet === 'object' && !Array.isArray(w.seglet)
  })
}

/**
 * The set-up every browser test file (or describe block) shares: a harness with the probes installed before
 * its tests and closed after them, and, unless `reset` is false, an empty origin and empty request records
 * before each test. Returns the harness; its fields are filled in once the tests start.
 *
 * @example
 * const h = useHarness()
 * it('…', async () => { const page = await h.newPage() })
 */
export function useHarness(
  options: { csp?: boolean; reset?: boolean; server?: ServerExtras | (() => ServerExtras); setup?: (h: Harness) => Promise<unknown> } = {},
): Harness {
  const h = {} as Harness
  beforeAll(async () => {
    const server = typeof options.server === 'function' ? options.server() : options.server
    Object.assign(h, await createHarness({ csp: options.csp, server }))
    await installProbes(h)
    await options.setup?.(h)
  })
  afterAll(async () => {
    await h.close?.()
  })
  if (options.reset ?? true) {
    beforeEach(async () => {
      await resetOrigin(h)
      h.requests.length = 0
      h.serverRequests.length = 0
    })
  }
  return h
}

/**
 * Waits until this page's page view is in IndexedDB: its store's connection is open, so an event tracked just
 * before the page is left is written as it goes. A page left before its database finished opening loses
 * what it had not written (README, "Privacy"); a shopper takes longer than a test's next click, but a busy
 * machine can make the open slower than that click.
 */
export async function waitForPageViewStored(page: Page): Promise<void> {
  const { origin, pathname } = new URL(page.url())
  // Stored as the page's path with its query, if any (a test page's query says how it is set up).
  const stored = (url: unknown) => new URL(String(url), origin).pathname === pathname
  await expect.poll(async () => (await readDb(page)).events.some((e) => e.type === 'page_view' && stored(e.url)), { timeout: 10_000, interval: 100 }).toBe(true)
}

/** From a demo-shop product page: add to cart, go to the cart, check out, buy, and wait for the thank-you. */
export async function buyFromProductPage(page: Page): Promise<void> {
  await waitForPageViewStored(page)
  await page.click('[data-demo-action="add"]')
  await page.click('a[href="/cart.html"]')
  await page.waitForURL('**/cart.html')
  await waitForPageViewStored(page)
  await page.click('[data-demo-action="checkout"]')
  await page.waitForURL('**/checkout.html')
  await page.click('[data-demo-action="buy"]')
  await page.waitForSelector('#thanks', { state: 'visible' })
}

/**
 * Runs `test` with a page of a browser of its own that keeps the back/forward cache on (Playwright turns it off by
 * default), with {@link probeScript}; `restored()` resolves once the page is shown again from that cache. The
 * browser is closed after, also when the test fails.
 */
export async function withBfcachePage(test: (page: Page, restored: () => Promise<unknown>) => Promise<void>): Promise<void> {
  const browser = await launchBrowser({ bfcache: true })
  try {
    const context = await browser.newContext()
    await context.addInitScript(probeScript)
    await context.addInitScript(() => addEventListener('pageshow', (event) => event.persisted && ((window as unknown as { __restored: boolean }).__restored = true)))
    const page = await context.newPage()
    await test(page, () => page.waitForFunction(() => (window as unknown as { __restored?: boolean }).__restored === true))
  } finally {
    await browser.close()
  }
}

/**
 * Lets `ms` of the page's own time pass, then waits until the page is idle: every timer the page set before the
 * call and due within `ms` has fired, and every idle callback it asked for before then has run. Timed in the page
 * rather than here, so a busy machine that holds back the page's timers holds this one back alike: a test that
 * shows something does not happen cannot pass only because the page had not come to do it yet. A page whose
 * `requestIdleCallback` throws (a broken polyfill) is waited for on its timers only.
 */
export const pageTime = (page: Page, ms: number): Promise<void> =>
  page.evaluate(
    (ms) =>
      new Promise<void>((done) =>
        setTimeout(() => {
          try {
            requestIdleCallback(() => done(), { timeout: 10_000 })
          } catch {
            done()
          }
        }, ms),
      ),
    ms,
  )

/**
 * Installed with `addInitScript`: counts in `window.__reportRuns` the private-report runs that ended. Each run
 * that finds reports allowed asks for the report lock (Web Locks), also when another tab holds it, and sends
 * while holding it: once its request settles, the run has sent its report or decided not to.
 */
export function countReportRuns(): void {
  const w = window as unknown as { __reportRuns: number }
  w.__reportRuns = 0
  if (typeof LockManager === 'undefined') return
  const request = LockManager.prototype.request as (...args: unknown[]) => Promise<unknown>
  LockManager.prototype.request = function (this: LockManager, ...args: unknown[]) {
    const settled = request.apply(this, args)
    if (args[0] === 'seglet-report') settled.then(() => w.__reportRuns++, () => w.__reportRuns++)
    return settled
  } as LockManager['request']
}

/** Waits until `n` private-report runs of this page have ended (see {@link countReportRuns}). */
export async function waitForReportRuns(page: Page, n = 1): Promise<void> {
  await page.waitForFunction((n) => (window as unknown as { __reportRuns?: number }).__reportRuns! >= n, n, { timeout: 20_000 })
}

/** Three product pages of 25 s each (page view, product view, engagement), tracked through the API and flushed. */
export const browseThreeProducts = (page: Page): Promise<void> =>
  page.evaluate(() => {
    const { Seglet } = window as unknown as { Seglet: { track(e: unknown): void; flush(): Promise<void> } }
    for (let i = 0; i < 3; i++) {
      const url = `/products/p${i}`
      Seglet.track({ type: 'page_view', url, pageType: 'product' })
      Seglet.track({ type: 'product_view', productId: `p${i}`, price: 35, category: 'mugs', currency: 'EUR' })
      Seglet.track({ type: 'engagement', url, pageType: 'product', visibleMs: 25_000, scrollDepth: 0.6 })
    }
    return Seglet.flush()
  })
