// The store under attack, in headless Chromium: consent withdrawn on an earlier visit or by GPC, a deletion
// another tab blocks, a page that calls track() 100,000 times, a pack far over the size cap, a clock set
// years ahead, and a page that breaks Array.prototype.push.
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { databaseNames, probes, readDb, useHarness, waitForSeglet } from './helpers'

type SegletWindow = {
  Seglet: {
    track(e: unknown): void
    flush(): Promise<void>
    forget(): Promise<void>
    setConsent(c: string): Promise<void>
    exportData(): Promise<{ storage: string; events: { type: string; id: string; ts: number; query?: string }[]; meta: Record<string, unknown> }>
  }
}

const h = useHarness()

const tagPage = (attrs: Record<string, string>) =>
  h.baseUrl + '/test/browser/pages/tag.html?attrs=' + encodeURIComponent(JSON.stringify({ autocapture: 'false', ...attrs }))

const blank = () => h.baseUrl + '/test/browser/pages/blank.html'

/** Tracks `n` searches tagged `label-i` and flushes. */
const trackSearches = (page: Page, label: string, n: number) =>
  page.evaluate(([label, n]) => {
    const { Seglet } = window as unknown as SegletWindow
    for (let i = 0; i < (n as number); i++) Seglet.track({ type: 'search', query: `${label}-${i}` })
    return Seglet.flush()
  }, [label, n] as const)

const exportData = (page: Page) => page.evaluate(() => (window as unknown as SegletWindow).Seglet.exportData())

const codes = async (page: Page) => (await probes(page)).errors.map((e) => e.code)

/** A visit with consent granted that stores `n` searches, then leaves. */
async function earlierVisit(n = 10): Promise<void> {
  const page = await h.newPage()
  await page.goto(tagPage({ consent: 'granted' }))
  await waitForSeglet(page)
  await trackSearches(page, 'earlier', n)
  expect((await readDb(page)).events.filter((e) => e.type === 'search')).toHaveLength(n)
  await page.close()
}

describe('consent withdrawn on a later visit', () => {
  const gpc = () => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true })

  for (const [name, attrs, withGpc] of [
    ['consent denied', { consent: 'denied' }, false],
    ['Global Privacy Control on (and data-consent="granted")', { consent: 'granted' }, true],
  ] as const) {
    it(`a start with ${name} deletes the history of earlier visits and says so once`, async () => {
      await earlierVisit()
      const page = await h.newPage()
      if (withGpc) await page.addInitScript(gpc)
      await page.goto(tagPage(attrs))
      await waitForSeglet(page)
      await expect.poll(() => codes(page)).toContain('data_deleted')
      expect(await databaseNames(page)).toEqual([])
      await trackSearches(page, 'now', 3)
      const data = await exportData(page)
      expect(data.storage).toBe('memory')
      expect(data.events.map((e) => e.query)).toEqual(['now-0', 'now-1', 'now-2'])
      // Said once: a reload finds nothing left to delete.
      await page.reload()
      await waitForSeglet(page)
      await trackSearches(page, 'again', 1)
      expect(await codes(page)).toEqual([])
      expect(await databaseNames(page)).toEqual([])
      expect((await probes(page)).escaped).toEqual([])
      await page.close()
    })
  }

  it('a pending start neither reads nor extends the history; denying then deletes it', async () => {
    await earlierVisit()
    const page = await h.newPage()
    await page.goto(tagPage({ consent: 'pending' }))
    await waitForSeglet(page)
    await trackSearches(page, 'pending', 3)
    expect((await exportData(page)).events.map((e) => e.query)).toEqual(['pending-0', 'pending-1', 'pending-2'])
    const stored = (await readDb(page)).events.map((e) => e.query)
    expect(stored).toHaveLength(10)
    expect(stored.every((q) => String(q).startsWith('earlier-'))).toBe(true)
    await page.evaluate(() => (window as unknown as SegletWindow).Seglet.setConsent('denied'))
    expect(await databaseNames(page)).toEqual([])
    expect(await codes(page)).toEqual([])
    await page.close()
  })
})

describe('a deletion another tab blocks', () => {
  it("setConsent('denied') rejects with storage_blocked after a bounded wait, and the deletion completes when the tab lets go", async () => {
    const page = await h.newPage()
    await page.goto(tagPage({ consent: 'granted' }))
    await waitForSeglet(page)
    await trackSearches(page, 'kept', 5)
    const holder = await h.newPage()
    await holder.goto(blank())
    await holder.evaluate(
      () =>
        new Promise<void>((resolve) => {
          // No onversionchange handler: this tab never lets go by itself.
          const req = indexedDB.open('seglet')
          req.onsuccess = () => ((window as unknown as { held: IDBDatabase }).held = req.result, resolve())
        }),
    )
    const outcome = await page.evaluate(async () => {
      const started = performance.now()
      try {
        await (window as unknown as SegletWindow).Seglet.setConsent('denied')
        return { ok: true, code: '', name: '', ms: performance.now() - started }
      } catch (error) {
        const e = error as { code: string; name: string }
        return { ok: false, code: e.code, name: e.name, ms: performance.now() - started }
      }
    })
    expect(outcome).toMatchObject({ ok: false, code: 'storage_blocked', name: 'StorageError' })
    expect(outcome.ms).toBeLessThan(10_000)
    expect(await databaseNames(page)).toEqual(['seglet'])
    await holder.evaluate(() => (window as unknown as { held: IDBDatabase }).held.close())
    await expect.poll(() => databaseNames(page)).toEqual([])
    // Consent stays denied: nothing re-creates the database.
    await trackSearches(page, 'after', 3)
    expect(await databaseNames(page)).toEqual([])
    expect((await probes(page)).escaped).toEqual([])
    await holder.close()
    await page.close()
  })
})

describe('volume', () => {
  it('100,000 track() calls keep the cap: the rate limit drops the excess and reports it once', async () => {
    const page = await h.newPage()
    await page.goto(tagPage({ consent: 'granted' }))
    await waitForSeglet(page)
    await page.evaluate(async () => {
      const { Seglet } = window as unknown as SegletWindow
      // In tasks of 1,000 calls, as a runaway page script would.
      for (let task = 0; task < 100; task++) {
        for (let i = 0; i < 1000; i++) Seglet.track({ type: 'search', query: `flood-${task}-${i}` })
        await new Promise((r) => setTimeout(r, 0))
      }
      await Seglet.flush()
    })
    const stored = (await readDb(page)).events.filter((e) => e.type === 'search')
    // The burst (1,000) and 20 a second while the loop ran: far under the 5,000-event cap.
    expect(stored.length).toBeGreaterThanOrEqual(1000)
    expect(stored.length).toBeLessThan(5000)
    expect(await codes(page)).toEqual(['events_dropped'])
    expect((await probes(page)).escaped).toEqual([])
    await page.close()
  })
})

describe('packs', () => {
  it('a pack over the size cap is refused before it is parsed, and nothing of it reaches the export', async () => {
    const big = JSON.stringify({ format: 'seglet-model-pack', padding: 'x'.repeat(3 * 1024 * 1024) })
    const integrity = 'sha256-' + createHash('sha256').update(big).digest('base64')
    await h.context.route('**/shop-packs/**', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: big }))
    try {
      const page = await h.newPage()
      // Eager: the model part (which loads packs) comes at once, not only once a decision is possible.
      await page.goto(tagPage({ consent: 'granted', 'model-loading': 'eager', 'pack-url': '/shop-packs/big.json', 'pack-integrity': integrity }))
      await waitForSeglet(page)
      await trackSearches(page, 'shop', 5)
      await expect.poll(() => codes(page)).toContain('pack_too_large')
      const exported = JSON.stringify(await exportData(page))
      expect(exported.length).toBeLessThan(100_000)
      expect(Object.keys((await readDb(page)).meta).filter((k) => k.includes('model-pack'))).toEqual([])
      await page.close()
    } finally {
      await h.context.unroute('**/shop-packs/**')
    }
  })
})

describe('clock skew', () => {
  it('events written under a clock set five years ahead are never read, and are the first pruned when the store is over maxEvents', async () => {
    const ahead = await h.newPage()
    await ahead.addInitScript(() => {
      const now = Date.now
      Date.now = () => now() + 5 * 365 * 86_400_000
    })
    await ahead.goto(tagPage({ consent: 'granted' }))
    await waitForSeglet(ahead)
    await trackSearches(ahead, 'future', 20)
    expect((await readDb(ahead)).events.filter((e) => e.type === 'search')).toHaveLength(20)
    await ahead.close()

    const page = await h.newPage()
    await page.goto(tagPage({ consent: 'granted' }))
    await waitForSeglet(page)
    await trackSearches(page, 'real', 5)
    const exported = await exportData(page)
    expect(exported.events.map((e) => e.query)).toEqual(['real-0', 'real-1', 'real-2', 'real-3', 'real-4'])
    // Within maxEvents they stay on disk: the retention pass cannot tell them from a history that is ahead only
    // because the clock was set back since.
    expect((await readDb(page)).events).toHaveLength(25)
    await page.close()

    // Over maxEvents, they go first, and only then the oldest real event.
    const capped = await h.newPage()
    await capped.addInitScript(() => ((window as unknown as { seglet: unknown[] }).seglet = [['init', { consent: 'granted', capture: { autocapture: false }, storage: { maxEvents: 5 } }]]))
    await capped.goto(tagPage({ autostart: 'false' }))
    await waitForSeglet(capped)
    await trackSearches(capped, 'more', 1)
    await expect.poll(async () => (await readDb(capped)).events.map((e) => e.query).sort()).toEqual(['more-0', 'real-1', 'real-2', 'real-3', 'real-4'])
    await capped.close()
  })
})

describe('a shopper who comes back for months', () => {
  it("a returning page's retention pass deletes the packs and tables an earlier version cached under their URL, and keeps the ones in use", async () => {
    await earlierVisit(3)
    const current = ['cache:model-pack@1:session', 'cache:page-stats@1', `cache:signed-packs@1:${h.baseUrl}/seglet/packs.manifest`]
    const stale = ['cache:model-pack@1:' + h.baseUrl + '/seglet/session.v1.json?v=1', 'cache:page-stats@1:' + h.baseUrl + '/seglet/page-stats.json?day=1', 'cache:model-pack@0:' + h.baseUrl + '/p.json']
    const setup = await h.newPage()
    await setup.goto(blank())
    // What earlier versions and earlier URLs of the shop's files left in the cache.
    await setup.evaluate(async (keys) => {
      const db = await new Promise<IDBDatabase>((resolve) => {
        const req = indexedDB.open('seglet')
        req.onsuccess = () => resolve(req.result)
      })
      const tx = db.transaction('meta', 'readwrite')
      for (const key of keys) tx.objectStore('meta').put({ integrity: 'sha256-x', text: 'x'.repeat(100_000) }, key)
      await new Promise((resolve) => (tx.oncomplete = resolve))
      db.close()
    }, [...current, ...stale])
    await setup.close()

    const page = await h.newPage()
    await page.goto(tagPage({ consent: 'granted' }))
    await waitForSeglet(page)
    await trackSearches(page, 'later', 2)
    await expect.poll(async () => Object.keys((await readDb(page)).meta).filter((key) => key.startsWith('cache:')).sort()).toEqual([...current].sort())
    expect((await readDb(page)).events.filter((e) => e.type === 'search')).toHaveLength(5)
    await page.close()
  })
})

describe('a hostile page', () => {
  it('an Array.prototype.push that throws for Seglet loses no event and reports nothing', async () => {
    await earlierVisit(3)
    const page = await h.newPage()
    await page.goto(tagPage({ consent: 'granted' }))
    await waitForSeglet(page)
    const ids = await page.evaluate(async () => {
      const { Seglet } = window as unknown as SegletWindow
      const push = Array.prototype.push
      // Throws when called from Seglet's file; the page's own probes keep working.
      Array.prototype.push = function (this: unknown[], ...items: unknown[]) {
        if (/\/dist\/seglet[^/]*\.js/.test(new Error().stack?.split('\n')[2] ?? '')) throw new Error('push is broken')
        return push.apply(this, items)
      }
      try {
        for (let i = 0; i < 5; i++) Seglet.track({ type: 'search', query: `broken-${i}` })
        await Seglet.flush()
        Seglet.track({ type: 'search', query: 'unsaved' })
        return (await Seglet.exportData()).events.map((e) => e.query)
      } finally {
        Array.prototype.push = push
      }
    })
    expect(ids.filter((q) => q?.startsWith('earlier-'))).toHaveLength(3)
    expect(ids.filter((q) => q?.startsWith('broken-'))).toHaveLength(5)
    expect(ids).toContain('unsaved')
    expect(await codes(page)).toEqual([])
    expect((await readDb(page)).events.filter((e) => String(e.query).startsWith('broken-'))).toHaveLength(5)
    await page.close()
  })

  it('an enumerable helper on Object.prototype (an old library) neither blocks nor joins the stored events', async () => {
    const page = await h.newPage()
    // Assigned, so enumerable: every `for…in` over a plain object sees it.
    await page.addInitScript(() => ((Object.prototype as unknown as Record<string, unknown>).extend = function (this: object) {
      return this
    }))
    await page.goto(tagPage({ consent: 'granted' }))
    await waitForSeglet(page)
    await trackSearches(page, 'proto', 3)
    const stored = (await readDb(page)).events
    expect(stored.map((e) => e.query)).toEqual(['proto-0', 'proto-1', 'proto-2'])
    for (const e of stored) expect(Object.keys(e).sort()).toEqual(['id', 'query', 'ts', 'type'])
    expect(await codes(page)).toEqual([])
    await page.close()
  })
})
