// Firefox for the real-browser tests, driven over WebDriver BiDi (the protocol Firefox speaks itself): a fresh
// profile with Firefox's own network traffic off, one WebSocket session, and tabs with the few Playwright `Page`
// methods the Chromium helpers (test/browser/helpers.ts) call, so those helpers read Firefox pages unchanged.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Path of the browser; Debian's `firefox-esr` package by default. */
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr'

/** Whether the browser is installed: without it the Firefox suite is skipped. */
export const HAS_FIREFOX = existsSync(FIREFOX_PATH)

/**
 * Preferences of the fresh profile: no request of Firefox's own (updates, telemetry, Safe Browsing, remote
 * settings, captive-portal and connectivity checks, Normandy, studies, add-on and search updates, prefetching) and
 * no first-run or what's-new page. `download` saves files into the profile's downloads folder without asking.
 */
function userPrefs(downloads: string): Record<string, string | number | boolean> {
  return {
    'app.update.auto': false,
    'app.update.enabled': false,
    'app.update.checkInstallTime': false,
    'app.normandy.enabled': false,
    'app.normandy.api_url': '',
    'app.shield.optoutstudies.enabled': false,
    'messaging-system.rsexperimentloader.enabled': false,
    'browser.discovery.enabled': false,
    'datareporting.healthreport.uploadEnabled': false,
    'datareporting.policy.dataSubmissionEnabled': false,
    'datareporting.policy.firstRunURL': '',
    'toolkit.telemetry.enabled': false,
    'toolkit.telemetry.unified': false,
    'toolkit.telemetry.archive.enabled': false,
    'toolkit.telemetry.server': 'data:,',
    'toolkit.coverage.endpoint.base': '',
    'browser.ping-centre.telemetry': false,
    'browser.newtabpage.activity-stream.feeds.telemetry': false,
    'browser.newtabpage.activity-stream.telemetry': false,
    'browser.newtabpage.enabled': false,
    'browser.startup.page': 0,
    'browser.startup.homepage': 'about:blank',
    'browser.startup.homepage_override.mstone': 'ignore',
    'startup.homepage_welcome_url': 'about:blank',
    'startup.homepage_welcome_url.additional': '',
    'browser.aboutwelcome.enabled': false,
    'trailhead.firstrun.didSeeAboutWelcome': true,
    'browser.shell.checkDefaultBrowser': false,
    'browser.tabs.warnOnClose': false,
    'browser.safebrowsing.malware.enabled': false,
    'browser.safebrowsing.phishing.enabled': false,
    'browser.safebrowsing.downloads.enabled': false,
    'browser.safebrowsing.downloads.remote.enabled': false,
    'browser.safebrowsing.blockedURIs.enabled': false,
    'browser.safebrowsing.provider.mozilla.updateURL': '',
    'browser.safebrowsing.provider.google4.updateURL': '',
    'browser.safebrowsing.provider.google.updateURL': '',
    'services.settings.server': 'data:,',
    'network.captive-portal-service.enabled': false,
    'network.connectivity-service.enabled': false,
    'captivedetect.canonicalURL': '',
    'network.dns.disablePrefetch': true,
    'network.prefetch-next': false,
    'network.predictor.enabled': false,
    'network.http.speculative-parallel-limit': 0,
    'browser.search.update': false,
    'browser.search.geoip.url': '',
    'browser.region.network.url': '',
    'browser.region.update.enabled': false,
    'geo.provider.network.url': '',
    'extensions.update.enabled': false,
    'extensions.getAddons.cache.enabled': false,
    'extensions.systemAddon.update.enabled': false,
    'extensions.blocklist.enabled': false,
    'browser.contentblocking.report.lockwise.enabled': false,
    'identity.fxaccounts.enabled': false,
    'browser.topsites.contile.enabled': false,
    'browser.urlbar.suggest.quicksuggest.sponsored': false,
    'dom.push.enabled': false,
    'dom.push.connection.enabled': false,
    'media.gmp-manager.url': '',
    'media.gmp-gmpopenh264.enabled': false,
    'browser.download.folderList': 2,
    'browser.download.dir': downloads,
    'browser.download.useDownloadDir': true,
    'browser.download.always_ask_before_handling_new_types': false,
    'browser.download.alwaysOpenPanel': false,
    'browser.download.panel.shown': true,
  }
}

export interface Firefox {
  /** One BiDi command; rejects with the browser's error. */
  send(method: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>
  /** Every request the browser's pages made (BiDi `network.beforeRequestSent`), in order. */
  requests: string[]
  /** Every console message and uncaught error of the browser's pages (BiDi `log.entryAdded`), in order. */
  logs: Array<{ context: string; level: string; text: string }>
  /**
   * The profile's downloads folder, and the files whose download has finished in it. Firefox creates a download's
   * file empty as soon as it starts and writes into `<name>.part` beside it, renaming that over the empty file at
   * the end: a file with a `.part` beside it is still being written.
   */
  downloadsDir: string
  downloads(): string[]
  /** A new shopper: a tab in a container of its own (storage of its own), its pages probed by `preload` scripts. */
  newShopper(): Promise<Tab>
  close(): Promise<void>
}

/**
 * Starts a headless Firefox with a fresh profile and opens a BiDi session. `preload` functions run in every page
 * before its own scripts (Playwright's `addInitScript`); `prefs` adds or overrides profile preferences.
 */
export async function launchFirefox({ preload = [], prefs = {} }: { preload?: Array<() => void>; prefs?: Record<string, string | number | boolean> } = {}): Promise<Firefox> {
  const profile = mkdtempSync(join(tmpdir(), 'seglet-firefox-'))
  const downloadsDir = join(profile, 'downloads')
  mkdirSync(downloadsDir)
  const all = { ...userPrefs(downloadsDir), ...prefs }
  writeFileSync(join(profile, 'user.js'), Object.entries(all).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});\n`).join(''))
  const child: ChildProcess = spawn(FIREFOX_PATH, ['--headless', '--no-remote', '--remote-debugging-port=0', '--profile', profile], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1' },
  })
  const cleanUp = () => {
    if (child.exitCode === null) child.kill('SIGKILL')
    rmSync(profile, { recursive: true, force: true })
  }
  let ws: WebSocket
  try {
    const address = await new Promise<string>((resolve, reject) => {
      let out = ''
      const timer = setTimeout(() => reject(new Error(`Firefox did not start its BiDi server: ${out}`)), 30_000)
      const read = (chunk: Buffer) => {
        out += chunk
        const match = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(out)
        if (match) clearTimeout(timer), resolve(match[1]!)
      }
      child.stdout!.on('data', read)
      child.stderr!.on('data', read)
      child.on('exit', (code) => reject(new Error(`Firefox exited (${code}): ${out}`)))
    })
    ws = new WebSocket(address + '/session')
    await new Promise((open, fail) => ((ws.onopen = open), (ws.onerror = () => fail(new Error('BiDi connection failed')))))
  } catch (error) {
    cleanUp()
    throw error
  }
  let id = 0
  const pending = new Map<number, { resolve(v: Record<string, unknown>): void; reject(e: Error): void }>()
  const requests: string[] = []
  const logs: Firefox['logs'] = []
  ws.onmessage = (message) => {
    const data = JSON.parse(String(message.data))
    if (data.id !== undefined && pending.has(data.id)) {
      const p = pending.get(data.id)!
      pending.delete(data.id)
      if (data.type === 'error') p.reject(new Error(`${data.error}: ${data.message}`))
      else p.resolve(data.result)
    } else if (data.method === 'network.beforeRequestSent') requests.push(data.params.request.url)
    else if (data.method === 'log.entryAdded') logs.push({ context: data.params.source?.context ?? '', level: data.params.level, text: data.params.text ?? '' })
  }
  const send = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const i = ++id
      pending.set(i, { resolve, reject })
      ws.send(JSON.stringify({ id: i, method, params }))
    })
  await send('session.new', { capabilities: { alwaysMatch: { acceptInsecureCerts: false, unhandledPromptBehavior: { default: 'ignore' } } } })
  await send('session.subscribe', { events: ['network.beforeRequestSent', 'log.entryAdded'] })
  for (const fn of preload) await send('script.addPreloadScript', { functionDeclaration: `() => (${fn.toString()})()` })
  const firefox: Firefox = {
    send,
    requests,
    logs,
    downloadsDir,
    downloads: () => {
      const files = readdirSync(downloadsDir)
      return files.filter((f) => !f.endsWith('.part') && !files.includes(f + '.part'))
    },
    async newShopper() {
      const { userContext } = (await send('browser.createUserContext', {})) as { userContext: string }
      const { context } = (await send('browsingContext.create', { type: 'tab', userContext })) as { context: string }
      return new Tab(firefox, context, userContext)
    },
    async close() {
      try {
        const exited = new Promise((r) => child.once('exit', r))
        // Ends the session and quits the browser; the process is killed if it has not exited 5 s later.
        await Promise.race([send('browser.close').catch(() => undefined), exited, new Promise((r) => setTimeout(r, 2_000))])
        ws.close()
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))])
      } finally {
        cleanUp()
      }
    },
  }
  return firefox
}

type PageFunction<A, R> = (arg: A) => R | Promise<R>

/**
 * One tab. Its `evaluate`, `waitForFunction`, `getAttribute`, `url` and `goto` behave as Playwright's, for the page
 * readers of test/browser/helpers.ts (cast to `Page`); values cross as JSON.
 */
export class Tab {
  private currentUrl = 'about:blank'

  constructor(
    readonly firefox: Firefox,
    readonly context: string,
    readonly userContext: string,
  ) {}

  url(): string {
    return this.currentUrl
  }

  async goto(url: string): Promise<void> {
    await this.firefox.send('browsingContext.navigate', { context: this.context, url, wait: 'complete' })
    this.currentUrl = await this.evaluate(() => location.href)
  }

  async reload(): Promise<void> {
    await this.firefox.send('browsingContext.reload', { context: this.context, wait: 'complete' })
  }

  /** Back (`-1`) or forward (`1`) in the tab's history; resolves once the page at the new entry has loaded. */
  async traverse(delta: number): Promise<void> {
    await this.firefox.send('browsingContext.traverseHistory', { context: this.context, delta })
    await this.waitForFunction(() => document.readyState === 'complete', undefined)
    this.currentUrl = await this.evaluate(() => location.href)
  }

  /** Runs `fn(arg)` in the page (a promise awaited) and returns its result, through JSON. */
  async evaluate<R, A = undefined>(fn: PageFunction<A, R>, arg?: A): Promise<R> {
    // esbuild's keepNames wraps named functions in `__name(…)`, which the page does not have.
    const expression = `(async () => { const __name = (f) => f; const r = await (${fn.toString()})(${JSON.stringify(arg) ?? 'undefined'}); return r === undefined ? '"__undefined"' : JSON.stringify(r) })()`
    const result = (await this.firefox.send('script.evaluate', { expression, target: { context: this.context }, awaitPromise: true })) as {
      type: string
      result?: { value: string }
      exceptionDetails?: { text: string }
    }
    if (result.type === 'exception') throw new Error(`in the page: ${result.exceptionDetails?.text}`)
    const text = result.result!.value
    return (text === '"__undefined"' ? undefined : JSON.parse(text)) as R
  }

  /** Polls `fn(arg)` in the page until it is truthy. */
  async waitForFunction<A>(fn: PageFunction<A, unknown>, arg: A, { timeout = 15_000 }: { timeout?: number } = {}): Promise<void> {
    const until = Date.now() + timeout
    for (;;) {
      let value: unknown
      try {
        value = await this.evaluate(fn, arg)
      } catch (error) {
        // A page navigating away in the meantime has no realm for the call: try again on the next one.
        if (!/no such frame|realm|context|discarded|destroyed/i.test(String(error))) throw error
      }
      if (value) return
      if (Date.now() > until) throw new Error(`timed out after ${timeout} ms waiting for ${fn.toString().slice(0, 200)}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  getAttribute(selector: string, name: string): Promise<string | null> {
    return this.evaluate(([s, n]) => document.querySelector(s)?.getAttribute(n) ?? null, [selector, name] as [string, string])
  }

  /** Clicks the element as a shopper would: a real pointer press at its centre (BiDi input actions). */
  async click(selector: string): Promise<void> {
    const box = await this.evaluate((s) => {
      const el = document.querySelector(s)
      if (!el) return null
      el.scrollIntoView({ block: 'center' })
      const r = el.getBoundingClientRect()
      return { x: Math.round(r.left + r.width / 2), y: Math.round(r.top + r.height / 2) }
    }, selector)
    if (!box) throw new Error(`no element ${selector}`)
    await this.firefox.send('input.performActions', {
      context: this.context,
      actions: [
        {
          type: 'pointer',
          id: 'mouse',
          parameters: { pointerType: 'mouse' },
          actions: [
            { type: 'pointerMove', x: box.x, y: box.y },
            { type: 'pointerDown', button: 0 },
            { type: 'pointerUp', button: 0 },
          ],
        },
      ],
    })
  }

  /** The cookies this tab's page can see, as the browser keeps them (BiDi `storage.getCookies`). */
  async cookies(): Promise<Array<{ name: string; value: string; path: string; sameSite: string; httpOnly: boolean; secure: boolean; expiry?: number }>> {
    const { cookies } = (await this.firefox.send('storage.getCookies', { partition: { type: 'context', context: this.context } })) as {
      cookies: Array<{ name: string; value: { value: string }; path: string; sameSite: string; httpOnly: boolean; secure: boolean; expiry?: number }>
    }
    return cookies.map((c) => ({ ...c, value: c.value.value }))
  }

  /** The console warnings and errors (and uncaught errors) of this tab's pages so far. */
  consoleProblems(): string[] {
    return this.firefox.logs.filter((l) => l.context === this.context && (l.level === 'warn' || l.level === 'error')).map((l) => `${l.level}: ${l.text}`)
  }

  /** Another tab of the same shopper (same container, same storage). */
  async sibling(): Promise<Tab> {
    const { context } = (await this.firefox.send('browsingContext.create', { type: 'tab', userContext: this.userContext })) as { context: string }
    return new Tab(this.firefox, context, this.userContext)
  }

  async close(): Promise<void> {
    await this.firefox.send('browsingContext.close', { context: this.context })
  }

  /** Closes the tab and deletes its container with all it stored. */
  async closeShopper(): Promise<void> {
    await this.firefox.send('browser.removeUserContext', { userContext: this.userContext })
  }
}

/** Clicks a button of the panel's shadow root by its text, with a real pointer press (scrolled into view first). */
export async function clickPanelButton(tab: Tab, text: string): Promise<void> {
  await tab.evaluate((text) => {
    const button = Array.from(document.querySelector('seglet-panel')!.shadowRoot!.querySelectorAll('button')).find((b) => b.textContent === text)!
    button.id = 'seglet-test-target'
    // The panel scrolls when it is taller than the window: bring the button into view first, as a shopper would.
    button.scrollIntoView({ block: 'center' })
  }, text)
  const box = await tab.evaluate(() => {
    const r = document.querySelector('seglet-panel')!.shadowRoot!.getElementById('seglet-test-target')!.getBoundingClientRect()
    return { x: Math.round(r.left + r.width / 2), y: Math.round(r.top + r.height / 2) }
  })
  await tab.firefox.send('input.performActions', {
    context: tab.context,
    actions: [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: [{ type: 'pointerMove', x: box.x, y: box.y }, { type: 'pointerDown', button: 0 }, { type: 'pointerUp', button: 0 }] }],
  })
}
