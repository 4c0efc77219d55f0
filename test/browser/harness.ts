// Shared set-up for the real-browser tests: Debian's Chromium driven by playwright-core, pages served on
// 127.0.0.1 by the test itself, and every request the page makes recorded.
import type { Browser, BrowserContext, Page, Request } from 'playwright-core'
import { chromium } from 'playwright-core'
// @ts-expect-error: plain ES module without types
import { startServer } from '../../scripts/serve.mjs'

/** Path of the browser; Debian's `chromium` package by default. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Flags that let Chromium run headless on a machine without outside network access. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Recent Chromium opens the address bar's dropdown as web pages of its own (two renderers per window, busy for
  // seconds) even when headless; a headless browser never shows it. Unknown feature names are ignored.
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup',
]

/**
 * `SEGLET_TEST_CPU_THROTTLE=4`: every page the tests open runs its main thread that many times slower (CDP's
 * `Emulation.setCPUThrottlingRate`), as on a slower machine; unset or 1, the pages run at full speed.
 */
export const CPU_THROTTLE = cpuThrottle(process.env.SEGLET_TEST_CPU_THROTTLE)

function cpuThrottle(value: string | undefined): number {
  if (value === undefined || value === '') return 1
  const rate = Number(value)
  if (!Number.isFinite(rate) || rate < 1) throw new Error(`SEGLET_TEST_CPU_THROTTLE must be a number of at least 1, not ${JSON.stringify(value)}`)
  return rate
}

/**
 * Slows every page of `context` by {@link CPU_THROTTLE}: a page from `context.newPage()` before it is returned,
 * any other (a popup, a `window.open`) as soon as the context reports it. The CDP session stays attached for the
 * page's life, as the throttling lasts only as long as it does.
 */
export function throttleContext(context: BrowserContext): void {
  if (CPU_THROTTLE === 1) return
  const throttled = new WeakMap<Page, Promise<void>>()
  const throttle = (page: Page): Promise<void> => {
    let done = throttled.get(page)
    if (!done) {
      done = context
        .newCDPSession(page)
        .then((cdp) => cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_THROTTLE }))
        .then(() => undefined)
      throttled.set(page, done)
    }
    return done
  }
  // A page closed before its session opened needs no throttling.
  for (const page of context.pages()) void throttle(page).catch(() => undefined)
  context.on('page', (page) => void throttle(page).catch(() => undefined))
  const newPage = context.newPage.bind(context)
  context.newPage = async () => {
    const page = await newPage()
    await throttle(page)
    return page
  }
}

export interface Harness {
  baseUrl: string
  /** Every URL the browser requested, in order (page loads, scripts, fetches). */
  requests: string[]
  /** Every URL the server saw (a second, independent record). */
  serverRequests: string[]
  browser: Browser
  context: BrowserContext
  newPage(): Promise<Page & { uncaughtErrors: string[] }>
  close(): Promise<void>
}

/** More for the server: folders to serve (`{ '/app/': dir }`) and server-rendered pages (see scripts/serve.mjs). */
export interface ServerExtras {
  mounts?: Record<string, string>
  render?: (req: import('node:http').IncomingMessage) => string | undefined | Promise<string | undefined>
}

/**
 * Launches one Chromium (Playwright gives it a fresh temporary profile) for tests that open many fresh, isolated
 * contexts with `browser.newContext()`, as separate shoppers would be; `bfcache` keeps the back/forward cache on.
 */
export async function launchBrowser({ bfcache = false }: { bfcache?: boolean } = {}): Promise<Browser> {
  // Without a spare renderer: the one Chromium keeps warm belongs to one context, so with a fresh context per
  // shopper most are started only to be thrown away.
  const args = CHROMIUM_ARGS.map((arg) => (arg.startsWith('--disable-features=') ? `${arg},SpareRendererForSitePerProcess` : arg))
  // Playwright turns the back/forward cache off by default; `bfcache` keeps it on, as a shopper's browser has it.
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args, ignoreDefaultArgs: bfcache ? ['--disable-back-forward-cache'] : undefined })
  return throttleContexts(browser)
}

/** `browser`, whose every context's pages, `browser.newPage()`'s included (it opens a context through newContext), are throttled. */
function throttleContexts(browser: Browser): Browser {
  const newContext = browser.newContext.bind(browser)
  browser.newContext = async (options) => {
    const context = await newContext(options)
    throttleContext(context)
    return context
  }
  return browser
}

let shared: Promise<Browser> | undefined

/**
 * One Chromium for every file a worker runs (each worker runs its files one after another, `isolate: false`):
 * launching one takes about 2.6 s of CPU, a context about 0.7 s. Launched again if it went away (a test that
 * crashed it). Every context's pages are throttled, as {@link launchBrowser}'s are.
 */
function sharedBrowser(): Promise<Browser> {
  shared ??= chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS }).then(
    (browser) => {
      browser.on('disconnected', () => (shared = undefined))
      return throttleContexts(browser)
    },
    (error: unknown) => {
      shared = undefined
      throw error
    },
  )
  return shared
}

/**
 * The run's one Chromium (see {@link sharedBrowser}) for a file that opens contexts of its own; `release()` closes
 * the contexts opened since, and leaves the browser to the next file.
 *
 * @example
 * const { browser, release } = await borrowBrowser()
 * try { const context = await browser.newContext() } finally { await release() }
 */
export async function borrowBrowser(): Promise<{ browser: Browser; release(): Promise<void> }> {
  const browser = await sharedBrowser()
  const before = new Set(browser.contexts())
  return {
    browser,
    async release() {
      for (const context of browser.contexts()) if (!before.has(context)) await context.close()
    },
  }
}

/**
 * Starts a server and a fresh browser context (storage, cookies and cache of its own, as a new profile has), so no
 * state leaks between files.
 */
export async function createHarness({ csp = false, server: extras = {} }: { csp?: boolean; server?: ServerExtras } = {}): Promise<Harness> {
  const serverRequests: string[] = []
  const server = await startServer({ csp, ...extras, onRequest: (req: { url?: string }) => serverRequests.push(req.url ?? '') })
  const browser = await sharedBrowser()
  const context = await browser.newContext()
  const requests: string[] = []
  context.on('request', (request: Request) => requests.push(request.url()))
  return {
    baseUrl: server.url,
    requests,
    serverRequests,
    browser,
    context,
    async newPage() {
      const page = (await context.newPage()) as Page & { uncaughtErrors: string[] }
      page.uncaughtErrors = []
      page.on('pageerror', (error) => page.uncaughtErrors.push(String(error)))
      return page
    },
    async close() {
      await context.close()
      await server.close()
    },
  }
}
