// @vitest-environment node
import { createHash } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { SegletError } from '../errors'
import type { StoredEvent } from '../events/types'
import { loadPageStatsTable, pageStatsTableCacheKey } from './loadPageStatsTable'
import { MAX_PAGE_STATS_TABLE_BYTES, validatePageStatsTable } from './pageStatsTable'
import { loadValuePages } from './loadValuePages'
import { withTableStats } from './withTableStats'

const table = {
  format: 'seglet-page-stats',
  version: 1,
  generated: 'written by the Seglet collector — do not edit',
  day: '2026-11-29',
  epsilon: 2,
  reports: 123456,
  pages: { 'product/mug': { bounceRate: 0.21, exitRate: 0.33, pageValue: 12.5, views: 4100 }, home: { bounceRate: null, exitRate: 0.1, views: 50 } },
  valuePages: ['home', 'product/mug', 'cart'],
}
const text = JSON.stringify(table)
const sri = (s: string) => 'sha256-' + createHash('sha256').update(s).digest('base64')

describe('validatePageStatsTable', () => {
  it('accepts the collector\'s table and leaves out statistics not published', () => {
    const out = validatePageStatsTable(JSON.parse(text))
    expect(out.pages['product/mug']).toEqual({ bounceRate: 0.21, exitRate: 0.33, pageValue: 12.5, views: 4100 })
    expect(out.pages.home).toEqual({ exitRate: 0.1, views: 50 })
    expect(out.pages.constructor).toBeUndefined()
    expect(out.valuePages).toEqual(['home', 'product/mug', 'cart'])
    // Tables of older collectors have no list.
    const { valuePages: _, ...older } = table
    expect(validatePageStatsTable(older).valuePages).toBeUndefined()
  })

  it.each<[string, unknown, string]>([
    ['not an object', [], 'not an object'],
    ['another format', { ...table, format: 'x' }, 'format'],
    ['another version', { ...table, version: 2 }, 'version 2'],
    ['a bad day', { ...table, day: '2026-02-30' }, 'day'],
    ['a bad epsilon', { ...table, epsilon: -1 }, 'epsilon'],
    ['a fractional report count', { ...table, reports: 1.5 }, 'reports'],
    ['a URL as page key', { ...table, pages: { 'https://shop.example/p': {} } }, 'not a page key'],
    ['a rate over 1', { ...table, pages: { home: { bounceRate: 1.5 } } }, 'bounceRate'],
    ['a negative page value', { ...table, pages: { home: { pageValue: -1 } } }, 'pageValue'],
    ['a string statistic', { ...table, pages: { home: { exitRate: '0.1' } } }, 'exitRate'],
    ['a page-value list that is not a list', { ...table, valuePages: 'home' }, 'valuePages'],
    ['a URL in the page-value list', { ...table, valuePages: ['home', 'https://shop.example/p'] }, 'valuePages[1]'],
    ['a page-value list too long', { ...table, valuePages: Array.from({ length: 257 }, (_, i) => `p${i}`) }, 'at most 256'],
  ])('refuses %s with table_invalid', (_name, value, message) => {
    expect(() => validatePageStatsTable(value)).toThrow(expect.objectContaining({ code: 'table_invalid', message: expect.stringContaining(message) }))
  })
})

describe('withTableStats', () => {
  it('gives page views their page key\'s statistics, each one a page view does not carry of its own, and changes nothing else', () => {
    const valid = validatePageStatsTable(JSON.parse(text))
    const events = [
      { id: '1', ts: 1, type: 'page_view', url: '/a', pageType: 'product', pageKey: 'product/mug' },
      { id: '2', ts: 2, type: 'page_view', url: '/b', pageType: 'product', pageKey: 'product/mug', stats: { pageValue: 1 } },
      { id: '3', ts: 3, type: 'page_view', url: '/c', pageType: 'other', pageKey: 'unknown' },
      { id: '4', ts: 4, type: 'page_view', url: '/d', pageType: 'other' },
      { id: '5', ts: 5, type: 'search', query: 'x' },
      { id: '6', ts: 6, type: 'page_view', url: '/e', pageType: 'product', pageKey: 'product/mug', stats: { bounceRate: 0.5, exitRate: 0.6 } },
      { id: '7', ts: 7, type: 'page_view', url: '/f', pageType: 'product', pageKey: 'product/mug', stats: { bounceRate: 0.5, exitRate: 0.6, pageValue: 2 } },
    ] as StoredEvent[]
    const out = withTableStats(events, valid)
    expect(out[0]).toEqual({ ...events[0], stats: { bounceRate: 0.21, exitRate: 0.33, pageValue: 12.5 } })
    // The page's own statistics come first; the table gives those it lacks (a page value for its own rates).
    expect(out[1]).toEqual({ ...events[1], stats: { bounceRate: 0.21, exitRate: 0.33, pageValue: 1 } })
    expect(out[5]).toEqual({ ...events[5], stats: { bounceRate: 0.5, exitRate: 0.6, pageValue: 12.5 } })
    expect(out[6]).toEqual(events[6])
    expect(out.slice(2, 5)).toEqual(events.slice(2, 5))
    expect(events[0]).not.toHaveProperty('stats')
    expect(events[5]!.type === 'page_view' && events[5].stats).toEqual({ bounceRate: 0.5, exitRate: 0.6 })
  })
})

describe('loadValuePages', () => {
  const href = 'https://shop.example/seglet/page-stats.json'
  const capture = { pageStatsUrl: '/seglet/page-stats.json', pageStatsIntegrity: sri(text) }
  const store = (entry?: unknown) => {
    const entries = new Map<string, unknown>(entry === undefined ? [] : [[pageStatsTableCacheKey(), entry]])
    return { entries, getMeta: async (k: string) => entries.get(k), setMeta: async (k: string, v: unknown) => void entries.set(k, v) }
  }
  let fetchMock: ReturnType<typeof vi.fn>
  let reported: SegletError[]
  beforeEach(() => {
    vi.stubGlobal('location', new URL('https://shop.example/products/mug'))
    fetchMock = vi.fn(async () => new Response(text))
    vi.stubGlobal('fetch', fetchMock)
    reported = []
  })
  afterEach(() => vi.unstubAllGlobals())
  const load = (cache: ReturnType<typeof store>, settings: typeof capture | undefined = capture) => loadValuePages(cache, settings, (e) => reported.push(e))

  it('reads the list from the table the loader verified and cached, with no request', async () => {
    expect(await load(store({ integrity: sri(text), text }))).toEqual(['home', 'product/mug', 'cart'])
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('loads and caches the table when this browser has none yet (a first visit that bounced never loaded it)', async () => {
    const cache = store()
    expect(await load(cache)).toEqual(['home', 'product/mug', 'cart'])
    expect(fetchMock).toHaveBeenCalledWith(href, { credentials: 'same-origin', redirect: 'error', referrerPolicy: 'no-referrer', signal: expect.any(AbortSignal) })
    expect(cache.entries.get(pageStatsTableCacheKey())).toEqual({ integrity: sri(text), text })
    expect(reported).toEqual([])
  })

  it('gives an empty list, with no request, when the shop configures no table', async () => {
    expect(await loadValuePages(store({ integrity: sri(text), text }), undefined, (e) => reported.push(e))).toEqual([])
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it.each([
    ['a table without a list', { ...table, valuePages: undefined }],
    ['a bad list', { ...table, valuePages: ['home', 7] }],
    ['a list that is not a list', { ...table, valuePages: 'home' }],
  ])('gives an empty list for %s', async (_name, value) => {
    const other = JSON.stringify(value)
    expect(await load(store({ integrity: sri(other), text: other }), { ...capture, pageStatsIntegrity: sri(other) })).toEqual([])
  })

  it.each<[string, string, () => Response]>([
    ['the table cannot be loaded', 'table_load_failed', () => new Response('gone', { status: 404 })],
    ['the table does not match its integrity', 'table_integrity', () => new Response(text + ' ')],
    ['the table is not JSON', 'table_invalid', () => new Response('{')],
  ])('gives an empty list and reports it when %s', async (name, code, respond) => {
    fetchMock.mockImplementation(async () => respond())
    const settings = name.includes('JSON') ? { ...capture, pageStatsIntegrity: sri('{') } : capture
    expect(await load(store({ integrity: 'sha256-other', text }), settings)).toEqual([])
    expect(reported.map((e) => e.code)).toEqual([code])
  })
})

describe('loadPageStatsTable', () => {
  let fetchMock: ReturnType<typeof vi.fn>
  const memory = () => {
    const entries = new Map<string, unknown>()
    return { entries, getMeta: async (k: string) => entries.get(k), setMeta: async (k: string, v: unknown) => void entries.set(k, v) }
  }
  beforeEach(() => {
    vi.stubGlobal('location', new URL('https://shop.example/products/mug'))
    fetchMock = vi.fn(async () => new Response(text))
    vi.stubGlobal('fetch', fetchMock)
  })
  afterEach(() => vi.unstubAllGlobals())

  it('loads a same-origin table that matches its integrity, without redirects, and caches it', async () => {
    const cache = memory()
    const out = await loadPageStatsTable('/seglet/page-stats.json', { integrity: sri(text), cache })
    expect(out.reports).toBe(123456)
    expect(fetchMock).toHaveBeenCalledWith('https://shop.example/seglet/page-stats.json', { credentials: 'same-origin', redirect: 'error', referrerPolicy: 'no-referrer', signal: expect.any(AbortSignal) })
    expect(cache.entries.has(pageStatsTableCacheKey())).toBe(true)
    await loadPageStatsTable('/seglet/page-stats.json', { integrity: sri(text), cache })
    expect(fetchMock).toHaveBeenCalledTimes(1)
  })

  it('keeps one cached table, whatever URL each new table is published at (a date or hash in its name or query)', async () => {
    const cache = memory()
    for (let day = 1; day <= 30; day++) {
      const daily = JSON.stringify({ ...table, day: `2026-11-${String(day).padStart(2, '0')}` })
      fetchMock.mockImplementation(async () => new Response(daily))
      await loadPageStatsTable(`/seglet/page-stats.json?day=${day}`, { integrity: sri(daily), cache })
      // The table in use is still served from the cache, with no request.
      await loadPageStatsTable(`/seglet/page-stats.json?day=${day}`, { integrity: sri(daily), cache })
      expect(fetchMock).toHaveBeenCalledTimes(day)
    }
    expect(cache.entries.size).toBe(1)
  })

  it('refuses another origin without a request', async () => {
    await expect(loadPageStatsTable('https://collector.example/t.json', { integrity: sri(text) })).rejects.toMatchObject({ code: 'table_origin' })
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('refuses bytes that do not match the integrity before parsing them, and caches nothing', async () => {
    const cache = memory()
    fetchMock.mockImplementation(async () => new Response(text.replace('0.21', '0.99')))
    await expect(loadPageStatsTable('/t.json', { integrity: sri(text), cache })).rejects.toMatchObject({ code: 'table_integrity' })
    expect(cache.entries.size).toBe(0)
  })

  it('refuses a table over the size cap, by its Content-Length and by its bytes', async () => {
    const big = ' '.repeat(MAX_PAGE_STATS_TABLE_BYTES + 1)
    fetchMock.mockImplementation(async () => new Response(big))
    await expect(loadPageStatsTable('/t.json', { integrity: sri(big) })).rejects.toMatchObject({ code: 'table_too_large' })
    fetchMock.mockImplementation(async () => new Response(text, { headers: { 'content-length': String(MAX_PAGE_STATS_TABLE_BYTES + 1) } }))
    await expect(loadPageStatsTable('/t.json', { integrity: sri(text) })).rejects.toMatchObject({ code: 'table_too_large' })
  })

  it('refuses a malformed integrity with an OptionsError, and an invalid table with table_invalid', async () => {
    await expect(loadPageStatsTable('/t.json', { integrity: 'md5-x' })).rejects.toMatchObject({ code: 'invalid_option' })
    const bad = JSON.stringify({ ...table, version: 9 })
    fetchMock.mockImplementation(async () => new Response(bad))
    await expect(loadPageStatsTable('/t.json', { integrity: sri(bad) })).rejects.toMatchObject({ code: 'table_invalid' })
  })
})
