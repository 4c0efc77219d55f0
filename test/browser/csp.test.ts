// Seglet on storefronts that send a strict Content Security Policy, in Chromium: the policies the README
// states (read from README.md at test time) load the core and every lazily loaded part, a returning shopper
// gets the model's segment, blocks, the panel, page statistics, the export and a private report work, and
// nothing reaches the page or the console. A policy that blocks a part is reported through onError.
import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { clickPanelButton, countReportRuns, expectHooksMatch, pageTime, probes, readDb, readHooks, readPanel, useHarness, waitForPageViewStored, waitForReportRuns, waitForSeglet, waitForSegment } from './helpers'
import { cspTag, policyOf, shopCss, shopPage, expectShopPagesClean } from './shopFixtures'

const ENDPOINT = '/seglet/reports'
const dist = (file: string) => readFileSync(new URL(`../../dist/${file}`, import.meta.url))

/** Pages opened with `past` in their query live two hours ago, so their session is closed now. */
function shiftClock(): void {
  if (location.search.includes('past')) {
    const real = Date.now
    Date.now = () => real() - 2 * 3_600_000
  }
}

const reports: string[] = []
let served: { policy: string; tag: string } = { policy: '', tag: '' }

const h = useHarness({
  async setup(harness) {
    await harness.context.addInitScript(shiftClock)
    await harness.context.addInitScript(countReportRuns)
    const js = (body: string | Buffer) => ({ status: 200, contentType: 'text/javascript; charset=utf-8', body })
    for (const file of ['seglet.min.js', 'seglet-model.min.js', 'seglet-blocks.min.js', 'seglet-bridges.min.js', 'seglet-prune.min.js', 'seglet-reports.min.js']) {
      await harness.context.route(`${harness.baseUrl}/${file}`, (route) => route.fulfill(js(dist(file))))
    }
    await harness.context.route(`${harness.baseUrl}/shop.css`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/css', body: shopCss() }),
    )
    await harness.context.route(`${harness.baseUrl}/shop/**`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', headers: { 'content-security-policy': served.policy }, body: shopPage(served.tag) }),
    )
    await harness.context.route(`${harness.baseUrl}${ENDPOINT}`, async (route) => {
      reports.push(route.request().postData() ?? '')
      await route.fulfill({ status: 204 })
    })
  },
})

function consoleProblems(page: Page): string[] {
  const out: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') out.push(m.text())
  })
  return out
}

// The nonce-based policy also without 'strict-dynamic': the README says the parts inherit the nonce either way.
describe.each([
  ['csp-self', false],
  ['csp-nonce', false],
  ['csp-nonce', true],
] as const)('the README policy %s (without strict-dynamic: %s)', (name, withoutStrictDynamic) => {
  it('a returning shopper: every part loads, the model decides, blocks, panel, export and a report work, no violation', async () => {
    reports.length = 0
    const nonce = 'n0nce' + Math.random().toString(36).slice(2)
    const { policy: stated, placeholder } = policyOf(name, nonce)
    const policy = withoutStrictDynamic ? stated.replace(" 'strict-dynamic'", '') : stated
    expect(policy.includes('strict-dynamic')).toBe(name === 'csp-nonce' && !withoutStrictDynamic)
    served = { policy, tag: cspTag(placeholder, nonce, ENDPOINT) }
    const page = await h.newPage()
    const logged = consoleProblems(page)

    // An earlier visit, two hours ago: two pages, so the model part decides and the session is recorded.
    await page.goto(h.baseUrl + '/shop/one?past=1')
    expect(await waitForSegment(page)).toBe('new-visitor')
    await page.goto(h.baseUrl + '/shop/two?past=1')
    await expect.poll(() => page.getAttribute('html', 'data-seglet-segment'), { timeout: 20_000 }).not.toMatch(/^(new-visitor)?$/)
    await expect.poll(async () => Array.isArray((await readDb(page)).meta['report-sessions']), { timeout: 20_000 }).toBe(true)

    // Back now: the stored segment, the model's decision, the report of the closed session.
    await page.goto(h.baseUrl + '/shop/three')
    await waitForSeglet(page)
    const current = () => page.evaluate(() => (window as unknown as { Seglet: { getSegment(): { restored?: boolean; coldStart: boolean } | null } }).Seglet.getSegment())
    await expect.poll(current, { timeout: 20_000 }).toMatchObject({ coldStart: false })
    await expect.poll(async () => (await current())?.restored ?? false, { timeout: 20_000 }).toBe(false)
    expectHooksMatch(await readHooks(page))
    await expect.poll(() => reports.length, { timeout: 20_000 }).toBe(1)
    await page.evaluate(() => (window as unknown as { Seglet: { showPanel(): void } }).Seglet.showPanel())
    await expect.poll(async () => (await readPanel(page)).buttons?.length ?? 0).toBeGreaterThan(0)
    const panelStyled = await page.evaluate(() => {
      const host = document.querySelector('seglet-panel')!
      return getComputedStyle(host).position
    })
    // Styled: its stylesheet applies under style-src 'self'.
    expect(panelStyled).toBe('fixed')
    const download = page.waitForEvent('download')
    await clickPanelButton(page, 'Export my data')
    expect((await download).suggestedFilename()).toBe('seglet-data.json')

    await expectShopPagesClean(page)
    expect(page.uncaughtErrors).toEqual([])
    expect(logged).toEqual([])
    for (const part of ['model', 'blocks', 'bridges', 'prune', 'reports']) {
      expect(h.requests.some((url) => url.endsWith(`/seglet-${part}.min.js`)), part).toBe(true)
    }
    await page.close()
  })
})

describe('a policy that blocks the lazily loaded parts', () => {
  it('the page keeps working and each blocked part is reported through onError with its code', async () => {
    served = { policy: `script-src ${h.baseUrl}/seglet.min.js`, tag: `<script src="/seglet.min.js" data-consent="granted" async></script>` }
    const page = await h.newPage()
    await page.goto(h.baseUrl + '/shop/one')
    await waitForSeglet(page)
    await waitForPageViewStored(page)
    await page.goto(h.baseUrl + '/shop/two')
    await waitForSeglet(page)
    const reported = async () => (await probes(page)).errors.map((e) => `${e.code} ${/seglet-\w+\.min\.js/.exec(e.message)?.[0]}`)
    await expect.poll(reported, { timeout: 20_000 }).toEqual(expect.arrayContaining(['hook_failed seglet-blocks.min.js', 'model_failed seglet-model.min.js']))
    const t = await probes(page)
    expect(t.escaped).toEqual([])
    expect(page.uncaughtErrors).toEqual([])
    // The page's blocks stay as the markup has them.
    expect(await page.evaluate(() => [...document.querySelectorAll('[data-seglet-show]')].every((el) => el.hasAttribute('hidden')))).toBe(true)
    await page.close()
  })
})

describe('a policy whose connect-src does not allow the report endpoint', () => {
  it('the report is not sent, reported once through onError as not confirmed (the browser tells a blocked send as it tells any send without an answer), and not tried again that day', async () => {
    reports.length = 0
    served = {
      policy: "default-src 'self'; connect-src https://analytics.example",
      tag: `<script src="/seglet.min.js" data-consent="granted" data-reports="${ENDPOINT}" async></script>`,
    }
    const page = await h.newPage()
    await page.goto(h.baseUrl + '/shop/one?past=1')
    await waitForSeglet(page)
    // Its page view stored before it is left: else, on a busy machine, the next page would be the first the store
    // holds, a cold start, and no session would be recorded to report.
    await waitForPageViewStored(page)
    await page.goto(h.baseUrl + '/shop/two?past=1')
    await expect.poll(async () => Array.isArray((await readDb(page)).meta['report-sessions']), { timeout: 20_000 }).toBe(true)
    await page.goto(h.baseUrl + '/shop/three')
    await waitForSeglet(page)
    const codes = async () => (await probes(page)).errors.map((e) => e.code)
    await expect.poll(codes, { timeout: 20_000 }).toContain('report_unconfirmed')
    let t = await probes(page)
    expect(t.errors.map((e) => e.code)).toEqual(['report_unconfirmed'])
    expect(t.csp).toHaveLength(1)
    expect(t.escaped).toEqual([])
    expect(reports).toEqual([])
    // The next page the same day tries nothing.
    await page.goto(h.baseUrl + '/shop/four')
    await waitForSeglet(page)
    // Its report run ended (it found the day spent); a blocked send's violation would be dispatched by now too.
    await waitForReportRuns(page)
    await pageTime(page, 250)
    t = await probes(page)
    expect(t.errors).toEqual([])
    expect(t.csp).toEqual([])
    await page.close()
  })
})

describe('the panel in a browser without constructable stylesheets (Safari before 16.4, Firefox before 101)', () => {
  it("under style-src 'self' its blocked stylesheet is reported once through onError, not left silent", async () => {
    served = { policy: "default-src 'self'", tag: `<script src="/seglet.min.js" data-consent="granted" async></script>` }
    const page = await h.newPage()
    // What such a browser has: no CSSStyleSheet.replaceSync, so the panel falls back to a <style> element.
    await page.addInitScript(() => delete (CSSStyleSheet.prototype as { replaceSync?: unknown }).replaceSync)
    await page.goto(h.baseUrl + '/shop/one?seglet=debug')
    await page.waitForSelector('seglet-panel')
    await expect.poll(async () => (await probes(page)).csp.length).toBe(1)
    await expect.poll(async () => (await probes(page)).errors.map((e) => e.code)).toEqual(['hook_failed'])
    expect((await probes(page)).errors[0].message).toMatch(/style-src/)
    // Shown again: not reported again.
    await page.evaluate(() => {
      const { Seglet } = window as unknown as { Seglet: { hidePanel(): void; showPanel(): void } }
      Seglet.hidePanel()
      Seglet.showPanel()
    })
    // Shown again; a violation of its <style> is dispatched in a task of its own once it is in the document.
    await page.waitForFunction(() => !!document.querySelector('seglet-panel')?.isConnected)
    await pageTime(page, 250)
    expect((await probes(page)).errors).toHaveLength(1)
    expect(await readPanel(page)).toMatchObject({ open: true })
    expect((await probes(page)).escaped).toEqual([])
    await page.close()
  })

  it('where the policy allows its <style>, nothing is reported', async () => {
    served = { policy: "default-src 'self'; style-src 'self' 'unsafe-inline'", tag: `<script src="/seglet.min.js" data-consent="granted" async></script>` }
    const page = await h.newPage()
    await page.addInitScript(() => delete (CSSStyleSheet.prototype as { replaceSync?: unknown }).replaceSync)
    await page.goto(h.baseUrl + '/shop/one?seglet=debug')
    await page.waitForSelector('seglet-panel')
    // Styled: its <style> applied; a violation would be dispatched in a task of its own once it was in the document.
    await page.waitForFunction(() => getComputedStyle(document.querySelector('seglet-panel')!).position === 'fixed', undefined, { timeout: 10_000 }).catch(() => undefined)
    await pageTime(page, 250)
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('seglet-panel')!).position)).toBe('fixed')
    expect((await probes(page)).errors).toEqual([])
    expect((await probes(page)).csp).toEqual([])
    await page.close()
  })
})
