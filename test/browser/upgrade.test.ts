// A shop that upgrades Seglet: for a while a browser or a CDN edge can serve a lazy part of one release next to
// the core of another (a cached core, a tab opened before the upload). These pages get parts whose interface is
// not the one the core expects, as another release's could be, and check that the page never sees an exception,
// that the failure is reported through onError, and that the shopper's stored data is neither lost nor kept
// against their wish.
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { databaseNames, probes, readDb, useHarness, waitForSeglet } from './helpers'

const h = useHarness()
const tagPage = (attrs: Record<string, string>) => h.baseUrl + '/test/browser/pages/tag.html?attrs=' + encodeURIComponent(JSON.stringify(attrs))

/** Serves `body` (an ES module) as `dist/<file>` to `page`. */
const servePart = (page: Page, file: string, body: string) =>
  page.route(`**/dist/${file}`, (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body }))

const call = (page: Page, method: string, ...args: unknown[]) =>
  page.evaluate(
    async ([method, args]) => {
      const api = (window as unknown as { Seglet: Record<string, (...a: unknown[]) => unknown> }).Seglet
      try {
        await api[method as string](...(args as unknown[]))
        return 'ok'
      } catch (error) {
        return `${(error as Error).name} ${(error as { code?: string }).code ?? ''}`.trim()
      }
    },
    [method, args] as const,
  )

async function returningShopper(page: Page, attrs: Record<string, string> = {}) {
  await page.goto(tagPage({ consent: 'granted', autocapture: 'false', ...attrs }))
  await waitForSeglet(page)
  await call(page, 'track', { type: 'search', query: 'boots' })
  await call(page, 'flush')
}

describe('a lazy part of another release', () => {
  it('a model part without the entry this core calls: model_failed, nothing escapes, events still stored, forget() deletes', async () => {
    const page = await h.newPage()
    await servePart(page, 'seglet-model.min.js', 'export function createParts() { return {} }')
    await returningShopper(page)
    await page.goto(tagPage({ consent: 'granted', autocapture: 'false', 'model-loading': 'eager' }))
    await waitForSeglet(page)
    await call(page, 'track', { type: 'search', query: 'scarf' })
    await call(page, 'flush')
    await expect.poll(async () => (await probes(page)).errors.map((e) => e.code), { timeout: 10_000 }).toContain('model_failed')
    expect((await readDb(page)).events.filter((e) => (e as { query?: string }).query).length).toBe(2)
    expect(await call(page, 'forget')).toBe('ok')
    expect(await databaseNames(page)).toEqual([])
    expect((await probes(page)).escaped).toEqual([])
    await page.close()
  })

  it('a blocks part without the entry this core calls: hook_failed, nothing escapes, blocks stay as the markup has them', async () => {
    const page = await h.newPage()
    await servePart(page, 'seglet-blocks.min.js', 'export const blocks = {}')
    await page.goto(tagPage({ consent: 'granted' }))
    await waitForSeglet(page)
    await expect.poll(async () => (await probes(page)).errors.map((e) => e.code), { timeout: 10_000 }).toContain('hook_failed')
    expect(await page.evaluate(() => ['intent-block', 'show-block', 'hide-block'].map((id) => document.getElementById(id)!.hidden))).toEqual([false, false, false])
    expect((await probes(page)).escaped).toEqual([])
    await page.close()
  })

  it('a bridges part without the mappers this core calls: reported, nothing escapes, the page view is stored', async () => {
    const page = await h.newPage()
    await servePart(page, 'seglet-bridges.min.js', 'export function createBridges() { return {} }')
    await page.goto(h.baseUrl + '/test/browser/pages/ga4.html')
    await waitForSeglet(page)
    await expect.poll(async () => (await probes(page)).errors.length, { timeout: 10_000 }).toBeGreaterThan(0)
    await page.evaluate(() => (window as unknown as { Seglet: { flush(): Promise<void> } }).Seglet.flush())
    expect((await readDb(page)).events.map((e) => e.type)).toContain('page_view')
    expect((await probes(page)).escaped).toEqual([])
    await page.close()
  })
})
