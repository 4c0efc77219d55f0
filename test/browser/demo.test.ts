// The demo shop's banners in Chromium: they start hidden, appear when they match the shopper, and after an
// order the shop thanks instead of nudging towards an order.
import type { Page } from 'playwright-core'
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
