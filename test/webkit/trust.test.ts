// The shop's trust settings and the framework bindings in WebKit (WebKitGTK's MiniBrowser over WebDriver): the strict
// Content Security Policies the README states (read from README.md at test time, Trusted Types included) with a
// returning shopper's decision, blocks, the panel, page statistics and a private report, and no violation; and
// seglet/react and seglet/vue in the Vite-built apps of test/browser/apps/ (client render, a server-rendered page
// hydrated with no console warning, the segment hint cookie and the next page the server renders for it); and signed
// packs verified with Ed25519 in WebKit's Web Crypto (a newer one taken, a tampered one refused).
// `npm run test:webkit` (after `npm run build`); skipped, saying why, where WebKitWebDriver is not installed.
import type { IncomingMessage } from 'node:http'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error: plain ES module without types
import { startServer } from '../../scripts/serve.mjs'
import { generatePackKeys, readPackSigningKey } from '../../collector/packs/signingKey'
import { publishPacks } from '../../collector/packs/publishPacks'
import { buildApp, type BuiltApp } from '../browser/apps/buildApp'
import { countReportRuns, expectHooksMatch, probeScript, probes, readDb, readHooks, readPanel, waitForSegment } from '../browser/helpers'
import { bandOf, cspTag, policyOf, sessionPack, shiftClock, renderShop, shopInApp, type AppWindow, visitWithPinnedKey, expectShopPagesClean } from '../browser/shopFixtures'
import { startWebKit, webkitMissing, type WebKit, type WebKitSession } from './webkit'

const missing = webkitMissing()
if (missing) console.warn(`[webkit] skipped: ${missing}`)

const REPORTS = '/seglet/reports'
const asPage = (session: WebKitSession) => session as unknown as Page

type SegletWindow = { Seglet?: { showPanel(): void; getSegment(): { coldStart: boolean; restored?: boolean } | null }; __console: string[] }
/** In every page: its console warnings and errors (React and Vue report hydration mismatches there), in `__console`. */
function catchConsole(): void {
  const w = window as unknown as { __console: string[] }
  w.__console = []
  for (const level of ['warn', 'error'] as const) {
    const original = console[level]
    console[level] = function (this: Console, ...args: unknown[]) {
      w.__console.push(`${level}: ${args.map(String).join(' ')}`)
      return original.apply(this, args)
    }
  }
}

/** The scripts every page runs first, as one file (WebDriver has no init scripts; a strict policy allows no inline one). */
const INIT = [probeScript, countReportRuns, shiftClock, catchConsole].map((fn) => `(${fn.toString()})();`).join('\n')
const initTag = (nonce?: string) => `<script src="/__init.js"${nonce ? ` nonce="${nonce}"` : ''}></script>`
const js = (body: string) => ({ body, headers: { 'content-type': 'text/javascript; charset=utf-8' } })

describe.skipIf(!!missing)('WebKit: the README\'s strict Content Security Policies', () => {
  let wk: WebKit
  let server: { url: string; close(): Promise<void> }
  let session: WebKitSession | undefined
  const reports: string[] = []
  let shop = { policy: '', tag: '', nonce: '' }

  beforeAll(async () => {
    server = await startServer({
      render: async (req: IncomingMessage) => {
        const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
        if (path === '/__init.js') return js(INIT)
        return renderShop(req, REPORTS, reports, { policy: shop.policy, head: initTag(shop.nonce) + shop.tag })
      },
    })
    wk = await startWebKit()
  })
  afterAll(async () => {
    await session?.close().catch(() => undefined)
    await wk?.close()
    await server?.close()
  })

  for (const [name, withoutStrictDynamic] of [['csp-self', false], ['csp-nonce', false], ['csp-nonce', true]] as const) {
    it(`${name}${withoutStrictDynamic ? ' without strict-dynamic' : ''}: a returning shopper's decision, blocks, panel, page statistics and report work, no violation`, async () => {
      reports.length = 0
      const nonce = 'n0nce' + Math.random().toString(36).slice(2)
      const { policy: stated, placeholder } = policyOf(name, nonce)
      const policy = withoutStrictDynamic ? stated.replace(" 'strict-dynamic'", '') : stated
      const tag = cspTag(placeholder, nonce, REPORTS, '/dist/seglet.min.js')
      shop = { policy, tag, nonce: placeholder ? nonce : '' }
      await session?.close().catch(() => undefined)
      session = await wk.newSession()

      // An earlier visit, two hours ago: two pages, so the model part decides and the session is recorded.
      await session.goto(server.url + '/shop/one?past=1')
      expect(await waitForSegment(asPage(session))).toBe('new-visitor')
      await session.goto(server.url + '/shop/two?past=1')
      await session.waitForFunction(() => !/^(new-visitor)?$/.test(document.documentElement.getAttribute('data-seglet-segment') ?? ''), undefined, { timeout: 20_000 })
      const s = session
      await expect.poll(async () => Array.isArray((await readDb(asPage(s))).meta['report-sessions']), { timeout: 20_000 }).toBe(true)

      // Back now: the model's own decision, and the report of the closed session.
      await session.goto(server.url + '/shop/three')
      await session.waitForFunction(() => {
        const segment = (window as unknown as SegletWindow).Seglet?.getSegment()
        return !!segment && !segment.coldStart && !segment.restored
      }, undefined, { timeout: 20_000 })
      expectHooksMatch(await readHooks(asPage(session)))
      await expect.poll(() => reports.length, { timeout: 20_000 }).toBe(1)
      expect(JSON.parse(reports[0]!)).toMatchObject({ eps: 2 })

      // The panel, styled by its stylesheet under style-src 'self'.
      await session.evaluate(() => (window as unknown as SegletWindow).Seglet!.showPanel())
      await expect.poll(async () => (await readPanel(asPage(s))).buttons?.length ?? 0).toBeGreaterThan(0)
      expect(await session.evaluate(() => getComputedStyle(document.querySelector('seglet-panel')!).position)).toBe('fixed')

      await expectShopPagesClean(asPage(session))
      expect(await session.evaluate(() => (window as unknown as SegletWindow).__console)).toEqual([])
    })
  }
})

describe.skipIf(!!missing)('WebKit: signed packs', () => {
  let wk: WebKit
  let server: { url: string; close(): Promise<void> }
  let session: WebKitSession | undefined
  const root = mkdtempSync(join(tmpdir(), 'seglet-webkit-signed-'))
  const site = join(root, 'site')
  const served: string[] = []
  beforeAll(async () => {
    const tagPage = readFileSync(new URL('../browser/pages/tag.html', import.meta.url), 'utf8')
    server = await startServer({
      mounts: { '/seglet/': site },
      onRequest: (req: IncomingMessage) => served.push(req.url ?? ''),
      render: (req: IncomingMessage) => {
        const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
        if (path === '/__init.js') return js(INIT)
        if (path === '/test/browser/pages/tag.html') return tagPage.replace(/<head>/i, (head) => head + initTag())
        return undefined
      },
    })
    wk = await startWebKit()
  })
  afterAll(async () => {
    await session?.close().catch(() => undefined)
    await wk?.close()
    await server?.close()
    rmSync(root, { recursive: true, force: true })
  })

  it('a newer signed pack arrives at the daily check; a tampered one is refused and the last good pack stays', async () => {
    const keys = await generatePackKeys(join(root, 'keys'))
    const key = await readPackSigningKey(keys.privateKeyFile)
    session = await wk.newSession()
    const s = session
    const manifestRequests = () => served.filter((url) => url.startsWith('/seglet/packs.manifest')).length
    const visit = (days: number) => visitWithPinnedKey(asPage(s), server.url, keys.packKey, days)
    const errorCodes = async () => (await probes(asPage(s))).errors.map((e) => e.code)

    await publishPacks({ outDir: site, key, packs: { session: sessionPack(0.31) } })
    expect(await visit(0)).toBeCloseTo(0.31, 6)
    expect(manifestRequests()).toBe(1)
    expect(await errorCodes()).toEqual([])
    // Version 2 the same day: the stored pack stays; a day later the check takes it.
    await publishPacks({ outDir: site, key, packs: { session: sessionPack(0.42) } })
    expect(await visit(0.5)).toBeCloseTo(0.31, 6)
    expect(manifestRequests()).toBe(1)
    expect(await visit(1)).toBeCloseTo(0.42, 6)
    expect(manifestRequests()).toBe(2)
    // Version 3's pack changed on the server after signing: refused, reported, version 2 stays.
    const v3 = await publishPacks({ outDir: site, key, packs: { session: sessionPack(0.53) } })
    writeFileSync(v3.packFiles.session!, readFileSync(v3.packFiles.session!, 'utf8').replace('0.53', '0.99'))
    expect(await visit(2)).toBeCloseTo(0.42, 6)
    await expect.poll(errorCodes).toEqual(['pack_integrity'])
    expect((await probes(asPage(s))).escaped).toEqual([])
    expect(wk.offMachine).toEqual([])
  })
})

for (const name of ['react', 'vue'] as const) {
  describe.skipIf(!!missing)(`WebKit: seglet/${name} in a Vite-built app`, () => {
    let app: BuiltApp
    let wk: WebKit
    let server: { url: string; close(): Promise<void> }
    let session: WebKitSession | undefined

    beforeAll(async () => {
      app = await buildApp(name)
      const index = readFileSync(join(app.client, 'index.html'), 'utf8')
      server = await startServer({
        mounts: { '/app/': app.client },
        render: async (req: IncomingMessage) => {
          const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
          if (path === '/__init.js') return js(INIT)
          // The app's pages, with the init scripts first in their <head>.
          const html = path === '/app/index.html' ? index : await app.render(req)
          return html?.replace(/<head>/i, (head) => head + initTag())
        },
      })
      wk = await startWebKit()
    }, 180_000)
    afterAll(async () => {
      await session?.close().catch(() => undefined)
      await wk?.close()
      await server?.close()
      app?.remove()
    })

    const shopAndWait = async (s: WebKitSession) => {
      await s.waitForFunction(() => (window as unknown as Partial<AppWindow>).segletApp !== undefined)
      await s.evaluate(shopInApp)
      await s.waitForFunction(() => (window as unknown as AppWindow).segletApp.seglet.getSegment()?.coldStart === false, undefined, { timeout: 20_000 })
    }
    const consoleOf = (s: WebKitSession) => s.evaluate(() => (window as unknown as SegletWindow).__console)
    const textOf = (s: WebKitSession, id: string) => s.evaluate((id) => document.getElementById(id)?.textContent ?? null, id)

    it('useSegment() shows the segment Seglet decided on a client-rendered page, and no segment after forget()', async () => {
      session = await wk.newSession()
      await session.goto(server.url + '/app/index.html')
      await shopAndWait(session)
      await session.waitForFunction(() => {
        const segment = (window as unknown as AppWindow).segletApp.seglet.getSegment()
        return segment !== null && document.getElementById('segment')?.textContent === `${segment.id} ${segment.intent.toFixed(2)}`
      }, undefined, { timeout: 15_000 })
      await session.evaluate(() => (window as unknown as AppWindow).segletApp.seglet.forget())
      await session.waitForFunction(() => document.getElementById('segment')?.textContent === 'no segment yet')
      expect(await textOf(session, 'offer')).toBe('Welcome')
      expect((await probes(asPage(session))).network).toEqual([])
      expect(await consoleOf(session)).toEqual([])
      expect(wk.offMachine).toEqual([])
    })

    it('a server-rendered page hydrates without a warning; the hint cookie is kept and the next page is rendered for it', async () => {
      await session?.close().catch(() => undefined)
      session = await wk.newSession()
      app.serverHints.length = 0
      await session.goto(server.url + '/shop')
      expect(app.serverHints).toEqual([{ path: '/shop', hint: null }])
      await shopAndWait(session)
      const segment = (await session.evaluate(() => (window as unknown as AppWindow).segletApp.seglet.getSegment()))!
      const band = bandOf(segment)
      const s = session
      const hints = async () => (await s.cookies()).filter((c) => c.name === 'seglet_hint')
      await expect.poll(async () => (await hints()).map((c) => c.value), { timeout: 15_000 }).toEqual([`${segment.id}.${band}`])
      expect((await hints())[0]).toMatchObject({ path: '/', httpOnly: false, secure: false })

      await session.goto(server.url + '/shop/next')
      expect(app.serverHints.at(-1)).toEqual({ path: '/shop/next', hint: { segmentId: segment.id, intentBand: band } })
      await session.waitForFunction(() => (window as unknown as Partial<AppWindow>).segletApp !== undefined)
      expect(await textOf(session, 'offer')).toBe(band === 'high' ? 'Free shipping today' : `Picked for ${segment.id} (${band})`)
      await session.evaluate(() => document.getElementById('browse')!.click())
      await session.waitForFunction(() => document.getElementById('segment')?.textContent !== 'no segment yet', undefined, { timeout: 15_000 })
      expect(await consoleOf(session)).toEqual([])

      // Consent withdrawn: the hint is gone, and the server sees none.
      await session.evaluate(() => (window as unknown as AppWindow).segletApp.seglet.setConsent('denied'))
      expect(await hints()).toEqual([])
      await session.goto(server.url + '/shop/after-denial?consent=denied')
      expect(app.serverHints.at(-1)).toEqual({ path: '/shop/after-denial', hint: null })
      expect(wk.offMachine).toEqual([])
    })
  })
}
