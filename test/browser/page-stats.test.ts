// The script tag reads `<meta name="seglet:page-stats">` with the bridges' code (seglet-bridges.min.js),
// loaded only on a page that has such a tag: the page view waits for it and carries the statistics; when the
// file cannot be loaded, the page view is still stored, without them, and the failure is reported.
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { databaseNames, probes, readDb, useHarness, waitForSeglet } from './helpers'

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
    // The page view taken as the page goes is written then only into a database the page has opened (README,
    // "Privacy"); the page opens it at its first read or write, which a slow CPU can leave for after the next click.
    await expect.poll(async () => (await databaseNames(page)).includes('seglet'), { timeout: 10_000 }).toBe(true)
    await page.goto(tagPage() + '&page=2')
    await waitForSeglet(page)
    await page.evaluate(() => (window as unknown as { Seglet: { flush(): Promise<void> } }).Seglet.flush())
    const views = async () => (await readDb(page)).events.filter((e) => e.type === 'page_view').map((e) => [new URL(String(e.url), 'http://x').searchParams.get('page'), e.stats])
    await expect.poll(views).toEqual([['1', undefined], ['2', { bounceRate: 0.25 }]])
    expect(page.uncaughtErrors).toEqual([])
    await page.close()
  })
})
