// The shop's trust settings in Firefox ESR (WebDriver BiDi): the strict Content Security Policies the README states
// (read from README.md at test time, Trusted Types included) load the core and every part, and a returning shopper's
// model decision, blocks, panel, export and private report work under them with no violation; signed packs (Ed25519
// in Firefox's Web Crypto) published by the collector's own publishPacks() are verified, a newer one is taken at the
// daily check, and a tampered one or one signed with another key is refused while the last good pack stays.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import type { IncomingMessage } from 'node:http'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error: plain ES module without types
import { startServer } from '../../scripts/serve.mjs'
import { generatePackKeys, readPackSigningKey } from '../../collector/packs/signingKey'
import { publishPacks } from '../../collector/packs/publishPacks'
import { countReportRuns, expectHooksMatch, probeScript, probes, readDb, readHooks, readPanel, waitForSegment } from '../browser/helpers'
import { cspTag, policyOf, sessionPack, shiftClock, renderShop, visitWithPinnedKey, expectShopPagesClean } from '../browser/shopFixtures'
import { clickPanelButton, HAS_FIREFOX, launchFirefox, type Firefox, type Tab } from './firefox'

const REPORTS = '/seglet/reports'
const asPage = (tab: Tab) => tab as unknown as Page

type SegletWindow = { Seglet: { showPanel(): void; getSegment(): { coldStart: boolean; restored?: boolean } | null } }

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
      render: (req: IncomingMessage) => renderShop(req, REPORTS, reports, { policy: shop.policy, head: shop.tag }),
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
      shop = { policy, tag: cspTag(placeholder, nonce, REPORTS, '/dist/seglet.min.js') }
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

      await expectShopPagesClean(asPage(tab))
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

    const visit = (days: number) => visitWithPinnedKey(asPage(tab), server.url, keys.packKey, days)
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
