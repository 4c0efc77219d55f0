// A page hidden (the shopper switches tabs), left or put in the back/forward cache while something Seglet needs
// is still on its way: the bridges part (seglet-bridges.min.js, held back here with page.route) or the 100 ms
// an SPA navigation's page is given to render. What the shopper did there is kept.
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { probes, readDb, useHarness, waitForSeglet, withBfcachePage } from './helpers'

const h = useHarness()

const tagPage = (extra = '') => `${h.baseUrl}/test/browser/pages/tag.html?attrs=${encodeURIComponent(JSON.stringify({ consent: 'granted' }))}${extra}`

/** Serves tag.html with `head` added to its head, before the tag. */
const withHead = (page: Page, head: string) =>
  page.route('**/test/browser/pages/tag.html*', async (route) => {
    const response = await route.fetch()
    await route.fulfill({ response, body: (await response.text()).replace('<meta charset="utf-8">', `<meta charset="utf-8">${head}`) })
  })

/** Holds every request for the bridges part until the returned function is called. */
async function holdBridges(page: Page): Promise<{ asked: () => number; release: () => void }> {
  let asked = 0
  let release!: () => void
  const held = new Promise<void>((done) => (release = done))
  await page.route('**/seglet-bridges.min.js', async (route) => {
    asked++
    await held
    // The page may have gone meanwhile.
    await route.continue().catch(() => {})
  })
  return { asked: () => asked, release }
}

/** Headless Chromium keeps every tab visible: the switch of tabs is played in the page. */
const hideScript = `Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true }); document.dispatchEvent(new Event('visibilitychange'))`
const showScript = `Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true }); document.dispatchEvent(new Event('visibilitychange'))`

type W = { Seglet: { flush(): Promise<void> } }
const flush = (page: Page) => page.evaluate(() => (window as unknown as W).Seglet.flush())
const productLd = JSON.stringify({ '@context': 'https://schema.org', '@type': 'Product', sku: 'mug', name: 'Mug', offers: { '@type': 'Offer', price: 12, priceCurrency: 'EUR' } })
const purchase = { transaction_id: 'T-1', currency: 'EUR', value: 12, items: [{ item_id: 'mug', price: 12, quantity: 1 }] }

describe('a page hidden or left while Seglet waits, script tag', () => {
  it('a product page hidden while the bridges part is on its way: its page view at once, its product view when the part arrives', async () => {
    const page = await h.newPage()
    const bridges = await holdBridges(page)
    await withHead(page, `<script type="application/ld+json">${productLd}</script>`)
    await page.goto(tagPage())
    await waitForSeglet(page)
    await expect.poll(bridges.asked).toBe(1)
    await page.evaluate(hideScript)
    await expect.poll(async () => (await readDb(page)).events.filter((e) => e.type === 'page_view').length).toBe(1)
    bridges.release()
    // The shopper comes back to the tab.
    await page.evaluate(showScript)
    await flush(page)
    await expect.poll(async () => (await readDb(page)).events.filter((e) => e.type === 'product_view').map((e) => [e.productId, e.price, e.currency])).toEqual([['mug', 12, 'EUR']])
    expect((await readDb(page)).events.filter((e) => e.type === 'page_view')).toHaveLength(1)
    expect((await probes(page)).errors).toEqual([])
    await page.close()
  })

  it('an SPA navigation hidden and left within the time its page is given to render (a redirect right after it): that page keeps its page view', async () => {
    const page = await h.newPage()
    await page.goto(tagPage())
    await waitForSeglet(page)
    await flush(page)
    // The router's navigation and the page hidden and left in one task, before the new page is read: all of
    // it goes in the one write the hide starts (a write started later, queued behind an idle write still
    // running, may be cut by the navigation, which is not what this test is about).
    await Promise.all([
      page.waitForURL('**/blank.html'),
      page.evaluate(`history.pushState(null, '', '/cart'); ${hideScript}; location.href = '/test/browser/pages/blank.html'`),
    ])
    const pageViews = async () => (await readDb(page)).events.filter((e) => e.type === 'page_view').map((e) => [e.url, e.pageType])
    await expect.poll(pageViews).toEqual([[expect.stringContaining('/test/browser/pages/tag.html'), expect.any(String)], ['/cart', 'cart']])
    const { events } = await readDb(page)
    // Its engagement record and its page view are one page: the same address and page type.
    expect(events.filter((e) => e.type === 'engagement' && e.url === '/cart').map((e) => e.pageType)).toEqual(['cart'])
    await page.close()
  })

  it('a thank-you page hidden while the bridges part is on its way: the purchase is stored when the part arrives', async () => {
    const page = await h.newPage()
    const bridges = await holdBridges(page)
    await withHead(page, `<script>window.dataLayer = [{ event: 'purchase', ecommerce: ${JSON.stringify(purchase)} }]</script>`)
    await page.goto(tagPage())
    await waitForSeglet(page)
    await expect.poll(bridges.asked).toBe(1)
    await page.evaluate(hideScript)
    bridges.release()
    // Still hidden: the purchase is written as it is mapped, not at an idle time a hidden tab may never get.
    await expect.poll(async () => (await readDb(page)).events.filter((e) => e.type === 'purchase').map((e) => [e.orderId, e.value])).toEqual([['T-1', 12]])
    await page.close()
  })

  it('a page with a purchase and a product left for the next page while the bridges part is on its way and restored from the back/forward cache: the purchase and the product view are stored', async () => {
    await withBfcachePage(async (page, restored) => {
      const bridges = await holdBridges(page)
      await withHead(page, `<script>window.dataLayer = [{ event: 'purchase', ecommerce: ${JSON.stringify(purchase)} }]</script><meta name="seglet:page-stats" content="bounce=0.25"><script type="application/ld+json">${productLd}</script>`)
      await page.goto(tagPage())
      await waitForSeglet(page)
      await expect.poll(bridges.asked).toBe(1)
      await page.goto(h.baseUrl + '/test/browser/pages/blank.html')
      bridges.release()
      await page.goBack({ waitUntil: 'commit' })
      await restored()
      await flush(page)
      await expect.poll(async () => (await readDb(page)).events.filter((e) => e.type === 'purchase').map((e) => e.orderId)).toEqual(['T-1'])
      // Its page view was taken as it was left, once; its product view when the part arrived.
      expect((await readDb(page)).events.filter((e) => e.type === 'page_view')).toHaveLength(1)
      expect((await readDb(page)).events.filter((e) => e.type === 'product_view').map((e) => e.productId)).toEqual(['mug'])
      expect(bridges.asked()).toBe(1)
      expect((await probes(page)).escaped).toEqual([])
    })
  })
})
