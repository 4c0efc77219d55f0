// seglet/react and seglet/vue in Vite-built apps (test/browser/apps/, the npm package as a bundler resolves it), in
// Firefox ESR over WebDriver BiDi: useSegment() on a client-rendered page; a server-rendered page hydrated without a
// warning; the segment hint cookie Firefox keeps and the server reads on the next request; no hint once consent is
// withdrawn.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error: plain ES module without types
import { startServer } from '../../scripts/serve.mjs'
import { buildApp, type BuiltApp } from '../browser/apps/buildApp'
import { probeScript, probes } from '../browser/helpers'
import { bandOf, shopInApp, type AppWindow } from '../browser/shopFixtures'
import { HAS_FIREFOX, launchFirefox, type Firefox, type Tab } from './firefox'

const asPage = (tab: Tab) => tab as unknown as Page
const segmentOf = (tab: Tab) => tab.evaluate(() => (window as unknown as AppWindow).segletApp.seglet.getSegment())
const textOf = (tab: Tab, id: string) => tab.evaluate((id) => document.getElementById(id)?.textContent ?? null, id)

/** A short session, through the app's Seglet: enough for a real (not cold-start) decision. */
async function shop(tab: Tab): Promise<void> {
  await tab.waitForFunction(() => (window as unknown as Partial<AppWindow>).segletApp !== undefined, undefined)
  await tab.evaluate(shopInApp)
}

for (const name of ['react', 'vue'] as const) {
  describe.skipIf(!HAS_FIREFOX)(`Firefox: seglet/${name} in a Vite-built app`, () => {
    let app: BuiltApp
    let firefox: Firefox
    let server: { url: string; close(): Promise<void> }

    beforeAll(async () => {
      app = await buildApp(name)
      server = await startServer({ mounts: { '/app/': app.client }, render: (req: import('node:http').IncomingMessage) => app.render(req) })
      firefox = await launchFirefox({ preload: [probeScript] })
    }, 180_000)

    afterAll(async () => {
      await firefox?.close()
      await server?.close()
      app?.remove()
    })

    it('useSegment() shows the segment Seglet decided, on a client-rendered page, and no segment after forget()', async () => {
      const tab = await firefox.newShopper()
      const from = firefox.requests.length
      await tab.goto(server.url + '/app/index.html')
      await tab.waitForFunction(() => document.getElementById('segment') !== null, undefined)
      await shop(tab)
      await tab.waitForFunction(() => {
        const segment = (window as unknown as AppWindow).segletApp.seglet.getSegment()
        return segment !== null && !segment.coldStart && document.getElementById('segment')?.textContent === `${segment.id} ${segment.intent.toFixed(2)}`
      }, undefined, { timeout: 20_000 })
      expect(await tab.getAttribute('html', 'data-seglet-segment')).toBe((await segmentOf(tab))!.id)
      // Forgotten: the hooks render the default again.
      await tab.evaluate(() => (window as unknown as AppWindow).segletApp.seglet.forget())
      await tab.waitForFunction(() => document.getElementById('segment')?.textContent === 'no segment yet', undefined)
      expect(await textOf(tab, 'offer')).toBe('Welcome')
      // The model came from the app's own bundle, on this origin (BiDi also reports `data:` URLs, which fetch nothing).
      expect(firefox.requests.slice(from).filter((u) => !u.startsWith(server.url) && !u.startsWith('data:'))).toEqual([])
      const t = await probes(asPage(tab))
      expect(t.network).toEqual([])
      expect(t.escaped).toEqual([])
      expect(tab.consoleProblems()).toEqual([])
      await tab.closeShopper()
    })

    it('a server-rendered page hydrates without a warning; the hint cookie is kept and the next page is rendered for it; none after consent is withdrawn', async () => {
      app.serverHints.length = 0
      const tab = await firefox.newShopper()
      await tab.goto(server.url + '/shop')
      expect(app.serverHints).toEqual([{ path: '/shop', hint: null }])
      await shop(tab)
      await tab.waitForFunction(() => (window as unknown as AppWindow).segletApp.seglet.getSegment()?.coldStart === false, undefined, { timeout: 20_000 })
      // Each decision rewrites the hint: wait for the one of the segment now shown.
      const segment = (await segmentOf(tab))!
      const hints = async () => (await tab.cookies()).filter((c) => c.name === 'seglet_hint')
      await expect.poll(async () => (await hints()).map((c) => c.value), { timeout: 15_000 }).toEqual([`${segment.id}.${bandOf(segment)}`])
      const [cookie] = await hints()
      expect(cookie).toMatchObject({ path: '/', sameSite: 'lax', httpOnly: false, secure: false })
      expect(cookie!.expiry! - Date.now() / 1000).toBeGreaterThan(1700)
      // Max-Age 1800: Firefox keeps the expiry in whole seconds, so it may round up past this second.
      expect(cookie!.expiry! - Date.now() / 1000).toBeLessThanOrEqual(1801)

      // The next page: the server reads the hint and renders for it; hydration keeps it.
      await tab.goto(server.url + '/shop/next')
      const expected = { segmentId: segment.id, intentBand: bandOf(segment) }
      expect(app.serverHints.at(-1)).toEqual({ path: '/shop/next', hint: expected })
      const offer = expected.intentBand === 'high' ? 'Free shipping today' : `Picked for ${expected.segmentId} (${expected.intentBand})`
      await tab.waitForFunction(() => (window as unknown as Partial<AppWindow>).segletApp !== undefined, undefined)
      expect(await textOf(tab, 'offer')).toBe(offer)
      // Hydrated: the app's own handler works on the server's button.
      await tab.click('#browse')
      await tab.waitForFunction(() => document.getElementById('segment')?.textContent !== 'no segment yet', undefined, { timeout: 15_000 })
      expect(await textOf(tab, 'offer')).toBeTruthy()
      expect(tab.consoleProblems()).toEqual([])

      // Consent withdrawn: the hint is gone, and the server sees none.
      await tab.evaluate(() => (window as unknown as AppWindow).segletApp.seglet.setConsent('denied'))
      expect(await hints()).toEqual([])
      await tab.goto(server.url + '/shop/after-denial?consent=denied')
      expect(app.serverHints.at(-1)).toEqual({ path: '/shop/after-denial', hint: null })
      expect((await probes(asPage(tab))).escaped).toEqual([])
      await tab.closeShopper()
    })
  })
}
