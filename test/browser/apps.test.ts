// seglet/react and seglet/vue in Vite-built apps (test/browser/apps/), in Chromium: useSegment() on a client-rendered
// page; a page server-rendered in Node (react-dom/server, vue/server-renderer) and hydrated without a warning; and
// the segment hint the server reads on the next request (readSegmentHint), absent without consent.
import type { ConsoleMessage, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp, type BuiltApp } from './apps/buildApp'
import { probes, useHarness } from './helpers'
import { bandOf, shopInApp, type AppWindow } from './shopFixtures'

/** Console errors and warnings of the page (React and Vue report hydration mismatches there). */
function watchConsole(page: Page): string[] {
  const messages: string[] = []
  page.on('console', (message: ConsoleMessage) => {
    // The app has no favicon: Chromium's request for one, when it makes it, is the browser's 404, not the app's.
    if (message.location().url.endsWith('/favicon.ico')) return
    if (message.type() === 'error' || message.type() === 'warning') messages.push(`${message.type()}: ${message.text()}`)
  })
  return messages
}

/** A short session, through the app's Seglet: enough for a real (not cold-start) decision. */
async function shop(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as unknown as Partial<AppWindow>).segletApp !== undefined)
  await page.evaluate(shopInApp)
}

const segmentOf = (page: Page) => page.evaluate(() => (window as unknown as AppWindow).segletApp.seglet.getSegment())

describe.each(['react', 'vue'] as const)('seglet/%s in a Vite-built app', (name) => {
  // Built once for the app, before its harness starts the server that serves it.
  let app: BuiltApp
  beforeAll(async () => {
    app = await buildApp(name)
  }, 180_000)
  afterAll(() => app?.remove())
  const h = useHarness({ server: () => ({ mounts: { '/app/': app.client }, render: (req) => app.render(req) }) })
  const hintCookies = async () => (await h.context.cookies()).filter((c) => c.name === 'seglet_hint')

  it('useSegment() shows the segment Seglet decided, on a client-rendered page, and no segment after forget()', async () => {
    const page = await h.newPage()
    const messages = watchConsole(page)
    await page.goto(h.baseUrl + '/app/index.html')
    await page.waitForSelector('#segment')
    await shop(page)
    await page.waitForFunction(() => document.documentElement.getAttribute('data-seglet-segment') !== null)
    await page.waitForFunction(() => {
      const segment = (window as unknown as AppWindow).segletApp.seglet.getSegment()
      return segment !== null && document.getElementById('segment')?.textContent === `${segment.id} ${segment.intent.toFixed(2)}`
    }, undefined, { timeout: 15_000 })
    const segment = await segmentOf(page)
    expect(await page.getAttribute('html', 'data-seglet-segment')).toBe(segment!.id)
    // Forgotten: the hooks render the default again (onSegment() callbacks never receive the cleared segment).
    await page.evaluate(() => (window as unknown as AppWindow).segletApp.seglet.forget())
    await page.waitForFunction(() => document.getElementById('segment')?.textContent === 'no segment yet', undefined, { timeout: 15_000 })
    expect(await page.textContent('#offer')).toBe('Welcome')
    // The lazy part came from the app's own bundle, on this origin.
    expect(h.requests.filter((u) => !u.startsWith(h.baseUrl))).toEqual([])
    expect((await probes(page)).network).toEqual([])
    expect(page.uncaughtErrors).toEqual([])
    expect(messages).toEqual([])
    await page.close()
  })

  it('a page rendered on the server hydrates without a warning, and the next page is rendered for the hint', async () => {
    app.serverHints.length = 0
    const page = await h.newPage()
    const messages = watchConsole(page)
    const first = await page.goto(h.baseUrl + '/shop')
    expect(await first!.text()).toContain('<p id="offer">Welcome</p>')
    expect(app.serverHints).toEqual([{ path: '/shop', hint: null }])
    await shop(page)
    await page.waitForFunction(() => (window as unknown as AppWindow).segletApp.seglet.getSegment()?.coldStart === false, undefined, { timeout: 15_000 })
    // Each decision rewrites the hint: wait for the one of the segment now shown.
    const segment = (await segmentOf(page))!
    await expect.poll(async () => (await hintCookies()).map((c) => c.value), { timeout: 15_000 }).toEqual([`${segment.id}.${bandOf(segment)}`])
    const [cookie] = await hintCookies()
    expect(cookie).toMatchObject({ value: `${segment.id}.${bandOf(segment)}`, path: '/', sameSite: 'Lax', httpOnly: false, secure: false })
    expect(cookie.expires - Date.now() / 1000).toBeGreaterThan(1700)
    expect(cookie.expires - Date.now() / 1000).toBeLessThanOrEqual(1800)

    // The next page: the server reads the hint and renders for it; hydration keeps it.
    const next = await page.goto(h.baseUrl + '/shop/next')
    const expected = { segmentId: segment.id, intentBand: bandOf(segment) }
    expect(app.serverHints.at(-1)).toEqual({ path: '/shop/next', hint: expected })
    const offer = expected.intentBand === 'high' ? 'Free shipping today' : `Picked for ${expected.segmentId} (${expected.intentBand})`
    expect(await next!.text()).toContain(`<p id="offer">${offer}</p>`)
    await page.waitForFunction(() => (window as unknown as Partial<AppWindow>).segletApp !== undefined)
    // Hydrated: the app's own handler works on the server's button.
    await page.click('#browse')
    await page.waitForFunction(() => document.getElementById('segment')?.textContent !== 'no segment yet', undefined, { timeout: 15_000 })
    expect(await page.textContent('#offer')).toBeTruthy()
    expect(page.uncaughtErrors).toEqual([])
    expect(messages.filter((m) => /hydrat|did not match|mismatch/i.test(m))).toEqual([])
    expect(messages).toEqual([])

    // Consent withdrawn: the hint is gone, and the server sees none.
    await page.evaluate(() => (window as unknown as AppWindow).segletApp.seglet.setConsent('denied'))
    expect(await hintCookies()).toEqual([])
    await page.goto(h.baseUrl + '/shop/after-denial?consent=denied')
    expect(app.serverHints.at(-1)).toEqual({ path: '/shop/after-denial', hint: null })
    await page.close()
  })

  it('writes no hint without consent, even when segments are decided in memory', async () => {
    app.serverHints.length = 0
    const page = await h.newPage()
    await page.goto(h.baseUrl + '/shop?consent=pending&without-consent')
    await shop(page)
    await page.waitForFunction(() => (window as unknown as AppWindow).segletApp.seglet.getSegment()?.coldStart === false, undefined, { timeout: 15_000 })
    await page.goto(h.baseUrl + '/shop/next?consent=pending&without-consent')
    expect(app.serverHints.map((r) => r.hint)).toEqual([null, null])
    expect(await h.context.cookies()).toEqual([])
    await page.close()
  })
})
