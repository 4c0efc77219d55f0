// Faults in a real browser: concurrent tabs (a newer version opening the database, site data cleared, consent withdrawn in
// another tab), IndexedDB missing, blocked, deleted under the page or over quota, pages closed right after events, and a
// database written by an older schema version.
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import {
  countTypes,
  databaseNames,
  expectHooksMatch,
  pageTime,
  probes,
  readDb,
  readHooks,
  resetOrigin,
  useHarness,
  waitForPageViewStored,
  waitForSeglet,
  waitForSegment,
} from './helpers'

type SegletApi = {
  track(e: unknown): void
  flush(): Promise<void>
  exportData(): Promise<{ storage: string; events: { type: string; query?: string; id: string }[] }>
}

const h = useHarness()

const tagPage = (attrs: Record<string, string> = { consent: 'granted' }) =>
  h.baseUrl + '/test/browser/pages/tag.html?attrs=' + encodeURIComponent(JSON.stringify(attrs))

/** Tracks `n` searches tagged `label-i` and returns at once (no flush). */
const trackSearches = (page: Page, label: string, n: number) =>
  page.evaluate(([label, n]) => {
    for (let i = 0; i < (n as number); i++) (window as unknown as { Seglet: SegletApi }).Seglet.track({ type: 'search', query: `${label}-${i}` })
  }, [label, n] as const)

const storageErrors = async (page: Page) => (await probes(page)).errors.filter((e) => e.code.startsWith('storage_'))

/** Seglet carries on in memory: new events kept, a segment decided, nothing thrown into the page. */
async function expectWorkingInMemory(page: Page, label: string) {
  await trackSearches(page, label, 25)
  await page.evaluate(() => (window as unknown as { Seglet: SegletApi }).Seglet.flush())
  const data = await page.evaluate(() => (window as unknown as { Seglet: SegletApi }).Seglet.exportData())
  expect(data.storage).toBe('memory')
  expect(data.events.filter((e) => e.query?.startsWith(label + '-'))).toHaveLength(25)
  await waitForSegment(page)
  expectHooksMatch(await readHooks(page))
  expect((await probes(page)).escaped).toEqual([])
}

describe('concurrent tabs', () => {
  it('two tabs writing 500 events each at once store exactly 1,000, none lost or duplicated', async () => {
    const [a, b] = [await h.newPage(), await h.newPage()]
    await Promise.all([a.goto(tagPage({ consent: 'granted', autocapture: 'false' })), b.goto(tagPage({ consent: 'granted', autocapture: 'false' }))])
    await Promise.all([waitForSeglet(a), waitForSeglet(b)])
    const startAt = Date.now() + 300
    // Both tabs start at the same moment; each mixes idle flushes with explicit ones.
    const write = (page: Page, label: string) =>
      page.evaluate(async ([label, startAt]) => {
        await new Promise((r) => setTimeout(r, (startAt as number) - Date.now()))
        for (let i = 0; i < 500; i++) {
          (window as unknown as { Seglet: SegletApi }).Seglet.track({ type: 'search', query: `${label}-${i}` })
          if (i % 50 === 49 && i % 100 !== 99) await (window as unknown as { Seglet: SegletApi }).Seglet.flush()
          else if (i % 100 === 99) await new Promise((r) => setTimeout(r, 0))
        }
        await (window as unknown as { Seglet: SegletApi }).Seglet.flush()
      }, [label, startAt] as const)
    await Promise.all([write(a, 'A'), write(b, 'B')])
    const db = await readDb(a)
    const searches = db.events.filter((e) => e.type === 'search').map((e) => e.query as string)
    expect(searches).toHaveLength(1000)
    expect(new Set(searches).size).toBe(1000)
    expect(searches.filter((q) => q.startsWith('A-'))).toHaveLength(500)
    expect(new Set(db.events.map((e) => e.id)).size).toBe(db.events.length)
    expect(await storageErrors(a)).toEqual([])
    expect(await storageErrors(b)).toEqual([])
    await a.close()
    await b.close()
  })
})

describe('a shopper with several tabs', () => {
  type Exported = Awaited<ReturnType<SegletApi['exportData']>>
  const exportData = (page: Page): Promise<Exported> => page.evaluate(() => (window as unknown as { Seglet: SegletApi }).Seglet.exportData())
  const flush = (page: Page) => page.evaluate(() => (window as unknown as { Seglet: SegletApi }).Seglet.flush())

  it('a newer Seglet opening the database in another tab while this tab has events queued: not blocked, no event lost, the page not broken', async () => {
    const old = await h.newPage()
    await old.goto(tagPage({ consent: 'granted', autocapture: 'false' }))
    await waitForSeglet(old)
    await trackSearches(old, 'stored', 10)
    await flush(old)
    // Queued, not flushed: the idle flush has not run when the other tab opens the database.
    await trackSearches(old, 'queued', 15)
    const newer = await h.newPage()
    await newer.goto(h.baseUrl + '/test/browser/pages/blank.html')
    const outcome = await newer.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const req = indexedDB.open('seglet', 99)
          req.onblocked = () => resolve('blocked')
          req.onsuccess = () => (req.result.close(), resolve('opened'))
          req.onerror = () => resolve('error ' + String(req.error))
        }),
    )
    // This tab let go at once: the newer version's upgrade was never held up.
    expect(outcome).toBe('opened')
    await flush(old)
    // Every queued search is on disk (written before the upgrade) or with the page, in memory: none lost.
    const onDisk = (await readDb(newer)).events.filter((e) => e.type === 'search').map((e) => e.query as string)
    const inMemory = (await exportData(old)).events.filter((e) => e.query).map((e) => e.query as string)
    for (let i = 0; i < 10; i++) expect(onDisk).toContain(`stored-${i}`)
    for (let i = 0; i < 15; i++) expect([...onDisk, ...inMemory], `queued-${i}`).toContain(`queued-${i}`)
    await expectWorkingInMemory(old, 'after')
    expect((await storageErrors(old)).map((e) => e.code)).toEqual(['storage_unavailable'])
    expect((await readDb(newer)).version).toBe(99)
    await newer.close()
    await old.close()
  })

  it('site data cleared by the shopper while a tab is open: the tab tracks on in memory, reported once, the database not re-created', async () => {
    const page = await h.newPage()
    await page.goto(tagPage({ consent: 'granted', autocapture: 'false' }))
    await waitForSeglet(page)
    await trackSearches(page, 'before', 10)
    await flush(page)
    expect((await readDb(page)).events.filter((e) => e.type === 'search')).toHaveLength(10)
    // What the browser's "Clear site data" does: the origin's databases are deleted, open connections closed by force.
    const cdp = await h.context.newCDPSession(page)
    await cdp.send('Storage.clearDataForOrigin', { origin: h.baseUrl, storageTypes: 'indexeddb' })
    await cdp.detach()
    await expectWorkingInMemory(page, 'after')
    await expectWorkingInMemory(page, 'later')
    // Reported once, with either code: the browser closing the connection is storage_unavailable, but a read or
    // write that was in flight when it closed (an idle flush, the model's read) fails first, and that is
    // storage_failed. Both are true, and which comes first is the browser's timing, not a promise of Seglet's.
    const errors = await storageErrors(page)
    expect(errors).toHaveLength(1)
    expect(['storage_unavailable', 'storage_failed']).toContain(errors[0].code)
    expect(await databaseNames(page)).toEqual([])
    await page.close()
  })

  it('consent withdrawn in one tab while another is writing a large batch: nothing is left stored, and the other tab writes nothing after', async () => {
    const attrs = { consent: 'granted', autocapture: 'false' }
    const [a, b] = [await h.newPage(), await h.newPage()]
    await Promise.all([a.goto(tagPage(attrs)), b.goto(tagPage(attrs))])
    await Promise.all([waitForSeglet(a), waitForSeglet(b)])
    await trackSearches(b, 'early', 5)
    await flush(b)
    await trackSearches(a, 'a', 5)
    await flush(a)
    // Tab b writes a long queue in slices; tab a's shopper withdraws consent as it starts.
    const writing = b.evaluate(() => {
      const { Seglet } = window as unknown as { Seglet: SegletApi }
      for (let i = 0; i < 400; i++) Seglet.track({ type: 'search', query: `b-${i}` })
      return Seglet.flush()
    })
    await a.evaluate(() => (window as unknown as { Seglet: { setConsent(c: string): Promise<void> } }).Seglet.setConsent('denied'))
    await writing
    await trackSearches(b, 'b-later', 10)
    await flush(b)
    // What b's flush found to write is written; a decision it scheduled (an idle callback, DECISION_IDLE_MS 200 ms) and
    // that decision's writes had a second of b's own clock.
    await pageTime(b, 1000)
    expect(await databaseNames(a)).toEqual([])
    expect((await probes(b)).escaped).toEqual([])
    expect((await probes(a)).escaped).toEqual([])
    await a.close()
    await b.close()
  })
})

describe('IndexedDB unavailable', () => {
  const cases: [string, () => void][] = [
    [
      'indexedDB.open throws (a private mode)',
      () => {
        IDBFactory.prototype.open = function () {
          throw new DOMException('The user denied permission to access the database.', 'SecurityError')
        }
      },
    ],
    ['window.indexedDB is missing', () => Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true })],
    [
      'the database is from a newer Seglet (open fails asynchronously with VersionError)',
      () => {
        // Runs before Seglet: the same name at a higher version, as a newer SDK would have left it.
        const req = indexedDB.open('seglet', 99)
        req.onsuccess = () => req.result.close()
      },
    ],
  ]
  for (const [name, breakIndexedDB] of cases) {
    it(`${name}: Seglet works in memory and reports it once`, async () => {
      const page = await h.newPage()
      await page.addInitScript(breakIndexedDB)
      await page.goto(tagPage())
      await waitForSeglet(page)
      await expectWorkingInMemory(page, 'first')
      await expectWorkingInMemory(page, 'second')
      const errors = await storageErrors(page)
      expect(errors).toHaveLength(1)
      expect(errors[0].code).toBe('storage_unavailable')
      await page.close()
    })
  }

  it('blocked by another tab holding the old schema open: memory, reported once, the old data intact', async () => {
    const holder = await h.newPage()
    await holder.goto(h.baseUrl + '/test/browser/pages/blank.html')
    await holder.evaluate(
      () =>
        new Promise<void>((resolve) => {
          const req = indexedDB.open('seglet', 1)
          req.onupgradeneeded = () => {
            const store = req.result.createObjectStore('events', { keyPath: 'id' })
            store.createIndex('ts', 'ts')
            store.put({ id: 'old-1', ts: Date.now() - 60_000, type: 'search', query: 'kept' })
          }
          // No onversionchange handler: this tab never lets go, so Seglet's upgrade stays blocked.
          req.onsuccess = () => ((window as unknown as { held: IDBDatabase }).held = req.result, resolve())
        }),
    )
    const page = await h.newPage()
    await page.goto(tagPage())
    await waitForSeglet(page)
    await expectWorkingInMemory(page, 'blocked')
    const errors = await storageErrors(page)
    expect(errors.map((e) => e.code)).toEqual(['storage_unavailable'])
    expect(errors[0].message).toMatch(/blocked/i)
    await holder.evaluate(() => (window as unknown as { held: IDBDatabase }).held.close())
    await holder.close()
    await page.close()
    const reader = await h.newPage()
    await reader.goto(h.baseUrl + '/test/browser/pages/blank.html')
    const db = await readDb(reader)
    expect(db.events.find((e) => e.id === 'old-1')).toMatchObject({ query: 'kept' })
    await reader.close()
  })

  it('the database deleted under a running page: memory from then on, reported once, not re-created', async () => {
    const page = await h.newPage()
    await page.goto(tagPage())
    await waitForSeglet(page)
    await trackSearches(page, 'before', 10)
    await page.evaluate(() => (window as unknown as { Seglet: SegletApi }).Seglet.flush())
    expect((await readDb(page)).events.filter((e) => e.type === 'search')).toHaveLength(10)

    const other = await h.newPage()
    await other.goto(h.baseUrl + '/test/browser/pages/blank.html')
    const outcome = await other.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const req = indexedDB.deleteDatabase('seglet')
          req.onsuccess = () => resolve('deleted')
          req.onerror = () => resolve('error')
          req.onblocked = () => resolve('blocked')
        }),
    )
    expect(outcome).toBe('deleted')
    await expectWorkingInMemory(page, 'after')
    await expectWorkingInMemory(page, 'later')
    const errors = await storageErrors(page)
    expect(errors).toHaveLength(1)
    expect(errors[0].code).toBe('storage_unavailable')
    expect(await databaseNames(other)).toEqual([])
    await other.close()
    await page.close()
  })
})

describe('quota', () => {
  // IDBObjectStore.put throws QuotaExceededError once the page sets window.quotaFull (or from the start).
  const fillQuota = () => {
    const put = IDBObjectStore.prototype.put
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<typeof put>) {
      if ((window as unknown as { quotaFull?: boolean }).quotaFull) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
      return put.apply(this, args)
    }
  }

  it('quota exceeded mid-visit: reported once as storage_quota, new events in memory, history still read', async () => {
    const page = await h.newPage()
    await page.addInitScript(fillQuota)
    await page.goto(tagPage())
    await waitForSeglet(page)
    await trackSearches(page, 'stored', 10)
    await page.evaluate(() => (window as unknown as { Seglet: SegletApi }).Seglet.flush())
    await page.evaluate(() => ((window as unknown as { quotaFull: boolean }).quotaFull = true))
    await expectWorkingInMemory(page, 'full')
    await expectWorkingInMemory(page, 'still-full')
    const errors = await storageErrors(page)
    expect(errors.map((e) => e.code)).toEqual(['storage_quota'])
    // What was stored before is still part of the shopper's history; the rest is in memory.
    const data = await page.evaluate(() => (window as unknown as { Seglet: SegletApi }).Seglet.exportData())
    expect(data.events.filter((e) => e.query?.startsWith('stored-'))).toHaveLength(10)
    const db = await readDb(page)
    expect(db.events.filter((e) => e.type === 'search').map((e) => e.query)).toHaveLength(10)
    await page.close()
  })

  it('quota exceeded from the first write: reported once, everything in memory', async () => {
    const page = await h.newPage()
    await page.addInitScript(fillQuota)
    await page.addInitScript(() => ((window as unknown as { quotaFull: boolean }).quotaFull = true))
    await page.goto(tagPage())
    await waitForSeglet(page)
    await expectWorkingInMemory(page, 'memory')
    expect((await storageErrors(page)).map((e) => e.code)).toEqual(['storage_quota'])
    expect((await readDb(page)).events).toEqual([])
    await page.close()
  })
})

describe('pages closed right after events', () => {
  const N = 200
  const reader = async () => {
    const page = await h.newPage()
    await page.goto(h.baseUrl + '/test/browser/pages/blank.html')
    const db = await readDb(page)
    await page.close()
    return db
  }
  const ready = async (page: Page) => {
    await page.goto(tagPage())
    await waitForSeglet(page)
    // A page some time after load: the connection is open (it opens at the first event, the page view, written with it).
    await waitForPageViewStored(page)
  }

  const variants: [string, (page: Page) => Promise<void>][] = [
    ['closed (tab closed, pagehide flush)', async (page) => {
      await trackSearches(page, 'x', N)
      await page.close({ runBeforeUnload: true })
    }],
    ['navigated away by script in the same task', async (page) => {
      await page.evaluate((n) => {
        for (let i = 0; i < n; i++) (window as unknown as { Seglet: SegletApi }).Seglet.track({ type: 'search', query: `x-${i}` })
        location.href = '/test/browser/pages/blank.html'
      }, N)
      await page.waitForURL('**/blank.html')
      await page.close()
    }],
    ['navigated away by a link click right after', async (page) => {
      await page.evaluate(() => {
        const a = document.createElement('a')
        a.href = '/test/browser/pages/blank.html'
        a.id = 'leave'
        a.textContent = 'leave'
        document.body.append(a)
      })
      await trackSearches(page, 'x', N)
      await page.click('#leave')
      await page.waitForURL('**/blank.html')
      await page.close()
    }],
  ]
  for (const [name, leave] of variants) {
    it(`${name}: the events and the page's engagement are written; the number lost is measured`, async () => {
      const rounds = 3
      const lost: number[] = []
      let engagement = 0
      for (let round = 0; round < rounds; round++) {
        await resetOrigin(h)
        const page = await h.newPage()
        await ready(page)
        await leave(page)
        const db = await reader()
        lost.push(N - db.events.filter((e) => e.type === 'search').length)
        engagement += countTypes(db.events).engagement ?? 0
      }
      const total = lost.reduce((a, b) => a + b, 0)
      console.log(`[pagehide] ${name}: lost ${lost.join(', ')} of ${N} tracked events per round (${total} of ${N * rounds}); engagement events written: ${engagement}/${rounds}`)
      // Chromium aborts whatever has not committed when the document goes away; Seglet commits its
      // pagehide write at once. The bound leaves room for a slow machine, not for a systematic loss.
      expect(total).toBeLessThanOrEqual(N * rounds * 0.02)
      // The page view's engagement record goes into every write, the idle flush of the searches too, so a
      // hide-time write that the closing page aborts (queued behind that flush) loses only its last update.
      expect(engagement).toBe(rounds)
    })
  }
})

describe('schema upgrade', () => {
  it('a database written by schema v1 is upgraded to v2 without losing a record, and its history is used', async () => {
    const page = await h.newPage()
    await page.goto(h.baseUrl + '/test/browser/pages/blank.html')
    const day = 24 * 3600 * 1000
    const written = await page.evaluate(
      (day) =>
        new Promise<string[]>((resolve, reject) => {
          const now = Date.now()
          const records: Record<string, unknown>[] = []
          for (let i = 0; i < 40; i++) {
            const ts = now - (i % 20) * day - i * 1000
            records.push(
              i % 2
                ? { id: `v1-${i}`, ts, type: 'page_view', url: `/products/p${i}`, pageType: 'product' }
                : { id: `v1-${i}`, ts, type: 'product_view', productId: `p${i}`, price: 12.5, currency: 'EUR' },
            )
          }
          records.push({ id: 'v1-order', ts: now - 90 * day, type: 'purchase', orderId: 'o-1', value: 42, currency: 'EUR', items: [{ productId: 'p1', quantity: 2, price: 21 }] })
          // Version 1 exactly as Seglet's first schema wrote it: events keyed by id, a ts index, no meta store.
          const req = indexedDB.open('seglet', 1)
          req.onupgradeneeded = () => {
            const store = req.result.createObjectStore('events', { keyPath: 'id' })
            store.createIndex('ts', 'ts')
            for (const r of records) store.put(r)
          }
          req.onsuccess = () => {
            req.result.close()
            resolve(records.map((r) => r.id as string))
          }
          req.onerror = () => reject(req.error)
        }),
      day,
    )
    const before = await readDb(page)
    expect(before).toMatchObject({ version: 1, stores: ['events'], indexes: ['ts'] })

    await page.goto(tagPage())
    await waitForSeglet(page)
    // The stored purchase is evidence enough: the first decision comes from history, not the cold-start default.
    await waitForSegment(page)
    await page.waitForFunction(() => (window as unknown as { __t: { segments: { coldStart: boolean }[] } }).__t.segments.length > 0)
    const t = await probes(page)
    expect(t.segments[0].coldStart).toBe(false)
    expect(t.segments[0].valueSegment).toBeTruthy()
    expect(t.errors).toEqual([])

    await page.evaluate(() => (window as unknown as { Seglet: SegletApi }).Seglet.flush())
    const after = await readDb(page)
    expect(after.version).toBe(2)
    expect(after.stores?.sort()).toEqual(['events', 'meta'])
    expect(after.indexes?.sort()).toEqual(['ts', 'type'])
    const byId = new Map(after.events.map((e) => [e.id, e]))
    for (const id of written) expect(byId.has(id), id).toBe(true)
    for (const old of before.events) expect(byId.get(old.id)).toEqual(old)
    const exported = await page.evaluate(() => (window as unknown as { Seglet: SegletApi }).Seglet.exportData())
    expect(exported.events.filter((e) => e.id.startsWith('v1-'))).toHaveLength(written.length)
    await page.close()
  })
})
