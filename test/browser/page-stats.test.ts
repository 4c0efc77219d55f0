// The script tag reads `<meta name="seglet:page-stats">` with the bridges' code (seglet-bridges.min.js),
// loaded only on a page that has such a tag: the page view waits for it and carries the statistics; when the
// file cannot be loaded, the page view is still stored, without them, and the failure is reported.
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { probes, readDb, useHarness, waitForSeglet } from './helpers'

const h = useHarness()

const tagPage = () => `${h.baseUrl}/test/browser/pages/tag.html?attrs=${encodeURIComponent(JSON.stringify({ consent: 'granted' }))}`

/** Serves tag.html with `meta` added to its head. */
const withMeta = (page: Page, meta: string) =>
  page.route('**/test/browser/pages/tag.html*', async (route) => {
    const response = await route.fetch()
    await route.fulfill({ response, body: (await response.text()).replace('<meta charset="utf-8">', `<meta charset="utf-8">${meta}`) })
  })

async function storedPageView(page: Page) {
  await waitForSeglet(page)
  await page.evaluate(() => (window as unknown as { Seglet: { flush(): Promise<void> } }).Seglet.flush())
  await expect.poll(async () => (await readDb(page)).events.filter((e) => e.type === 'page_view').length).toBe(1)
  return (await readDb(page)).events.find((e) => e.type === 'page_view')!
}

describe('page statistics from the meta tag, script tag', () => {
  it('a page without the tag (or JSON-LD) does not load the bridges part', async () => {
    const page = await h.newPage()
    await page.goto(tagPage())
    expect((await storedPageView(page)).stats).toBeUndefined()
    expect(h.requests.some((url) => url.includes('seglet-bridges.min.js'))).toBe(false)
    await page.close()
  })

  it('a page with the tag loads the bridges part, and its page view carries the statistics', async () => {
    const page = await h.newPage()
    await withMeta(page, '<meta name="seglet:page-stats" content="bounce=0.25;exit=0.5;value=12">')
    await page.goto(tagPage())
    expect((await storedPageView(page)).stats).toEqual({ bounceRate: 0.25, exitRate: 0.5, pageValue: 12 })
    expect(h.requests.some((url) => url.includes('seglet-bridges.min.js'))).toBe(true)
    expect((await probes(page)).errors).toEqual([])
    await page.close()
  })

  it('when the bridges part cannot be loaded, the page view is stored without the statistics and the failure reported', async () => {
    const page = await h.newPage()
    await withMeta(page, '<meta name="seglet:page-stats" content="bounce=0.25">')
    await page.route('**/seglet-bridges.min.js', (route) => route.abort())
    await page.goto(tagPage())
    const pageView = await storedPageView(page)
    expect(pageView.url).toContain('/test/browser/pages/tag.html')
    expect(pageView.stats).toBeUndefined()
    expect((await probes(page)).errors.length).toBeGreaterThan(0)
    await page.close()
  })

  it('when the shopper leaves before the bridges part arrives, the page view is stored without the statistics, not lost', async () => {
    const page = await h.newPage()
    // What the page hands IndexedDB once it is being left, noted where a page being unloaded still writes
    // synchronously. The browser commits that write as the page goes, as its best effort only (README,
    // "Privacy"): on a starved CPU, Chromium dropped 2 of 24 such writes the page had issued and committed.
    await page.addInitScript(() => {
      let left = false
      // Being left: from `beforeunload` (the store writes then too, before WebKit would suspend the page) to `pagehide`.
      for (const type of ['beforeunload', 'pagehide']) addEventListener(type, () => (left = true), true)
      const put = IDBObjectStore.prototype.put
      IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<typeof put>) {
        const event = args[0] as { type?: string; url?: string; stats?: unknown }
        if (left && event && event.type === 'page_view') {
          const noted = JSON.parse(localStorage.getItem('test:put-as-left') ?? '[]') as unknown[]
          noted.push([new URL(String(event.url), location.href).searchParams.get('page'), event.stats ?? null])
          localStorage.setItem('test:put-as-left', JSON.stringify(noted))
        }
        return put.apply(this, args)
      }
    })
    await withMeta(page, '<meta name="seglet:page-stats" content="bounce=0.25">')
    let bridgesAsked = 0
    // The first page's request for the bridges part never gets an answer; the next page's does.
    await page.route('**/seglet-bridges.min.js', async (route) => {
      if (++bridgesAsked === 1) return new Promise<void>(() => {})
      await route.continue()
    })
    await page.goto(tagPage() + '&page=1')
    await waitForSeglet(page)
    await expect.poll(() => bridgesAsked).toBe(1)
    // The page view taken as the page goes is written then only into a database this page has opened (README,
    // "Privacy"), which a slow CPU can leave for after the next click. A read of the store goes through the
    // page's own connection, and resolves once it is open.
    await page.evaluate(() => (window as unknown as { Seglet: { exportData(): Promise<unknown> } }).Seglet.exportData())
    await page.goto(tagPage() + '&page=2')
    await waitForSeglet(page)
    await page.evaluate(() => (window as unknown as { Seglet: { flush(): Promise<void> } }).Seglet.flush())
    // The first page wrote its page view, without the statistics, as it was left: at beforeunload, in that task.
    expect(JSON.parse((await page.evaluate(() => localStorage.getItem('test:put-as-left'))) ?? '[]')).toEqual([['1', null]])
    const views = async () => (await readDb(page)).events.filter((e) => e.type === 'page_view').map((e) => [new URL(String(e.url), 'http://x').searchParams.get('page'), e.stats])
    await expect.poll(async () => (await views()).filter(([p]) => p === '2')).toEqual([['2', { bounceRate: 0.25 }]])
    // And the browser committed it, unless it dropped the write as it unloaded the page.
    const stored = await views()
    expect(stored).toEqual(stored.some(([p]) => p === '1') ? [['1', undefined], ['2', { bounceRate: 0.25 }]] : [['2', { bounceRate: 0.25 }]])
    expect(page.uncaughtErrors).toEqual([])
    await page.close()
  })
})
