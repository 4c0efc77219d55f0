// @vitest-environment node
import { createHash } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { makePack } from '../model/__fixtures__/makePack'
import { createStore } from './createStore'
import { loadPackFromUrl, packCacheKey } from '../model/loadPackFromUrl'
import { pageStatsTableCacheKey } from '../reports/loadPageStatsTable'
import { packCheckCacheKey, signedPacksCacheKey } from '../pack/loadSignedPacks'

const metaKeys = (dbName: string) =>
  new Promise<string[]>((resolve, reject) => {
    const open = indexedDB.open(dbName)
    open.onerror = () => reject(open.error)
    open.onsuccess = () => {
      const request = open.result.transaction('meta').objectStore('meta').getAllKeys()
      request.onsuccess = () => {
        open.result.close()
        resolve((request.result as string[]).sort())
      }
    }
  })

describe('the retention pass over cached files', () => {
  it('deletes the packs and tables cached under a URL (before they were cached per kind), and keeps the rest', async () => {
    const dbName = `prune-caches-${Math.random()}`
    const manifest = 'https://shop.example/seglet/packs.manifest'
    const current = [packCacheKey('session'), packCacheKey('lifetime'), pageStatsTableCacheKey(), signedPacksCacheKey(manifest), packCheckCacheKey(manifest), 'segment', 'report-ledger']
    const orphans = [
      'cache:model-pack@1:https://shop.example/seglet/session-pack.json?v=1',
      'cache:model-pack@0:https://shop.example/seglet/session-pack.json',
      'cache:page-stats@1:https://shop.example/seglet/page-stats.json?day=2026-11-30',
      'cache:page-stats@0:https://shop.example/seglet/page-stats.json',
    ]
    // An earlier visit stored them.
    const earlier = createStore({ dbName, persist: true })
    for (const key of [...current, ...orphans]) await earlier.setMeta(key, { integrity: 'sha256-x', text: 'x'.repeat(1000) })
    // The segment is the shopper's, decided on that visit (one past retention goes: src/core/expiredSegment.test.ts).
    await earlier.setMeta('segment', { id: 'engaged', decidedAt: Date.now() - 1000 })
    earlier.enqueue({ id: 'a', ts: Date.now() - 1000, type: 'page_view', url: '/', pageType: 'home' } as never)
    await earlier.close()

    // A returning shopper's next page prunes.
    const store = createStore({ dbName, persist: true })
    store.enqueue({ id: 'b', ts: Date.now(), type: 'page_view', url: '/cart', pageType: 'cart' } as never)
    await store.flush()
    await store.close()
    expect(await metaKeys(dbName)).toEqual([...current].sort())
  })

  it('keeps the pack a shop loads without a feature spec, which is cached under its URL', async () => {
    const dbName = `prune-caches-url-${Math.random()}`
    const body = JSON.stringify(makePack())
    const integrity = 'sha256-' + createHash('sha256').update(body).digest('base64')
    vi.stubGlobal('location', new URL('https://shop.example/products/boots'))
    const fetchMock = vi.fn(async () => new Response(body))
    vi.stubGlobal('fetch', fetchMock)
    try {
      const earlier = createStore({ dbName, persist: true })
      await loadPackFromUrl('/seglet/session.json', { integrity, cache: earlier })
      earlier.enqueue({ id: 'a', ts: Date.now() - 1000, type: 'page_view', url: '/', pageType: 'home' } as never)
      await earlier.close()
      // A returning shopper's next page prunes, then loads the pack again: from the cache.
      const store = createStore({ dbName, persist: true })
      store.enqueue({ id: 'b', ts: Date.now(), type: 'page_view', url: '/cart', pageType: 'cart' } as never)
      await store.flush()
      await loadPackFromUrl('/seglet/session.json', { integrity, cache: store })
      await store.close()
      expect(fetchMock).toHaveBeenCalledTimes(1)
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('looks at the cached files once per connection, not at every flush', async () => {
    const dbName = `prune-caches-once-${Math.random()}`
    const earlier = createStore({ dbName, persist: true })
    earlier.enqueue({ id: 'a', ts: Date.now() - 1000, type: 'page_view', url: '/', pageType: 'home' } as never)
    await earlier.close()
    const transaction = vi.spyOn(IDBDatabase.prototype, 'transaction')
    const metaWrites = () => transaction.mock.calls.filter(([stores, mode]) => String(stores) === 'meta' && mode === 'readwrite').length
    const store = createStore({ dbName, persist: true })
    for (let i = 0; i < 3; i++) {
      store.enqueue({ id: `b${i}`, ts: Date.now(), type: 'page_view', url: '/cart', pageType: 'cart' } as never)
      await store.flush()
    }
    await store.close()
    expect(metaWrites()).toBe(1)
  })
})

afterEach(() => vi.restoreAllMocks())

describe("the retention pass over the private reports' session records", () => {
  it('deletes the records of sessions that started more than retentionDays ago, and keeps the others as they are', async () => {
    const dbName = `prune-sessions-${Math.random()}`
    const day = 86_400_000
    const now = Date.now()
    const record = (daysAgo: number) => ({ start: now - daysAgo * day, context: { packId: 'p', segmentLeaves: 4, valueLeaves: 3 }, segmentLeaf: 1, arm: 'none' })
    const earlier = createStore({ dbName, persist: true, retentionDays: 30 })
    await earlier.setMeta('report-sessions', [record(2), record(29), record(40)])
    earlier.enqueue({ id: 'a', ts: now - 1000, type: 'page_view', url: '/', pageType: 'home' } as never)
    await earlier.close()

    const store = createStore({ dbName, persist: true, retentionDays: 30 })
    store.enqueue({ id: 'b', ts: now, type: 'page_view', url: '/cart', pageType: 'cart' } as never)
    await store.flush()
    expect(await store.getMeta('report-sessions')).toEqual([record(2), record(29)])
    await store.close()

    // All past retention: none left; a record without a start is of no session and goes too.
    const later = createStore({ dbName, persist: true, retentionDays: 1 })
    await later.setMeta('report-sessions', [record(2), { context: {} }])
    await later.close()
    const last = createStore({ dbName, persist: true, retentionDays: 1 })
    last.enqueue({ id: 'c', ts: now, type: 'page_view', url: '/', pageType: 'home' } as never)
    await last.flush()
    expect(await last.getMeta('report-sessions')).toEqual([])
    await last.close()
  })
})
