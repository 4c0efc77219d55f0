// A GA4 cart page whose shopper clicks "Checkout": the page pushes `begin_checkout` and navigates away in the same
// task. The script tag loads seglet-bridges.min.js at the page's first GA4 event (its `view_cart`), so the event is
// mapped at once and written as the page is left, not lost to a fetch the navigation cuts. A begin_checkout that is
// the page's first GA4 event cannot wait for that file: it is written at once as a bare begin_checkout, its kind only.
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { readDb, useHarness, waitForPageViewStored, waitForSeglet } from './helpers'

const h = useHarness()

const tagPage = () => `${h.baseUrl}/test/browser/pages/tag.html?attrs=${encodeURIComponent(JSON.stringify({ consent: 'granted' }))}`

/** Serves tag.html with `script` run in its head, before the tag. */
const withHeadScript = (page: Page, script: string) =>
  page.route('**/test/browser/pages/tag.html*', async (route) => {
    const response = await route.fetch()
    await route.fulfill({ response, body: (await response.text()).replace('<meta charset="utf-8">', `<meta charset="utf-8"><script>${script}</script>`) })
  })

const item = { item_id: 'mug', price: 12, quantity: 1 }

describe('a GA4 begin_checkout pushed as the page is left, script tag', () => {
  it('is stored: the bridges part was loaded at the cart page\'s view_cart', async () => {
    const page = await h.newPage()
    // A slow network for the bridges part: a fetch started only at the click would be cut by the navigation.
    await page.route('**/seglet-bridges.min.js', async (route) => {
      await new Promise((done) => setTimeout(done, 1_000))
      await route.continue()
    })
    await withHeadScript(page, `window.dataLayer = [{ event: 'view_cart', ecommerce: { currency: 'EUR', value: 12, items: [${JSON.stringify(item)}] } }]`)
    await page.goto(tagPage())
    await waitForSeglet(page)
    await page.waitForLoadState('networkidle')
    // The click: the push and the navigation in one task.
    await Promise.all([
      page.waitForNavigation(),
      page.evaluate((checkout) => {
        ;(window as unknown as { dataLayer: unknown[] }).dataLayer.push({ event: 'begin_checkout', ecommerce: checkout })
        location.href = '/test/browser/pages/tag.html?attrs=' + encodeURIComponent(JSON.stringify({ consent: 'granted' }))
      }, { currency: 'EUR', value: 12, items: [item] }),
    ])
    await waitForSeglet(page)
    const checkouts = (await readDb(page)).events.filter((e) => e.type === 'begin_checkout')
    expect(checkouts).toEqual([expect.objectContaining({ type: 'begin_checkout', value: 12, currency: 'EUR' })])
    await page.close()
  })

  it('is stored as a bare begin_checkout, nothing of the entry, when it is the page\'s first GA4 event and the page is left before the bridges part arrives', async () => {
    const page = await h.newPage()
    let bridgesAsked = 0
    // The bridges part never arrives on this page. The push asks for it in the task that navigates: whether that
    // request is sent before the navigation cancels it is the browser's timing (on a slow CPU it often is not).
    await page.route('**/seglet-bridges.min.js', async (route) => {
      if (++bridgesAsked === 1) return new Promise<void>(() => {})
      await route.continue()
    })
    await page.goto(tagPage())
    await waitForSeglet(page)
    // What is written as the page goes needs its database open, as it is once the page view is stored.
    await waitForPageViewStored(page)
    await Promise.all([
      page.waitForNavigation(),
      page.evaluate((checkout) => {
        const w = window as unknown as { dataLayer: unknown[] }
        ;(w.dataLayer ??= []).push({ event: 'begin_checkout', ecommerce: checkout })
        location.href = '/test/browser/pages/tag.html?attrs=' + encodeURIComponent(JSON.stringify({ consent: 'granted' }))
      }, { currency: 'EUR', value: 12, items: [item], user_data: { email: 'shopper@example.com' } }),
    ])
    await waitForSeglet(page)
    const { events } = await readDb(page)
    expect(events.filter((e) => e.type === 'begin_checkout').map(({ id: _id, ts: _ts, ...rest }) => rest)).toEqual([{ type: 'begin_checkout' }])
    expect(JSON.stringify(events)).not.toContain('example.com')
    await page.close()
  })
})
