// The page's lifecycle as a shop's pages go through it: a page that forgets the shopper and is left for the next page,
// kept in the back/forward cache.
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { databaseNames, probes, readDb, useHarness, waitForSeglet, withBfcachePage } from './helpers'

const h = useHarness()

const tagPage = (extra = '') => `${h.baseUrl}/test/browser/pages/tag.html?attrs=${encodeURIComponent(JSON.stringify({ consent: 'granted' }))}${extra}`

type W = { Seglet: { flush(): Promise<void>; forget(): Promise<void> } }
const flush = (page: Page) => page.evaluate(() => (window as unknown as W).Seglet.flush())

describe('the back/forward cache', () => {
  it('a page that forgot the shopper and was left for the next page, kept in the cache: the next pages of the shop still store their events', async () => {
    await withBfcachePage(async (page, restored) => {
      await page.goto(tagPage())
      await waitForSeglet(page)
      await flush(page)
      await page.evaluate(() => (window as unknown as W).Seglet.forget())
      expect(await databaseNames(page)).toEqual([])
      // The shopper goes on to the next page; the page that forgot goes into the back/forward cache as it is left.
      await page.goto(tagPage('&next'))
      await waitForSeglet(page)
      await expect
        .poll(async () => (await readDb(page)).events.filter((e) => e.type === 'page_view').map((e) => String(e.url).endsWith('&next')), { timeout: 10_000 })
        .toEqual([true])
      const next = await probes(page)
      expect(next.errors).toEqual([])
      expect(next.escaped).toEqual([])
      // Back: the page that forgot comes from the cache (so it was there), and what it tracked since is written.
      await page.goBack({ waitUntil: 'commit' })
      await restored()
      await flush(page)
      const events = (await readDb(page)).events
      expect(events.filter((e) => e.type === 'engagement' && !String(e.url).endsWith('&next'))).toHaveLength(1)
      const back = await probes(page)
      expect(back.errors).toEqual([])
      expect(back.escaped).toEqual([])
    })
  })
})
