// The page's lifecycle as a shop's pages go through it: a page that forgets the shopper and is left for the next page,
// kept in the back/forward cache.
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { databaseNames, pageTime, probes, readDb, useHarness, waitForSeglet, withBfcachePage } from './helpers'

const h = useHarness()

const tagPage = (extra = '') => `${h.baseUrl}/test/browser/pages/tag.html?attrs=${encodeURIComponent(JSON.stringify({ consent: 'granted' }))}${extra}`

type W = { Seglet: { flush(): Promise<void>; forget(): Promise<void>; track(event: unknown): void } }
const flush = (page: Page) => page.evaluate(() => (window as unknown as W).Seglet.flush())
/** Headless Chromium keeps every tab visible: the switch of tabs is played in the page. */
const setVisibility = (page: Page, state: 'hidden' | 'visible') =>
  page.evaluate((state) => {
    Object.defineProperty(document, 'visibilityState', { value: state, configurable: true })
    document.dispatchEvent(new Event('visibilitychange'))
  }, state)
/**
 * Lets `ms` of the page's own time pass: every timer the page set before, due within `ms`, has fired (a busy
 * machine holds back this timer as it holds back those). No idle callback is asked for, as the test counts them.
 */
const pageTimers = (page: Page, ms: number) => page.evaluate((ms) => new Promise((done) => setTimeout(done, ms)), ms)

/**
 * Opens the tag page, has Seglet forget the shopper (its database is deleted), and goes on to the shop's next
 * page: the page that forgot goes into the back/forward cache as it is left.
 */
async function forgetThenLeave(page: Page): Promise<void> {
  await page.goto(tagPage())
  await waitForSeglet(page)
  await flush(page)
  await page.evaluate(() => (window as unknown as W).Seglet.forget())
  expect(await databaseNames(page)).toEqual([])
  await page.goto(tagPage('&next'))
  await waitForSeglet(page)
}

describe('the back/forward cache', () => {
  it('a page that forgot the shopper and was left for the next page, kept in the cache: the next pages of the shop still store their events', async () => {
    await withBfcachePage(async (page, restored) => {
      await forgetThenLeave(page)
      await expect
        .poll(async () => (await readDb(page)).events.filter((e) => e.type === 'page_view').map((e) => String(e.url).endsWith('&next')), { timeout: 10_000 })
        .toEqual([true])
      const next = await probes(page)
      expect(next.errors).toEqual([])
      expect(next.escaped).toEqual([])
      // Back: the page that forgot comes from the cache (so it was there) and writes nothing of its own: what it
      // tracked since "Forget me", and its page view's visible time from before, stayed in its memory.
      await page.goBack({ waitUntil: 'commit' })
      await restored()
      await page.evaluate(() => (window as unknown as W).Seglet.track({ type: 'search', query: 'after the cache' }))
      await flush(page)
      // What the flush found to write is written by now; the rest of the page's timers and idle work had their time.
      await pageTime(page, 500)
      const events = (await readDb(page)).events
      expect(events.filter((e) => !String(e.url ?? '&next').endsWith('&next'))).toEqual([])
      expect(events.filter((e) => e.type === 'page_view')).toHaveLength(1)
      const back = await probes(page)
      expect(back.errors).toEqual([])
      expect(back.escaped).toEqual([])
    })
  })
})

describe('a hidden tab', () => {
  it('that forgot the shopper neither wakes to write what it tracks nor writes it once shown again', async () => {
    const page = await h.newPage()
    await page.goto(tagPage())
    await waitForSeglet(page)
    await flush(page)
    await setVisibility(page, 'hidden')
    // The write the hide started (the page's engagement so far) settles first, and the decision it schedules with
    // it: only what comes after forget() is counted.
    await flush(page)
    await page.evaluate(async () => {
      const w = window as unknown as W & { __idle: number }
      const idle = window.requestIdleCallback
      w.__idle = 0
      window.requestIdleCallback = (callback, options) => (w.__idle++, idle(callback, options))
      await w.Seglet.forget()
      w.Seglet.track({ type: 'search', query: 'linen shirt' })
    })
    const idleCallbacks = () => page.evaluate(() => (window as unknown as { __idle: number }).__idle)
    // At most the one decision the tracked event schedules (from what the page keeps in memory), and no write.
    await pageTimers(page, 500)
    const first = await idleCallbacks()
    expect(first).toBeLessThanOrEqual(1)
    await pageTimers(page, 3000) // three flush delays more (DEFAULT_FLUSH_DELAY_MS, 1 s), on the page's clock
    expect(await idleCallbacks()).toBe(first)
    expect(await databaseNames(page)).toEqual([])
    await setVisibility(page, 'visible')
    await flush(page)
    await pageTime(page, 500)
    expect(await databaseNames(page)).toEqual([])
    // Kept in the page's memory: its decisions and exportData() have it.
    expect(await page.evaluate(() => (window as unknown as { Seglet: { exportData(): Promise<{ events: { query?: string }[] }> } }).Seglet.exportData().then((d) => d.events.map((e) => e.query)))).toContain('linen shirt')
    const t = await probes(page)
    expect(t.errors).toEqual([])
    expect(t.escaped).toEqual([])
    await page.close()
  })
})

describe('a link that leaves the page where it is', () => {
  it('a mailto: link, for which Chromium fires beforeunload and keeps the page: the visible time written then, and it goes on', async () => {
    const page = await h.newPage()
    await page.goto(tagPage())
    await waitForSeglet(page)
    await flush(page)
    await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<a id="write-to-us" href="mailto:shop@example.com">Write to us</a>'))
    const left = page.evaluate(() => new Promise((fired) => addEventListener('beforeunload', () => fired(true), { once: true })))
    await page.click('#write-to-us')
    expect(await left).toBe(true)
    const visibleMs = async () => {
      await flush(page)
      const records = (await readDb(page)).events.filter((e) => e.type === 'engagement') as unknown as { visibleMs: number }[]
      expect(records).toHaveLength(1)
      return records[0].visibleMs
    }
    const atClick = await visibleMs()
    expect(page.url()).toBe(tagPage())
    await pageTimers(page, 1500)
    // A normal write (a tracked event) carries the page's time so far: 1.5 s more, not the time at the click.
    await page.evaluate(() => (window as unknown as W).Seglet.track({ type: 'search', query: 'gift card' }))
    expect((await visibleMs()) - atClick).toBeGreaterThanOrEqual(1400)
    const t = await probes(page)
    expect(t.errors).toEqual([])
    expect(t.escaped).toEqual([])
    await page.close()
  })
})
