// The shop's trust settings in Firefox ESR (WebDriver BiDi): the strict Content Security Policies the README states
// (read from README.md at test time, Trusted Types included) load the core and every part, and a returning shopper's
// model decision, blocks, panel, export and private report work under them with no violation; signed packs (Ed25519
// in Firefox's Web Crypto) published by the collector's own publishPacks() are verified, a newer one is taken at the
// daily check, and a tampered one or one signed with another key is refused while the last good pack stays.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error: plain ES module without types
import { startServer } from '../../scripts/serve.mjs'
import { generatePackKeys, readPackSigningKey } from '../../collector/packs/signingKey'
import { publishPacks } from '../../collector/packs/publishPacks'
import type { ModelPack } from '../../src/pack/types'
import { countReportRuns, expectHooksMatch, probeScript, probes, readDb, readHooks, readPanel, waitForSegment } from '../browser/helpers'
import { snippet } from '../browser/readmeSnippets'
import { clickPanelButton, HAS_FIREFOX, launchFirefox, type Firefox, type Tab } from './firefox'

const DAY = 86_400_000
const REPORTS = '/seglet/reports'
const asPage = (tab: Tab) => tab as unknown as Page

type SegletWindow = {
  Seglet: {
    track(e: unknown): void
    flush(): Promise<void>
    showPanel(): void
    getSegment(): { coldStart: boolean; restored?: boolean; intentThreshold: number; decidedAt: number } | null
  }
  loadedAt: number
}

/**
 * Run in every page before its scripts: pages opened with `past` in their query live two hours ago (their session
 * is closed now), pages opened with `days=N` live N days ahead; `loadedAt` is the page's start on its own clock.
 */
function shiftClock(): void {
  const real = Date.now
  const days = /[?&]days=([\d.]+)/.exec(location.search)
  const offset = location.search.includes('past') ? -2 * 3_600_000 : days ? Number(days[1]) * 86_400_000 : 0
  if (offset) Date.now = () => real() + offset
  ;(window as unknown as { loadedAt: number }).loadedAt = Date.now()
}

describe.skipIf(!HAS_FIREFOX)('Firefox: trust settings', () => {
  let firefox: Firefox
  let server: { url: string; close(): Promise<void> }
  const root = mkdtempSync(join(tmpdir(), 'seglet-firefox-trust-'))
  const site = join(root, 'site')
  const served: string[] = []
  const reports: string[] = []
  let shop = { policy: '', tag: '' }

  beforeAll(async () => {
    server = await startServer({
      mounts: { '/seglet/': site },
      onRequest: (req: { url?: string }) => served.push(req.url ?? ''),
      render: async (req: { url?: string; method?: string } & AsyncIterable<Buffer>) => {
        const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
        if (path === REPORTS && req.method === 'POST') {
          let body = ''
          for await (const chunk of req) body += chunk
          reports.push(body)
          return { body: '', headers: { 'content-type': 'text/plain' } }
        }
        if (path === '/shop.css') return { body: `.seglet-pending [data-seglet-show]{visibility:hidden}\n${snippet('css')}`, headers: { 'content-type': 'text/css' } }
        if (path.startsWith('/shop/')) return { body: shopPage(shop.tag), headers: { 'content-security-policy': shop.policy } }
        return undefined
      },
    })
    firefox = await launchFirefox({ preload: [probeScript, countReportRuns, shiftClock] })
  }, 120_000)

  afterAll(async () => {
    await firefox?.close()
    await server?.close()
    rmSync(root, { recursive: true, force: true })
  })

  // The nonce-based policy also without 'strict-dynamic': the README says the parts inherit the nonce either way.
  for (const [name, withoutStrictDynamic] of [['csp-self', false], ['csp-nonce', false], ['csp-nonce', true]] as const) {
    it(`the README policy ${name}${withoutStrictDynamic ? ' without strict-dynamic' : ''}: a returning shopper's decision, blocks, panel, export and report work, no violation`, async () => {
      reports.length = 0
      const nonce = 'n0nce' + Math.random().toString(36).slice(2)
      const { policy: stated, placeholder } = policyOf(name, nonce)
      const policy = withoutStrictDynamic ? stated.replace(" 'strict-dynamic'", '') : stated
      shop = { policy, tag: tagOf(placeholder, nonce) }
      const tab = await firefox.newShopper()
      const from = firefox.requests.length

      // An earlier visit, two hours ago: two pages, so the model part decides and the session is recorded.
      await tab.goto(server.url + '/shop/one?past=1')
      expect(await waitForSegment(asPage(tab))).toBe('new-visitor')
      await tab.goto(server.url + '/shop/two?past=1')
      await expect.poll(() => tab.getAttribute('html', 'data-seglet-segment'), { timeout: 20_000 }).not.toMatch(/^(new-visitor)?$/)
      await expect.poll(async () => Array.isArray((await readDb(asPage(tab))).meta['report-sessions']), { timeout: 20_000 }).toBe(true)

      // Back now: the stored segment, then the model's own decision, and the report of the closed session.
      await tab.goto(server.url + '/shop/three')
      const current = () => tab.evaluate(() => (window as unknown as SegletWindow).Seglet?.getSegment() ?? null)
      await expect.poll(async () => (await current())?.coldStart, { timeout: 20_000 }).toBe(false)
      await expect.poll(async () => (await current())?.restored ?? false, { timeout: 20_000 }).toBe(false)
      expectHooksMatch(await readHooks(asPage(tab)))
      await expect.poll(() => reports.length, { timeout: 20_000 }).toBe(1)
      expect(JSON.parse(reports[0]!)).toMatchObject({ eps: 2, q: expect.any(String) })

      // The panel, styled by its stylesheet under style-src 'self', and its export.
      await tab.evaluate(() => (window as unknown as SegletWindow).Seglet.showPanel())
      await expect.poll(async () => (await readPanel(asPage(tab))).buttons?.length ?? 0).toBeGreaterThan(0)
      expect(await tab.evaluate(() => getComputedStyle(document.querySelector('seglet-panel')!).position)).toBe('fixed')
      const before = new Set(firefox.downloads())
      await clickPanelButton(tab, 'Export my data')
      await expect.poll(() => firefox.downloads().filter((f) => !before.has(f)), { timeout: 10_000 }).toEqual([expect.stringMatching(/^seglet-data.*\.json$/)])

      const db = await readDb(asPage(tab))
      const pageViews = db.events.filter((e) => e.type === 'page_view')
      expect(pageViews.length).toBe(3)
      for (const view of pageViews) expect(view.stats).toEqual({ bounceRate: 0.25, exitRate: 0.5, pageValue: 12 })
      const t = await probes(asPage(tab))
      expect(t.csp).toEqual([])
      expect(t.escaped).toEqual([])
      expect(t.errors).toEqual([])
      for (const part of ['model', 'blocks', 'prune', 'reports']) {
        expect(firefox.requests.slice(from).some((url) => url.endsWith(`/dist/seglet-${part}.min.js`)), part).toBe(true)
      }
      await tab.closeShopper()
    })
  }

  it('signed packs: a newer one arrives at the daily check; a tampered one, or one signed with another key, is refused and the last good pack stays', async () => {
    const keys = await generatePackKeys(join(root, 'keys'))
    const key = await readPackSigningKey(keys.privateKeyFile)
    const tab = await firefox.newShopper()
    const manifestRequests = () => served.filter((url) => url.startsWith('/seglet/packs.manifest')).length
    const checks = manifestRequests()

    /** A page load `days` after the first with the shop's key pinned; resolves to the intent threshold of its decision. */
    const visit = async (days: number): Promise<number> => {
      const attrs = { consent: 'granted', autocapture: 'false', 'model-loading': 'eager', 'pack-key': keys.packKey }
      await tab.goto(`${server.url}/test/browser/pages/tag.html?attrs=${encodeURIComponent(JSON.stringify(attrs))}&days=${days}`)
      await tab.waitForFunction(() => typeof (window as unknown as { Seglet?: unknown }).Seglet === 'object', undefined)
      await tab.evaluate(() => {
        const { Seglet } = window as unknown as SegletWindow
        for (let i = 0; i < 3; i++) Seglet.track({ type: 'page_view', url: `/products/p${i}`, pageType: 'product' })
        return Seglet.flush()
      })
      // A decision made on this page (a returning shopper's stored segment shows first).
      await tab.waitForFunction(() => {
        const w = window as unknown as SegletWindow
        const segment = w.Seglet.getSegment()
        return segment !== null && !segment.coldStart && segment.decidedAt >= w.loadedAt
      }, undefined, { timeout: 30_000 })
      return tab.evaluate(() => (window as unknown as SegletWindow).Seglet.getSegment()!.intentThreshold)
    }
    const errorCodes = async () => (await probes(asPage(tab))).errors.map((e) => e.code)

    await publishPacks({ outDir: site, key, packs: { session: sessionPack(0.31) } })
    // First visit: no pack stored yet, the manifest is checked and its pack used.
    expect(await visit(0)).toBeCloseTo(0.31, 6)
    expect(manifestRequests() - checks).toBe(1)
    expect(await errorCodes()).toEqual([])

    // Version 2 is published; a reload the same day keeps the stored pack and does not ask again.
    await publishPacks({ outDir: site, key, packs: { session: sessionPack(0.42) } })
    expect(await visit(0.5)).toBeCloseTo(0.31, 6)
    expect(manifestRequests() - checks).toBe(1)

    // A day later: the check finds version 2, verifies it, and the page decides with it.
    expect(await visit(1)).toBeCloseTo(0.42, 6)
    expect(manifestRequests() - checks).toBe(2)
    expect(served).toContain('/seglet/session-v2.json')
    expect(await errorCodes()).toEqual([])

    // Version 3's pack is changed on the server after signing: refused, reported, version 2 stays.
    const v3 = await publishPacks({ outDir: site, key, packs: { session: sessionPack(0.53) } })
    const file = v3.packFiles.session!
    writeFileSync(file, readFileSync(file, 'utf8').replace('0.53', '0.99'))
    expect(await visit(2)).toBeCloseTo(0.42, 6)
    expect(manifestRequests() - checks).toBe(3)
    await expect.poll(errorCodes).toEqual(['pack_integrity'])

    // Reloaded the same day: still version 2, no request, nothing reported again.
    expect(await visit(2.5)).toBeCloseTo(0.42, 6)
    expect(manifestRequests() - checks).toBe(3)
    expect(await errorCodes()).toEqual([])

    // A manifest signed by someone else the next day: refused (the page does not pin that key), version 2 stays.
    const intruder = await readPackSigningKey((await generatePackKeys(join(root, 'intruder'))).privateKeyFile)
    await publishPacks({ outDir: site, key: intruder, packs: { session: sessionPack(0.64) }, rotateKey: true })
    expect(await visit(3)).toBeCloseTo(0.42, 6)
    await expect.poll(errorCodes).toEqual(['pack_signature_key'])
    expect((await probes(asPage(tab))).escaped).toEqual([])
    await tab.closeShopper()
  })
})

/** The policy of a README block (`Content-Security-Policy: …`), with its nonce placeholder replaced by `nonce`. */
function policyOf(name: string, nonce: string): { policy: string; placeholder?: string } {
  const line = snippet(name).trim()
  expect(line).toMatch(/^Content-Security-Policy: /)
  const policy = line.replace(/^Content-Security-Policy: /, '')
  const placeholder = /'nonce-([^']+)'/.exec(policy)?.[1]
  return { policy: placeholder ? policy.replaceAll(placeholder, nonce) : policy, placeholder }
}

/** The README's tag (served from /dist/ here) with reports and anti-flicker on, and its nonce placeholder replaced. */
function tagOf(placeholder: string | undefined, nonce: string): string {
  let tag = snippet(placeholder ? 'csp-nonce-tag' : 'script-tag').trim()
  if (placeholder) {
    expect(tag).toContain(`nonce="${placeholder}"`)
    tag = tag.replaceAll(placeholder, nonce)
  }
  expect(tag).toContain('src="/seglet.min.js"')
  return tag.replace('src="/seglet.min.js"', 'src="/dist/seglet.min.js"').replace('<script ', `<script data-reports="${REPORTS}" data-anti-flicker `)
}

/** A shop page: the tag, a stylesheet of the shop's, page statistics, blocks. */
function shopPage(tag: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<meta name="seglet:page-stats" content="bounce=0.25;exit=0.5;value=12">
<link rel="stylesheet" href="/shop.css">
${tag}
</head><body><h1>Shop</h1>
<div data-seglet-show="new-visitor" hidden>Welcome</div>
<div data-seglet-hide="new-visitor">Welcome back</div>
<div data-seglet-intent-above="0.99" hidden>Checkout now</div>
</body></html>`
}

/** The shipped session pack with another intent threshold: which pack decided shows on the segment. */
function sessionPack(threshold: number): ModelPack {
  const pack = JSON.parse(readFileSync(new URL('../../src/models/session.json', import.meta.url), 'utf8')) as ModelPack
  ;(pack.heads.intent as { threshold: number }).threshold = threshold
  return pack
}
