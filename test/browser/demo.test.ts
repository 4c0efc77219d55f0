// The demo shop's banners in Chromium: they start hidden, appear when they match the shopper, and after an
// order the shop thanks instead of nudging towards an order.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ConsoleMessage, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { buyFromProductPage, expectHooksMatch, probes, readHooks, useHarness, waitForSegment } from './helpers'

const h = useHarness({ csp: true })

/** The banners a shopper sees (rendered), by class. */
const visibleBanners = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.banner')].filter((b) => b.offsetParent !== null).map((b) => b.className.replace('banner ', '')),
  )

describe('demo shop banners', () => {
  it('follow the segment, and after an order thank the shopper instead of asking them to order', async () => {
    const page = await h.newPage()
    await page.goto(h.baseUrl + '/')
    expect(await waitForSegment(page)).toBe('new-visitor')
    expect(await visibleBanners(page)).toContain('welcome')
    expectHooksMatch(await readHooks(page))

    await page.goto(h.baseUrl + '/products/the-salt-road.html')
    await waitForSegment(page)
    await buyFromProductPage(page)
    const after = await visibleBanners(page)
    for (const nudge of ['intent', 'reassure', 'returning', 'welcome']) expect(after).not.toContain(nudge)

    // The rest of the visit: thanks, no nudge, whatever the segment (Seglet still manages the blocks).
    await page.goto(h.baseUrl + '/')
    await waitForSegment(page)
    await page.waitForFunction(() => (window as unknown as { __t: { segments: unknown[] } }).__t.segments.length > 0)
    const home = await visibleBanners(page)
    expect(home).toEqual(['ordered'])
    expectHooksMatch(await readHooks(page))

    // A new basket: the usual banners again.
    await page.goto(h.baseUrl + '/products/winter-harbour.html')
    await waitForSegment(page)
    await page.click('[data-demo-action="add"]')
    expect(await visibleBanners(page)).not.toContain('ordered')
    const t = await probes(page)
    expect(t.csp).toEqual([])
    expect(t.escaped).toEqual([])
    expect(t.errors).toEqual([])
  })
})

describe('demo shop segment badge', () => {
  it('says there is no segment after "Forget me", as the panel does', async () => {
    const page = await h.newPage()
    await page.goto(h.baseUrl + '/')
    expect(await waitForSegment(page)).toBe('new-visitor')
    // The first page's default has no measured intent: the badge gives none.
    await expect.poll(() => page.textContent('#segment-badge')).toBe('New visitor')
    await page.evaluate(() => (window as unknown as { Seglet: { forget(): Promise<void> } }).Seglet.forget())
    await page.waitForFunction(() => !document.documentElement.hasAttribute('data-seglet-segment'))
    await expect.poll(() => page.textContent('#segment-badge')).toBe('no segment yet')
    // The next decision shows again.
    await page.goto(h.baseUrl + '/collections/fiction.html')
    await waitForSegment(page)
    await expect.poll(() => page.textContent('#segment-badge')).not.toBe('no segment yet')
    expect((await probes(page)).errors).toEqual([])
  })
})

describe('demo shop checkout', () => {
  it("counts a book added to the cart in the header at once", async () => {
    const page = await h.newPage()
    await page.goto(h.baseUrl + '/products/winter-harbour.html')
    await waitForSegment(page)
    expect(await page.textContent('#cart-count')).toBe('0')
    await page.click('[data-demo-action="add"]')
    expect(await page.textContent('#cart-count')).toBe('1')
  })

  it('begins no checkout and places no order from an empty cart, nor twice from one cart', async () => {
    const page = await h.newPage()
    const orders = () =>
      page.evaluate(async () => {
        const w = window as unknown as { Seglet: { flush(): Promise<void>; exportData(): Promise<{ events: Array<{ type: string }> }> } }
        await w.Seglet.flush()
        return (await w.Seglet.exportData()).events.filter((e) => e.type === 'purchase').length
      })
    // To the checkout with nothing in the cart: no checkout begins, no order is placed.
    await page.goto(h.baseUrl + '/cart.html')
    await waitForSegment(page)
    await page.click('[data-demo-action="checkout"]')
    await page.waitForURL('**/checkout.html')
    await waitForSegment(page)
    expect(await page.evaluate(async () => {
      const w = window as unknown as { Seglet: { flush(): Promise<void>; exportData(): Promise<{ events: Array<{ type: string }> }> } }
      await w.Seglet.flush()
      return (await w.Seglet.exportData()).events.filter((e) => e.type === 'begin_checkout').length
    })).toBe(0)
    await page.click('[data-demo-action="buy"]')
    expect(await page.isVisible('#thanks')).toBe(false)
    expect(await page.isVisible('#empty')).toBe(true)
    expect(await orders()).toBe(0)

    await page.goto(h.baseUrl + '/products/the-salt-road.html')
    await waitForSegment(page)
    await buyFromProductPage(page)
    // A second click on "Place order" after the thanks: the cart is empty again.
    await page.click('[data-demo-action="buy"]')
    expect(await orders()).toBe(1)
    expect((await probes(page)).errors).toEqual([])
  })
})

describe('every page of the demo shop and the npm example, as a developer serves them', () => {
  /** Every page under examples/storefront, as its URL path, and the npm example's page. */
  const pages = (() => {
    const root = fileURLToPath(new URL('../../examples/storefront/', import.meta.url))
    const walk = (dir: string): string[] =>
      readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.html') ? [`/${join(dir, e.name)}`] : []))
    return [...walk('').sort(), '/examples/bundler/index.html']
  })()

  it('load with no page error, console error or warning, CSP violation, failed request or request off the origin', async () => {
    expect(pages.length).toBeGreaterThan(10)
    const page = await h.newPage()
    const problems: string[] = []
    const origin = new URL(h.baseUrl).origin
    page.on('console', (m: ConsoleMessage) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${page.url()}: console ${m.type()}: ${m.text()} (${m.location().url})`)
    })
    page.on('request', (r) => {
      if (new URL(r.url()).origin !== origin) problems.push(`${page.url()}: request off the origin: ${r.url()}`)
    })
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${page.url()}: ${r.status()} ${r.url()}`)
    })
    for (const path of pages) {
      await page.goto(h.baseUrl + path)
      await waitForSegment(page)
      // A click on every demo action the page has, except those that leave it.
      for (const action of ['add', 'search', 'buy', 'panel']) {
        if (await page.$(`[data-demo-action="${action}"]`)) await page.click(`[data-demo-action="${action}"]`)
      }
      const t = await probes(page)
      expect(t.csp, path).toEqual([])
      expect(t.escaped, path).toEqual([])
      expect(t.errors, path).toEqual([])
      expect(t.network.filter((n) => !n.includes(origin)), path).toEqual([])
      // The npm example reports through its own onError, not the queue's.
      expect(await page.evaluate(() => (window as unknown as { segletApp?: { errors: unknown[] } }).segletApp?.errors ?? []), path).toEqual([])
    }
    expect(page.uncaughtErrors).toEqual([])
    expect(problems).toEqual([])
  })

  it("the npm example's personalised banner stays out of sight until Seglet has decided, as the README says to write it", async () => {
    const page = await h.newPage()
    // The app's script arrives late (a slow network): the page is drawn before Seglet runs.
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    await page.route('**/examples/bundler/dist/app.js', async (route) => {
      await held
      await route.continue()
    })
    // A module script holds DOMContentLoaded back: wait for the parsed banner instead.
    await page.goto(h.baseUrl + '/examples/bundler/index.html', { waitUntil: 'commit' })
    await page.waitForSelector('.banner.intent', { state: 'attached' })
    const intentBannerShown = () => page.evaluate(() => (document.querySelector('.banner.intent') as HTMLElement).offsetParent !== null)
    expect(await intentBannerShown()).toBe(false)
    release()
    expect(await waitForSegment(page)).toBe('new-visitor')
    expect(await intentBannerShown()).toBe(false)
    // The first page's default has no measured intent: the app's badge gives none.
    await expect.poll(() => page.textContent('#segment-badge')).toBe('New visitor')
    await page.close()
  })
})
