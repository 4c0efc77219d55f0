// Errors a developer can see, and a script tag that holds in a broken environment: bad options are refused
// with a hint or reported in the console, a second init() is refused, consent and forget work in every
// state, and a broken platform (a throwing requestIdleCallback polyfill, a replaced Promise) never throws
// into the page.
import { describe, expect, it } from 'vitest'
import type { ConsoleMessage, Page } from 'playwright-core'
import { databaseNames, pageTime, probes, readDb, useHarness, waitForSeglet, waitForSegment } from './helpers'

type Api = Record<string, (...args: unknown[]) => unknown>

const h = useHarness()
const tagPage = (attrs: Record<string, string>) => h.baseUrl + '/test/browser/pages/tag.html?attrs=' + encodeURIComponent(JSON.stringify(attrs))

/** Calls `Seglet[method](...args)` in the page: what it returned (awaited) or threw, synchronously or not. */
const call = (page: Page, method: string, ...args: unknown[]) =>
  page.evaluate(
    async ([method, args]) => {
      const api = (window as unknown as { Seglet: Api }).Seglet
      let result: unknown
      try {
        result = api[method as string](...(args as unknown[]))
      } catch (error) {
        return { threw: true, name: (error as Error).name, code: (error as { code?: string }).code, message: (error as Error).message }
      }
      try {
        await result
        return { threw: false, rejected: false }
      } catch (error) {
        return { threw: false, rejected: true, code: (error as { code?: string }).code, message: String(error) }
      }
    },
    [method, args] as const,
  )

const warnings = (page: Page) => {
  const list: string[] = []
  page.on('console', (msg: ConsoleMessage) => {
    if (msg.type() === 'warning') list.push(msg.text())
  })
  return list
}

/** A page whose first visit stored something, so forget() has a database to delete. */
async function storeSomething(page: Page) {
  await page.goto(tagPage({ consent: 'granted' }))
  await waitForSeglet(page)
  await call(page, 'track', { type: 'search', query: 'boots' })
  await call(page, 'flush')
  expect(await databaseNames(page)).toEqual(['seglet'])
}

describe('errors a developer can see', () => {
  it('data-consent="yes" without onError is shown in the console, once, naming the attribute', async () => {
    const page = await h.newPage()
    // The probes register an onError through the queue; this page has none.
    await page.addInitScript(() => ((window as unknown as { seglet: unknown[] }).seglet = []))
    const seen = warnings(page)
    await page.goto(tagPage({ consent: 'yes', 'retention-days': 'forever' }))
    await waitForSeglet(page)
    await expect.poll(() => seen.some((text) => text.includes('invalid_option')), { timeout: 10_000 }).toBe(true)
    // Told at the start: a second telling would have come with the first.
    await pageTime(page, 100)
    const options = seen.filter((text) => text.includes('invalid_option'))
    expect(options).toHaveLength(1)
    expect(options[0]).toContain('data-consent')
    expect(options[0]).toContain('"yes"')
    await page.close()
  })

  it('with an onError queued before the tag, what the start reports goes to it alone: nothing in the console', async () => {
    const page = await h.newPage()
    // The probes queue an onError; this page's data layer is not an array (the GA4 bridge cannot start).
    await page.addInitScript(() => ((window as unknown as { dataLayer: unknown }).dataLayer = { push() {} }))
    const seen = warnings(page)
    await page.goto(tagPage({ consent: 'yes' }))
    await waitForSeglet(page)
    await expect.poll(async () => (await probes(page)).errors.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2)
    // What went to onError would have gone to the console at the same time; one more report had 100 ms more.
    await pageTime(page, 100)
    expect((await probes(page)).errors.map((e) => e.code)).toEqual(['invalid_option', 'bridge_invalid'])
    expect(seen).toEqual([])
    await page.close()
  })

  it('init() with a misspelt option throws an OptionsError that suggests the right one, and starts nothing', async () => {
    const page = await h.newPage()
    await page.goto(tagPage({ autostart: 'false' }))
    await waitForSeglet(page)
    const result = await call(page, 'init', { consnet: 'granted' })
    expect(result).toMatchObject({ threw: true, name: 'OptionsError', code: 'invalid_option' })
    expect(result.message).toBe("unknown option 'consnet' — did you mean 'consent'?")
    expect(await call(page, 'track', { type: 'search', query: 'x' })).toMatchObject({ threw: true, code: 'not_started' })
    await page.close()
  })

  it('a second init() throws already_started (directly) or is reported (queued); consent stays', async () => {
    const page = await h.newPage()
    await page.goto(tagPage({ consent: 'granted' }))
    await waitForSeglet(page)
    expect(await call(page, 'init', { consent: 'denied' })).toMatchObject({ threw: true, code: 'already_started' })
    await page.evaluate(() => (window as unknown as { seglet: unknown[] }).seglet.push(['init', { consent: 'denied' }]))
    expect((await probes(page)).errors.map((e) => e.code)).toContain('already_started')
    expect(await page.evaluate(() => (window as unknown as { Seglet: { getConsent(): string } }).Seglet.getConsent())).toBe('granted')
    await page.close()
  })

  it("setConsent('true') and onSegment(42) throw an OptionsError at the call; nothing rejects unhandled", async () => {
    const page = await h.newPage()
    await page.goto(tagPage({ consent: 'granted' }))
    await waitForSeglet(page)
    expect(await call(page, 'setConsent', 'true')).toMatchObject({ threw: true, name: 'OptionsError', code: 'invalid_option' })
    expect(await call(page, 'onSegment', 42)).toMatchObject({ threw: true, name: 'OptionsError', code: 'invalid_option' })
    // A promise rejected unhandled is told in a task queued at the end of the task it was rejected in: before this timer.
    await pageTime(page, 100)
    expect((await probes(page)).escaped).toEqual([])
    await page.close()
  })

  it('an error message never shows the credentials of a pack URL', async () => {
    const page = await h.newPage()
    const url = h.baseUrl.replace('http://', 'http://shop:s3cret@') + '/packs/session.json'
    await page.goto(tagPage({ consent: 'granted', 'pack-url': url, 'pack-integrity': 'sha256-' + 'A'.repeat(43) + '=' }))
    await waitForSeglet(page)
    await call(page, 'track', { type: 'page_view', url: '/', pageType: 'home' })
    await call(page, 'flush')
    await page.waitForFunction(() => (window as unknown as { __t: { errors: { code: string }[] } }).__t.errors.some((e) => e.code.startsWith('pack_')), undefined, { timeout: 15_000 })
    const errors = (await probes(page)).errors
    expect(errors.length).toBeGreaterThan(0)
    for (const e of errors) expect(e.message).not.toContain('s3cret')
    expect(errors.find((e) => e.code.startsWith('pack_'))!.message).toContain('//…@')
    await page.close()
  })
})

describe('data-autostart="false", then Seglet.init() called directly', () => {
  it('runs the commands queued before and after: none waits for a queued init', async () => {
    const page = await h.newPage()
    // The README's queue file, and a tag that waits for the page to start Seglet.
    await page.addInitScript(() => {
      const w = window as unknown as { seglet: unknown[]; __seen?: number }
      w.seglet.push(['track', { type: 'search', query: 'queued before' }], ['onSegment', () => (w.__seen = (w.__seen ?? 0) + 1)])
    })
    await page.goto(tagPage({ consent: 'granted', autostart: 'false', autocapture: 'false' }))
    await waitForSeglet(page)
    await page.evaluate(() => (window as unknown as { seglet: unknown[] }).seglet.push(['track', { type: 'search', query: 'queued after' }]))
    expect(await call(page, 'init')).toEqual({ threw: false, rejected: false })
    await page.evaluate(() => (window as unknown as { seglet: unknown[] }).seglet.push(['track', { type: 'search', query: 'pushed once running' }]))
    expect(await call(page, 'flush')).toEqual({ threw: false, rejected: false })
    await page.waitForFunction(() => (window as unknown as { __seen?: number }).__seen! > 0)
    const { events } = await readDb(page)
    expect(events.filter((e) => e.type === 'search').map((e) => e.query)).toEqual(['queued before', 'queued after', 'pushed once running'])
    const t = await probes(page)
    expect(t.errors).toEqual([])
    expect(t.escaped).toEqual([])
    await page.close()
  })
})

describe('forget() and setConsent() in every state', () => {
  it("with data-autostart=\"false\", a queued ['forget'] deletes the database before init, as Seglet.forget() does", async () => {
    const page = await h.newPage()
    await storeSomething(page)
    await page.goto(tagPage({ autostart: 'false' }))
    await waitForSeglet(page)
    await page.evaluate(() => (window as unknown as { seglet: unknown[] }).seglet.push(['forget']))
    await page.waitForFunction(async () => (await indexedDB.databases()).length === 0, undefined, { timeout: 5_000 })
    expect(await databaseNames(page)).toEqual([])
    await page.close()
  })

  it("with data-autostart=\"false\", an ['onError', fn] pushed before init gets what the start reported", async () => {
    const page = await h.newPage()
    // No probes' listener: the page's own, pushed once the tag has run, is the first.
    await page.addInitScript(() => ((window as unknown as { seglet: unknown[] }).seglet = []))
    await page.goto(tagPage({ autostart: 'false', consent: 'yes' }))
    await waitForSeglet(page)
    const codes = await page.evaluate(() => {
      const w = window as unknown as { seglet: unknown[]; __late: string[] }
      w.__late = []
      w.seglet.push(['onError', (e: { code: string }) => w.__late.push(e.code)])
      return w.__late
    })
    expect(codes).toEqual(['invalid_option'])
    await page.close()
  })

  it('Seglet.forget() before init deletes the database and the segment hint cookie', async () => {
    const page = await h.newPage()
    await storeSomething(page)
    await page.goto(tagPage({ autostart: 'false' }))
    await waitForSeglet(page)
    // Written by an earlier page of a shop with personalize.segmentHint on.
    await page.evaluate(() => void (document.cookie = 'seglet_hint=casual-browser.medium; Path=/'))
    expect(await call(page, 'forget')).toEqual({ threw: false, rejected: false })
    expect(await databaseNames(page)).toEqual([])
    expect(await page.evaluate(() => document.cookie)).not.toContain('seglet_hint')
    await page.close()
  })

  it("setConsent('denied') before init deletes the database, and init() then starts denied", async () => {
    const page = await h.newPage()
    await storeSomething(page)
    await page.goto(tagPage({ autostart: 'false', consent: 'granted' }))
    await waitForSeglet(page)
    expect(await call(page, 'setConsent', 'denied')).toEqual({ threw: false, rejected: false })
    expect(await databaseNames(page)).toEqual([])
    await call(page, 'init')
    expect(await page.evaluate(() => (window as unknown as { Seglet: { getConsent(): string } }).Seglet.getConsent())).toBe('denied')
    await call(page, 'track', { type: 'search', query: 'x' })
    await call(page, 'flush')
    expect(await databaseNames(page)).toEqual([])
    await page.close()
  })

  it('a throwing requestIdleCallback polyfill: no error reaches the page, and forget() and setConsent() work', async () => {
    const page = await h.newPage()
    await storeSomething(page)
    await page.addInitScript(() => {
      window.requestIdleCallback = () => {
        throw new TypeError('requestIdleCallback polyfill is broken')
      }
    })
    await page.goto(tagPage({ consent: 'granted' }))
    await waitForSeglet(page)
    expect(await call(page, 'track', { type: 'search', query: 'after' })).toEqual({ threw: false, rejected: false })
    expect(await call(page, 'setConsent', 'denied')).toEqual({ threw: false, rejected: false })
    expect(await databaseNames(page)).toEqual([])
    expect(await call(page, 'setConsent', 'granted')).toEqual({ threw: false, rejected: false })
    expect(await call(page, 'forget')).toEqual({ threw: false, rejected: false })
    expect(await databaseNames(page)).toEqual([])
    await pageTime(page, 200)
    expect((await probes(page)).escaped).toEqual([])
    expect(page.uncaughtErrors).toEqual([])
    await page.close()
  })

  it('a page that removed its <head>: a first page view one short of a decision prefetches nothing and throws nothing', async () => {
    const page = await h.newPage()
    await page.addInitScript(() => document.addEventListener('DOMContentLoaded', () => document.head.remove()))
    await page.goto(tagPage({ consent: 'granted' }))
    // The model part's prefetch comes PREFETCH_AFTER_MS (5 s, src/core/createSeglet.ts) after the first
    // decision (the cold-start segment applied, which sets its timer), when the page is idle: timed on the page's
    // clock from that decision, then 250 ms for a request it made to be seen here.
    await waitForSegment(page)
    await pageTime(page, 5_000)
    await pageTime(page, 250)
    expect(h.requests.filter((url) => url.includes('seglet-model'))).toEqual([])
    expect((await probes(page)).escaped).toEqual([])
    expect(page.uncaughtErrors).toEqual([])
    await page.close()
  })

  it('a replaced window.Promise: track() does not throw, nothing escapes into the page, segments still come', async () => {
    const page = await h.newPage()
    await page.addInitScript(() => {
      ;(window as unknown as { Promise: unknown }).Promise = function NotAPromise() {
        throw new TypeError('not a real Promise')
      }
    })
    await page.goto(tagPage({ consent: 'granted' }))
    // Polled from here: the test tool's own in-page waiting needs the page's Promise.
    const poll = async (read: () => unknown) => {
      for (let i = 0; i < 150; i++) {
        const value = await page.evaluate(read)
        if (value) return value
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      return undefined
    }
    expect(await poll(() => !Array.isArray((window as unknown as { seglet?: unknown }).seglet))).toBe(true)
    expect(await page.evaluate(() => {
      try {
        ;(window as unknown as { Seglet: Api }).Seglet.track({ type: 'search', query: 'x' })
        return 'ok'
      } catch (error) {
        return String(error)
      }
    })).toBe('ok')
    const segment = await poll(() => document.documentElement.getAttribute('data-seglet-segment'))
    expect(segment).toBeTruthy()
    expect((await probes(page)).escaped).toEqual([])
    expect(page.uncaughtErrors).toEqual([])
    await page.close()
  })

  it('a returning shopper\'s page without seglet-prune.min.js: reported once through onError, events still stored; exportData() rejects until the file is back', async () => {
    const page = await h.newPage()
    await storeSomething(page)
    await page.route('**/dist/seglet-prune.min.js', (route) => route.fulfill({ status: 404, body: 'not here' }))
    await page.goto(tagPage({ consent: 'granted', autocapture: 'false' }))
    await waitForSeglet(page)
    for (const query of ['boots', 'scarf', 'hat']) {
      await call(page, 'track', { type: 'search', query })
      expect(await call(page, 'flush')).toEqual({ threw: false, rejected: false })
    }
    const t = await probes(page)
    expect(t.escaped).toEqual([])
    const missing = t.errors.filter((e) => e.message.includes('seglet-prune.min.js'))
    expect(missing).toHaveLength(1)
    expect(missing[0]).toMatchObject({ code: 'model_failed', name: 'SegletError' })
    // The export needs the same file: its promise rejects, nothing escapes.
    expect(await call(page, 'exportData')).toMatchObject({ threw: false, rejected: true, code: 'model_failed' })
    // The events are stored all the same.
    await page.unroute('**/dist/seglet-prune.min.js')
    const data = (await page.evaluate(() => (window as unknown as { Seglet: { exportData(): Promise<{ events: { query?: string }[] }> } }).Seglet.exportData())) as { events: { query?: string }[] }
    expect(data.events.filter((e) => e.query).map((e) => e.query)).toEqual(['boots', 'boots', 'scarf', 'hat'])
    await page.close()
  })
})

describe('a busy page', () => {
  it('200,000 nodes inserted in one task: the blocks observer throws nothing into the page and still applies blocks', async () => {
    const page = await h.newPage()
    await page.goto(tagPage({ consent: 'granted' }))
    const segment = await waitForSegment(page)
    await page.waitForFunction(() => document.getElementById('show-block')!.hidden === (document.documentElement.getAttribute('data-seglet-segment') !== 'new-visitor'))
    const hidden = await page.evaluate(async (segment) => {
      // One MutationObserver callback with 200,000 records, as a list rendered node by node.
      const list = document.createElement('div')
      document.body.append(list)
      for (let i = 0; i < 200_000; i++) list.appendChild(document.createElement('i'))
      const block = document.createElement('div')
      block.setAttribute('data-seglet-hide', segment)
      list.append(block)
      // The observer's callback takes its time with 200,000 records: wait for the block, up to 20 s.
      for (const until = performance.now() + 20_000; !block.hidden && performance.now() < until; ) await new Promise((resolve) => setTimeout(resolve, 20))
      return block.hidden
    }, segment)
    expect(hidden).toBe(true)
    expect((await probes(page)).escaped).toEqual([])
    expect(page.uncaughtErrors).toEqual([])
    await page.close()
  })
})
