// @vitest-environment node
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs'
import { constants } from 'node:buffer'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PROJECT_ROOT } from './data'
import { DataError, describeFailure } from './dataError'
import { eventCustomers, eventSessions } from './loadEvents'
import { ga4Param, parseGa4Ndjson } from './loadGa4'
import { mapDataLayerEntry } from '../src/capture/lib/mapDataLayerEntry'
import { readDataLayerEvent } from '../src/capture/lib/readDataLayerEvent'
import { validateEvent } from '../src/events/validateEvent'
import { parseShopifyDate, parseShopifyOrdersCsv } from './loadShopify'
import { detectFormat, loadTrainingEvents, loadTrainingEventsFiles, parseTrainingEvents } from './loadTrainingEvents'
import { createStore } from '../src/store'
import type { StoredEvent } from '../src/events/types'

const fixture = (name: string) => readFileSync(join(PROJECT_ROOT, 'training/fixtures', name), 'utf8')
const sorted = <T>(list: T[]) => list.map((x) => JSON.stringify(x)).sort()

describe('the three fixtures describe the same made-up shoppers', () => {
  const seglet = parseTrainingEvents(fixture('seglet-events.ndjson'))
  const ga4 = parseTrainingEvents(fixture('ga4-events.ndjson'))
  const shopify = parseTrainingEvents(fixture('shopify-orders.csv'))

  it('detects each format', () => {
    expect([seglet.format, ga4.format, shopify.format]).toEqual(['seglet', 'ga4', 'shopify'])
    expect(ga4.skipped).toEqual({})
    expect(shopify.skipped).toEqual({})
  })

  it('a GA4 export gives the sessions (features and labels) of the same journeys recorded by Seglet', () => {
    const fromGa4 = eventSessions(ga4.byShopper)
    const fromSeglet = eventSessions(seglet.byShopper)
    expect(fromGa4.length).toBeGreaterThan(20)
    expect(fromGa4.some((s) => s.label === 1) && fromGa4.some((s) => s.label === 0)).toBe(true)
    expect(sorted(fromGa4)).toEqual(sorted(fromSeglet))
  })

  it('a Shopify orders export gives the lifetime features and labels of the same orders', () => {
    const cutoff = Date.UTC(2024, 3, 1)
    const strip = (list: ReturnType<typeof eventCustomers>) => list.map(({ aggregate, label }) => ({ aggregate, label }))
    const fromShopify = strip(eventCustomers(shopify.byShopper, cutoff))
    expect(fromShopify.length).toBeGreaterThanOrEqual(4)
    // The export has no refund date: a refund counts at its order's time.
    const orderTime = new Map([...seglet.byShopper.values()].flat().filter((e) => e.type === 'purchase').map((e) => [(e as { orderId: string }).orderId, e.ts]))
    const refundsAtOrderTime = new Map([...seglet.byShopper].map(([k, list]) => [k, list.map((e) => (e.type === 'refund' ? { ...e, ts: orderTime.get(e.orderId)! } : e))]))
    expect(sorted(fromShopify)).toEqual(sorted(strip(eventCustomers(refundsAtOrderTime, cutoff))))
    // Refunds come through too.
    expect([...shopify.byShopper.values()].flat().some((e) => e.type === 'refund')).toBe(true)
  })

  it('never keeps a shopper’s email address', () => {
    for (const key of shopify.byShopper.keys()) expect(key).toMatch(/^[0-9a-f]{16}$/)
    expect(JSON.stringify([...shopify.byShopper.values()])).not.toContain('@')
  })
})

describe('detectFormat', () => {
  it.each([
    ['{"event_name":"page_view","event_timestamp":"1"}', 'ga4'],
    ['# note\n\n{"type":"page_view","ts":1,"url":"/","pageType":"home"}', 'seglet'],
    ['Name,Email,Financial Status,Total,Lineitem quantity', 'shopify'],
    ['\uFEFF"Name","Email","Lineitem quantity"', 'shopify'],
    ['id,date,amount', undefined],
    ['{"foo":1}', undefined],
    ['{not json', undefined],
    ['', undefined],
  ])('%j → %s', (text, format) => expect(detectFormat(text)).toBe(format))

  it('asks for --format when it cannot tell, and refuses an unknown one', () => {
    expect(() => parseTrainingEvents('id,date\n1,2')).toThrow(/^the events file: cannot tell its format; pass --format ga4, shopify or seglet$/)
    // The option of the file being read: train's --lifetime-events takes --lifetime-format.
    expect(() => parseTrainingEvents('id,date\n1,2', undefined, { source: 'orders.csv', formatOption: '--lifetime-format' })).toThrow(/^orders\.csv: cannot tell its format; pass --lifetime-format ga4, shopify or seglet$/)
    // BigQuery's console download of query results: one JSON array.
    expect(() => parseTrainingEvents('[{"event_name":"page_view","event_timestamp":"1"}]', undefined, { source: 'bq-results.json' })).toThrow(/^bq-results\.json: one JSON array; export the rows as newline-delimited JSON/)
    expect(() => parseTrainingEvents('{}', 'csv')).toThrow(DataError)
  })
})

describe('Seglet events', () => {
  it('checks each event as the browser does: defaults filled in, events it would refuse skipped and counted', () => {
    const text = [
      '{"type":"purchase","orderId":"A1","value":12,"currency":"EUR","id":"e1","ts":1704067200000,"shopper":"s1"}',
      '{"type":"purchase","orderId":"A2","value":"30","currency":"EUR","id":"e2","ts":1704153600000,"shopper":"s1"}',
      '{"type":"add_to_cart","productId":"mug","id":"e3","ts":1704153500000,"shopper":"s1"}',
    ].join('\n')
    const loaded = parseTrainingEvents(text)
    expect(loaded.format).toBe('seglet')
    expect(loaded.byShopper.get('s1')).toEqual([
      { type: 'purchase', orderId: 'A1', value: 12, currency: 'EUR', items: [], id: 'e1', ts: 1704067200000 },
      { type: 'add_to_cart', productId: 'mug', quantity: 1, id: 'e3', ts: 1704153500000 },
    ])
    expect(loaded.skipped).toEqual({ 'invalid purchase': 1 })
    expect(eventCustomers(loaded.byShopper, Date.UTC(2024, 0, 3))).toHaveLength(1)
  })
})

describe('exportData() documents', () => {
  /** What exportData() gives for a browser that viewed a product and bought it at `at`. */
  const exported = async (at: number, dbName: string) => {
    const store = createStore({ dbName, persist: false })
    store.enqueue({ type: 'product_view', productId: 'mug', id: `${dbName}-1`, ts: at } as StoredEvent)
    store.enqueue({ type: 'purchase', orderId: `${dbName}-o`, value: 12, currency: 'EUR', items: [], id: `${dbName}-2`, ts: at + 60_000 } as StoredEvent)
    await store.flush()
    const document = await store.exportData()
    await store.close()
    return document
  }

  it('reads one per line, each a browser of its own, and one indented document as exportData() gave it', async () => {
    // Recent days: the export applies the browser's retention.
    const day = Math.floor(Date.now() / 86_400_000) * 86_400_000
    const [a, b] = [await exported(day - 3 * 86_400_000, 'export-a'), await exported(day - 2 * 86_400_000, 'export-b')]
    const lines = parseTrainingEvents(`${JSON.stringify(a)}\n\n${JSON.stringify(b)}\n`)
    expect(lines.format).toBe('seglet')
    expect([...lines.byShopper.keys()]).toEqual(['browser-1', 'browser-3'])
    expect(lines.byShopper.get('browser-3')!.map((e) => [e.type, e.ts])).toEqual([['product_view', day - 2 * 86_400_000], ['purchase', day - 2 * 86_400_000 + 60_000]])
    const indented = parseTrainingEvents(Buffer.from(JSON.stringify(a, null, 2)))
    expect(indented.format).toBe('seglet')
    expect(indented.byShopper.get('')!.map((e) => e.id)).toEqual(['export-a-1', 'export-a-2'])
    expect(eventCustomers(lines.byShopper, day - 86_400_000)).toHaveLength(2)
  })

  it('reads an indented document saved with a byte-order mark, as its NDJSON lines are', async () => {
    const day = Math.floor(Date.now() / 86_400_000) * 86_400_000
    const a = await exported(day - 3 * 86_400_000, 'export-bom')
    // Windows tools (PowerShell's Set-Content -Encoding UTF8, older Notepad) save UTF-8 with one.
    for (const text of ['\uFEFF' + JSON.stringify(a, null, 2), '\uFEFF' + JSON.stringify(a, null, 2).replace(/\n/g, '\r\n')]) {
      expect(detectFormat(Buffer.from(text))).toBe('seglet')
      const loaded = parseTrainingEvents(Buffer.from(text))
      expect(loaded.byShopper.get('')!.map((e) => e.id)).toEqual(['export-bom-1', 'export-bom-2'])
      expect(parseTrainingEvents(text).byShopper.get('')!.map((e) => e.id)).toEqual(['export-bom-1', 'export-bom-2'])
    }
  })

  it("counts each event once when one browser's exports overlap, by the id the browser stored it with", async () => {
    const day = Math.floor(Date.now() / 86_400_000) * 86_400_000
    const at = day - 3 * 86_400_000
    const store = createStore({ dbName: 'export-twice', persist: false })
    store.enqueue({ type: 'product_view', productId: 'mug', id: 'twice-1', ts: at } as StoredEvent)
    await store.flush()
    const first = await store.exportData()
    store.enqueue({ type: 'purchase', orderId: 'twice-o', value: 12, currency: 'EUR', items: [], id: 'twice-2', ts: at + 60_000 } as StoredEvent)
    await store.flush()
    const second = await store.exportData()
    await store.close()
    expect(second.events.map((e) => e.id)).toEqual(['twice-1', 'twice-2'])
    // Both exports in one file, one per line: one browser, each event once.
    const lines = parseTrainingEvents(`${JSON.stringify(first)}\n${JSON.stringify(second)}\n`)
    expect([...lines.byShopper.values()].map((list) => list.map((e) => e.id))).toEqual([['twice-1', 'twice-2']])
    expect(lines.rows).toBe(3)
    expect(lines.skipped).toEqual({ 'repeated event (same id)': 1 })
    expect(eventSessions(lines.byShopper).map((s) => s.label)).toEqual([1])
    // Each export saved as a file of its own, given together.
    const dir = mkdtempSync(join(tmpdir(), 'seglet-twice-'))
    try {
      writeFileSync(join(dir, 'first.json'), JSON.stringify(first, null, 2))
      writeFileSync(join(dir, 'second.json'), JSON.stringify(second, null, 2))
      const files = loadTrainingEventsFiles([join(dir, 'first.json'), join(dir, 'second.json')])
      expect([...files.byShopper.values()].map((list) => list.map((e) => e.id))).toEqual([['twice-1', 'twice-2']])
      expect(files.skipped).toEqual({ 'repeated event (same id)': 1 })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    // Events without an id are never taken for one another: no id is made up for them.
    const noIds = parseTrainingEvents([0, 1].map(() => JSON.stringify({ type: 'page_view', url: '/', pageType: 'home', ts: at })).join('\n'))
    expect(noIds.byShopper.get('')).toHaveLength(2)
    expect(noIds.skipped).toEqual({})
  })

  it("keeps the newest record of an event the browser updated between two exports (a page's engagement)", () => {
    const at = 1_713_694_080_000
    const doc = (events: object[]) => JSON.stringify({ format: 'seglet-export', version: 1, exportedAt: '2024-04-21T10:00:00.000Z', storage: 'indexeddb', events, meta: {} })
    const view = { type: 'page_view', url: '/', pageType: 'home', id: 'v', ts: at }
    const engagement = (visibleMs: number, ts: number) => ({ type: 'engagement', url: '/', pageType: 'home', visibleMs, scrollDepth: 0, id: 'g', ts })
    const loaded = parseTrainingEvents([doc([view, engagement(30_000, at + 30_000)]), doc([view, engagement(5_000, at + 5_000)])].join('\n'))
    expect([...loaded.byShopper.values()].map((list) => list.map((e) => [e.id, e.ts]))).toEqual([[['v', at], ['g', at + 30_000]]])
  })

  it('names what is wrong in a document', () => {
    const bad = { format: 'seglet-export', version: 1, events: [{ type: 'page_view', url: '/', ts: 1704067200 }] }
    expect(() => parseTrainingEvents(JSON.stringify(bad))).toThrow(/^events NDJSON line 1, events\[0\]: ts 1704067200 is not in milliseconds/)
    expect(() => parseTrainingEvents('{\n  "format": "seglet-export",\n  "events": 3\n}', 'seglet')).toThrow(/not an exportData\(\) document/)
  })
})

describe('Seglet events in several files', () => {
  it("brings each tagged shopper's events together in time order, and keeps each file's untagged browsers its own", () => {
    const dir = mkdtempSync(join(tmpdir(), 'seglet-files-'))
    try {
      const t = 1_713_694_080_000
      const event = (id: string, ts: number, shopper?: string) => JSON.stringify({ type: 'page_view', url: '/', pageType: 'home', id, ts, ...(shopper ? { shopper } : {}) })
      const doc = (ids: string[]) => JSON.stringify({ format: 'seglet-export', version: 1, exportedAt: '2024-04-21T10:00:00.000Z', storage: 'indexeddb', events: ids.map((id, i) => JSON.parse(event(id, t + i))), meta: {} })
      writeFileSync(join(dir, 'a.ndjson'), [event('a1', t + 2000, 's1'), event('a2', t, 's2'), doc(['x1'])].join('\n'))
      writeFileSync(join(dir, 'b.ndjson'), [event('b1', t + 1000, 's1'), doc(['y1'])].join('\n'))
      const loaded = loadTrainingEventsFiles([join(dir, 'a.ndjson'), join(dir, 'b.ndjson')])
      expect(loaded.format).toBe('seglet')
      expect(loaded.rows).toBe(5)
      expect(loaded.byShopper.get('s1')!.map((e) => e.id)).toEqual(['b1', 'a1'])
      expect(loaded.byShopper.get(`${join(dir, 'a.ndjson')}:browser-3`)!.map((e) => e.id)).toEqual(['x1'])
      expect(loaded.byShopper.get(`${join(dir, 'b.ndjson')}:browser-2`)!.map((e) => e.id)).toEqual(['y1'])
      expect(loaded.files.map((f) => f.path)).toEqual([join(dir, 'a.ndjson'), join(dir, 'b.ndjson')])
      writeFileSync(join(dir, 'b.ndjson'), [event('b1', t + 1000, 's1'), event('b2', 1_713_694_080, 's1')].join('\n'))
      expect(() => loadTrainingEventsFiles([join(dir, 'a.ndjson'), join(dir, 'b.ndjson')])).toThrow(`${join(dir, 'b.ndjson')}: events NDJSON line 2: ts 1713694080 is not in milliseconds`)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('Seglet events in several files, overlapping', () => {
  const at = 1_713_694_080_000
  const doc = (events: object[]) => JSON.stringify({ format: 'seglet-export', version: 1, exportedAt: '2024-04-21T10:00:00.000Z', storage: 'indexeddb', events, meta: {} })
  const view = { type: 'page_view', url: '/', pageType: 'home', id: 'v', ts: at }
  // A purchase the browser's own check refuses (its value a string): stored by an older SDK, exported twice.
  const bad = { type: 'purchase', orderId: 'A2', value: '30', currency: 'EUR', id: 'p', ts: at + 1000 }
  const inFiles = (texts: string[], test: (paths: string[]) => void) => {
    const dir = mkdtempSync(join(tmpdir(), 'seglet-overlap-'))
    try {
      const paths = texts.map((text, i) => join(dir, `export-${i}.ndjson`))
      texts.forEach((text, i) => writeFileSync(paths[i], text))
      test(paths)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }

  it('counts an event the browser would refuse once when two exports of one browser hold it, as in one file', () => {
    const first = doc([view, bad])
    const second = doc([view, bad, { ...view, id: 'w', ts: at + 2000 }])
    const one = parseTrainingEvents(`${first}\n${second}\n`)
    expect(one.skipped).toEqual({ 'repeated event (same id)': 2, 'invalid purchase': 1 })
    inFiles([first, second], (paths) => {
      const several = loadTrainingEventsFiles(paths)
      expect(several.skipped).toEqual(one.skipped)
      expect([...several.byShopper.values()].map((list) => list.map((e) => e.id))).toEqual([['v', 'w']])
    })
  })

  it('reads a shopper tagged 42 in one file and "42" in another as one shopper', () => {
    const event = (id: string, ts: number, shopper: unknown) => JSON.stringify({ type: 'page_view', url: '/', pageType: 'home', id, ts, shopper })
    inFiles([event('a', at, 42), event('b', at + 1000, '42')], (paths) => {
      const loaded = loadTrainingEventsFiles(paths)
      expect([...loaded.byShopper.keys()]).toEqual(['42'])
      expect(loaded.byShopper.get('42')!.map((e) => e.id)).toEqual(['a', 'b'])
    })
    expect([...parseTrainingEvents([event('a', at, 7), event('b', at + 1000, '7')].join('\n')).byShopper.keys()]).toEqual(['7'])
  })
})

describe('Shopify orders in several files', () => {
  it('counts an order in two overlapping exports once, with its refunds to date', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seglet-orders-'))
    try {
      const header = 'Name,Email,Financial Status,Paid at,Currency,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price,Refunded Amount,Cancelled at'
      const order = (name: string, at: string, refunded: string) => `${name},a@example.com,partially_refunded,${at},EUR,30.00,${at},1,Book,30.00,${refunded},`
      // The first export was made after a refund of 5.00; the second after a further 3.00 (Refunded Amount is the order's total).
      writeFileSync(join(dir, 'march.csv'), [header, order('#1', '2024-03-01 10:00:00 +0000', '5.00')].join('\n') + '\n')
      writeFileSync(join(dir, 'march-april.csv'), [header, order('#1', '2024-03-01 10:00:00 +0000', '8.00'), order('#2', '2024-04-02 10:00:00 +0000', '0.00')].join('\n') + '\n')
      const loaded = loadTrainingEventsFiles([join(dir, 'march.csv'), join(dir, 'march-april.csv')])
      const events = [...loaded.byShopper.values()][0]
      expect(events.map((e) => [e.type, 'orderId' in e ? e.orderId : '', 'value' in e ? e.value : 0])).toEqual([['purchase', '#1', 30], ['refund', '#1', 8], ['purchase', '#2', 30]])
      const [customer] = eventCustomers(loaded.byShopper, Date.UTC(2024, 5, 1))
      expect(customer.aggregate).toMatchObject({ orders: 2, returns: 1, returnValue: 8 })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('an empty file among several', () => {
  it('holds no rows, in the format of the files beside it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seglet-empty-'))
    try {
      const lines = fixture('ga4-events.ndjson').split('\n').filter((l) => l.startsWith('{'))
      writeFileSync(join(dir, 'events-0.json'), lines.filter((_, i) => i % 2 === 0).join('\n') + '\n')
      writeFileSync(join(dir, 'events-1.json'), '')
      writeFileSync(join(dir, 'events-2.json'), lines.filter((_, i) => i % 2 === 1).join('\n') + '\n')
      const loaded = loadTrainingEventsFiles([0, 1, 2].map((k) => join(dir, `events-${k}.json`)))
      const without = loadTrainingEventsFiles([0, 2].map((k) => join(dir, `events-${k}.json`)))
      expect(loaded.format).toBe('ga4')
      expect(loaded.byShopper).toEqual(without.byShopper)
      expect(loaded.rows).toBe(without.rows)
      // Two empty files hold no rows to count twice; every file empty, there is nothing to read, and it says so.
      writeFileSync(join(dir, 'events-3.json'), '\n')
      writeFileSync(join(dir, 'events-4.json'), '')
      expect(loadTrainingEventsFiles([0, 1, 2, 4].map((k) => join(dir, `events-${k}.json`))).byShopper).toEqual(without.byShopper)
      expect(() => loadTrainingEventsFiles([1, 3].map((k) => join(dir, `events-${k}.json`)))).toThrow(`${join(dir, 'events-1.json')}: the file is empty (no data line)`)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('Shopify orders in several files, skipped', () => {
  it('counts an order once in the rows read and the skipped figures, whatever exports hold it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seglet-orders-'))
    try {
      const header = 'Name,Email,Financial Status,Paid at,Currency,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price,Refunded Amount,Cancelled at'
      const order = (name: string, status: string, email = 'a@example.com') => `${name},${email},${status},2024-03-01 10:00:00 +0000,EUR,30.00,2024-03-01 10:00:00 +0000,1,Book,30.00,0.00,`
      // #2 was still pending in March's export and paid by April's; #3 has no email in either.
      writeFileSync(join(dir, 'march.csv'), [header, order('#1', 'paid'), order('#2', 'pending'), order('#3', 'paid', '')].join('\n') + '\n')
      writeFileSync(join(dir, 'march-april.csv'), [header, order('#1', 'paid'), order('#2', 'paid'), order('#3', 'paid', ''), order('#4', 'pending')].join('\n') + '\n')
      const loaded = loadTrainingEventsFiles([join(dir, 'march.csv'), join(dir, 'march-april.csv')])
      expect([...loaded.byShopper.values()][0].map((e) => 'orderId' in e && e.orderId)).toEqual(['#1', '#2'])
      expect(loaded.rows).toBe(4)
      expect(loaded.skipped).toEqual({ 'no email': 1, 'not paid (pending)': 1 })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('Seglet event times', () => {
  it('refuses a ts in seconds, naming the line, instead of reading every event as January 1970', () => {
    const text = ['{"type":"add_to_cart","productId":"mug","id":"e1","ts":1704067200000}', '{"type":"add_to_cart","productId":"mug","id":"e2","ts":1704067260}'].join('\n')
    expect(() => parseTrainingEvents(text)).toThrow(/^events NDJSON line 2: ts 1704067260 is not in milliseconds since 1970/)
  })
})

describe('GA4 BigQuery rows', () => {
  const row = (over: Record<string, unknown>) => JSON.stringify({ event_timestamp: '1704067200000000', user_pseudo_id: 'u1', event_params: [{ key: 'page_location', value: { string_value: 'https://shop.example/products/mug?x=1#top' } }], ...over })

  it('reads every parameter type', () => {
    const r = { event_name: 'x', event_timestamp: 1, event_params: [
      { key: 's', value: { string_value: 'a' } }, { key: 'i', value: { int_value: '42' } }, { key: 'd', value: { double_value: 1.5 } }, { key: 'f', value: { float_value: 2.5 } }, { key: 'n', value: { string_value: null, int_value: null } },
    ] }
    expect(['s', 'i', 'd', 'f', 'n', 'missing'].map((k) => ga4Param(r, k))).toEqual(['a', 42, 1.5, 2.5, undefined, undefined])
  })

  it('maps ecommerce events, page types and engagement; counts what it skips', () => {
    const text = [
      row({ event_name: 'page_view' }),
      row({ event_name: 'view_item', items: [{ item_id: 'mug', price: 12, quantity: 1, item_category: 'Kitchen' }], event_params: [{ key: 'page_location', value: { string_value: 'https://shop.example/products/mug?x=1#top' } }, { key: 'currency', value: { string_value: 'EUR' } }] }),
      row({ event_name: 'user_engagement', event_timestamp: '1704067230000000', event_params: [{ key: 'page_location', value: { string_value: 'https://shop.example/products/mug?x=1' } }, { key: 'engagement_time_msec', value: { int_value: '30000' } }] }),
      row({ event_name: 'purchase', event_timestamp: '1704067260000000', ecommerce: { transaction_id: 'T1', purchase_revenue: 12 }, items: [{ item_id: 'mug', price: 12 }], event_params: [{ key: 'currency', value: { string_value: 'EUR' } }] }),
      row({ event_name: 'purchase', event_timestamp: '1704067270000000', ecommerce: { transaction_id: 'T2', purchase_revenue: -5 } }),
      row({ event_name: 'session_start' }),
      row({ event_name: 'page_view', user_pseudo_id: null }),
    ].join('\n')
    const loaded = parseGa4Ndjson(text)
    const events = loaded.byShopper.get('u1')!
    expect(events.map((e) => e.type)).toEqual(['page_view', 'product_view', 'engagement', 'purchase'])
    expect(events[0]).toMatchObject({ url: '/products/mug?x=1', pageType: 'product', ts: 1704067200000 })
    expect(events[1]).toMatchObject({ productId: 'mug', price: 12, currency: 'EUR', category: 'Kitchen' })
    // The page's engagement: its time so far, stamped when it was last reported.
    expect(events[2]).toMatchObject({ visibleMs: 30_000, ts: 1704067230000 })
    expect(events[3]).toMatchObject({ orderId: 'T1', value: 12, currency: 'EUR', items: [{ productId: 'mug', quantity: 1, price: 12 }] })
    expect(loaded.skipped).toEqual({ 'invalid purchase': 1, 'ignored session_start': 1, 'no user_pseudo_id': 1 })
  })

  it('puts rows in the order of their microseconds, wherever they are in the files', () => {
    // A page view and the scroll on that page 300 µs later, in one millisecond: the scroll's row first in the file,
    // or in the file given first (BigQuery writes rows in no order).
    const view = row({ event_name: 'page_view', event_timestamp: '1704067200000500' })
    const scroll = row({ event_name: 'scroll', event_timestamp: '1704067200000800', event_params: [{ key: 'page_location', value: { string_value: 'https://shop.example/products/mug?x=1' } }, { key: 'percent_scrolled', value: { int_value: '90' } }] })
    for (const loaded of [parseGa4Ndjson(`${scroll}\n${view}\n`), parseGa4Ndjson([{ data: `${scroll}\n`, source: 'a.json' }, { data: `${view}\n`, source: 'b.json' }])]) {
      expect(loaded.byShopper.get('u1')!.map((e) => [e.type, e.type === 'engagement' ? e.scrollDepth : undefined])).toEqual([['page_view', undefined], ['engagement', 0.9]])
    }
  })

  it('reads the rows of a day exported twice, in two files of overlapping periods, once', () => {
    const day = (d: number, user = 'u1') => {
      const at = (s: number) => String((1704067200 + d * 86_400 + s) * 1_000_000)
      return [
        row({ event_name: 'page_view', event_timestamp: at(0), user_pseudo_id: user }),
        row({ event_name: 'add_to_cart', event_timestamp: at(5), user_pseudo_id: user, items: [{ item_id: 'mug', price: 12 }] }),
        // Sent twice by the page in one microsecond: two rows in each export of the day.
        row({ event_name: 'add_to_cart', event_timestamp: at(6), user_pseudo_id: user, items: [{ item_id: 'tea', price: 3 }] }),
        row({ event_name: 'add_to_cart', event_timestamp: at(6), user_pseudo_id: user, items: [{ item_id: 'tea', price: 3 }] }),
        row({ event_name: 'purchase', event_timestamp: at(9), user_pseudo_id: user, ecommerce: { transaction_id: `T${d}`, purchase_revenue: -5 } }),
        row({ event_name: 'page_view', event_timestamp: at(12), user_pseudo_id: null }),
      ]
    }
    // January 1-2 exported, then January 2-3: January 2 is in both files.
    const once = parseGa4Ndjson([{ data: [...day(0), ...day(1), ...day(2)].join('\n'), source: 'all.json' }])
    const several = parseGa4Ndjson([{ data: [...day(0), ...day(1)].join('\n'), source: 'jan-1-2.json' }, { data: [...day(1), ...day(2)].join('\n'), source: 'jan-2-3.json' }])
    expect(several.byShopper).toEqual(once.byShopper)
    expect(once.byShopper.get('u1')!.filter((e) => e.type === 'add_to_cart')).toHaveLength(9)
    expect(several.skipped).toEqual({ ...once.skipped, 'repeated row (its day in another file)': 6 })
    expect(several.rows).toBe(once.rows + 5)
    // One export written as two files holds a share of each day in each, the page's two rows of one microsecond too.
    const rows = [...day(0), ...day(1)]
    const shards = parseGa4Ndjson([0, 1].map((k) => ({ data: rows.filter((_, i) => i % 2 === k).join('\n'), source: `events-${k}.json` })))
    expect(shards.byShopper).toEqual(parseGa4Ndjson(rows.join('\n')).byShopper)
    expect(shards.skipped).toEqual(parseGa4Ndjson(rows.join('\n')).skipped)
  })

  it('maps a view_item of several items to the one product view the browser stores for it', () => {
    const items = [{ item_id: 'mug', price: 12, item_category: 'Kitchen' }, { item_id: 'mug-blue', price: 14, item_category: 'Gifts' }]
    const events = parseGa4Ndjson(row({ event_name: 'view_item', items })).byShopper.get('u1')!
    // What the dataLayer bridge makes of the same event on the shop's page.
    const browser = mapDataLayerEntry({ event: 'view_item', ecommerce: { items } }, readDataLayerEvent({ event: 'view_item', ecommerce: { items } })!, '/products/mug')!
    expect(browser).toHaveLength(1)
    expect(events.filter((e) => e.type === 'product_view')).toEqual([expect.objectContaining(validateEvent(browser[0]))])
  })

  it('values an order without revenue or value at its items, as the browser does', () => {
    const items = [{ item_id: 'mug', price: 12, quantity: 2 }, { item_id: 'tea', price: 3.5 }]
    const events = parseGa4Ndjson(row({ event_name: 'purchase', ecommerce: { transaction_id: 'T1' }, items, event_params: [{ key: 'currency', value: { string_value: 'EUR' } }] })).byShopper.get('u1')!
    const entry = { event: 'purchase', ecommerce: { transaction_id: 'T1', currency: 'EUR', items } }
    const browser = validateEvent(mapDataLayerEntry(entry, readDataLayerEvent(entry)!, '/thanks')![0])
    expect(events).toEqual([expect.objectContaining(browser)])
    expect(events[0]).toMatchObject({ value: 27.5 })
  })

  it('groups rows by device (user_pseudo_id) as each browser holds only its own history, even when user_id joins devices', () => {
    const text = [
      row({ event_name: 'page_view', user_id: 'customer-7', user_pseudo_id: 'phone' }),
      row({ event_name: 'page_view', user_id: 'customer-7', user_pseudo_id: 'laptop', event_timestamp: '1704070800000000' }),
      row({ event_name: 'page_view', user_id: 'customer-7', user_pseudo_id: null, event_timestamp: '1704074400000000' }),
    ].join('\n')
    const loaded = parseGa4Ndjson(text)
    expect([...loaded.byShopper.keys()].sort()).toEqual(['laptop', 'phone'])
    // The laptop's first page is a first visit there, as the browser on the laptop sees it.
    expect(loaded.byShopper.get('laptop')!.map((e) => e.type)).toEqual(['page_view'])
    expect(loaded.skipped).toEqual({ 'no user_pseudo_id': 1 })
  })

  it('takes the export’s "(not set)" transaction id for no id, not for one order shared by every such purchase', () => {
    const currency = { key: 'currency', value: { string_value: 'EUR' } }
    const text = [
      row({ event_name: 'purchase', ecommerce: { transaction_id: '(not set)', purchase_revenue: 10 }, event_params: [currency] }),
      row({ event_name: 'purchase', event_timestamp: '1704153600000000', ecommerce: { transaction_id: '(not set)', purchase_revenue: 20 }, event_params: [currency, { key: 'transaction_id', value: { string_value: 'T7' } }] }),
      row({ event_name: 'refund', event_timestamp: '1704240000000000', ecommerce: { transaction_id: '(not set)', refund_value: 5 }, event_params: [currency] }),
    ].join('\n')
    const loaded = parseGa4Ndjson(text)
    expect(loaded.byShopper.get('u1')!.map((e) => [e.type, (e as { orderId?: string }).orderId])).toEqual([['purchase', 'T7']])
    expect(loaded.skipped).toEqual({ 'invalid purchase': 1, 'invalid refund': 1 })
  })

  it('refuses event_timestamp in milliseconds or seconds, naming the line, instead of reading every event as January 1970', () => {
    expect(() => parseGa4Ndjson([row({ event_name: 'page_view' }), row({ event_name: 'page_view', event_timestamp: '1704067260000' })].join('\n'))).toThrow(/^GA4 NDJSON line 2: event_timestamp 1704067260000 is not in microseconds/)
    expect(() => parseGa4Ndjson(row({ event_name: 'page_view', event_timestamp: 1704067260 }))).toThrow(/^GA4 NDJSON line 1: event_timestamp 1704067260 is not in microseconds/)
  })

  it('refuses event_params that are not the export’s list of key and value, naming the line, rather than crashing', () => {
    const flattened = JSON.stringify([{ key: 'page_location', value: { string_value: 'https://shop.example/' } }])
    expect(() => parseGa4Ndjson([row({ event_name: 'page_view' }), row({ event_name: 'page_view', event_params: flattened })].join('\n'))).toThrow(DataError)
    expect(() => parseGa4Ndjson([row({ event_name: 'page_view' }), row({ event_name: 'page_view', event_params: flattened })].join('\n'))).toThrow(/^GA4 NDJSON line 2: event_params must be a list of \{ key, value \}/)
    expect(parseGa4Ndjson(row({ event_name: 'page_view', event_params: null })).byShopper.get('u1')![0]).toMatchObject({ url: '/' })
  })

  it('reads the export’s "(not set)" item fields as absent, as the page’s dataLayer had them', () => {
    const items = [{ item_id: '(not set)', item_name: 'Mug', price: 12, quantity: '1', item_category: '(not set)', item_brand: '(not set)' }]
    const events = parseGa4Ndjson([row({ event_name: 'view_item', items }), row({ event_name: 'add_to_cart', event_timestamp: '1704067210000000', items })].join('\n')).byShopper.get('u1')!
    // What the browser stores for the same items pushed without an id or a category.
    const entry = (event: string) => ({ event, ecommerce: { items: [{ item_name: 'Mug', price: 12, quantity: 1 }] } })
    const browser = ['view_item', 'add_to_cart'].map((name) => validateEvent(mapDataLayerEntry(entry(name), readDataLayerEvent(entry(name))!, '/products/mug')![0]))
    expect(events.filter((e) => e.type !== 'engagement')).toEqual(browser.map((e) => expect.objectContaining(e)))
    expect(events[0]).not.toHaveProperty('category')
  })

  it('fails on a line that is not an events row, naming the line', () => {
    expect(() => parseGa4Ndjson('{"event_name":"page_view"}')).toThrow('GA4 NDJSON line 1')
    expect(() => parseGa4Ndjson('\n{oops')).toThrow(/line 2/)
  })
})

describe('Shopify orders CSV', () => {
  const header = 'Name,Email,Financial Status,Paid at,Currency,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Refunded Amount,Cancelled at'

  it('turns paid orders into purchases with their line items, and skips unpaid ones', () => {
    const text = [
      header,
      '#1,A@Example.com,paid,2024-03-05 14:02:11 +0100,EUR,30.00,2024-03-05 14:00:00 +0100,2,Mug,10.00,mug,0.00,',
      '#1,A@Example.com,,,,,,1,"Tea, green",10.00,,,',
      '#2,a@example.com,pending,,EUR,5.00,2024-03-06 10:00:00 +0100,1,Mug,5.00,mug,,',
      '#3,,paid,2024-03-06 10:00:00 +0100,EUR,5.00,2024-03-06 10:00:00 +0100,1,Mug,5.00,mug,,',
    ].join('\n')
    const loaded = parseShopifyOrdersCsv(text)
    expect(loaded.byShopper.size).toBe(1)
    const [events] = [...loaded.byShopper.values()]
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ type: 'purchase', orderId: '#1', value: 30, currency: 'EUR', ts: Date.UTC(2024, 2, 5, 13, 2, 11) })
    expect((events[0] as { items: unknown[] }).items).toEqual([{ productId: 'mug', quantity: 2, price: 10 }, { productId: 'Tea, green', quantity: 1, price: 10 }])
    expect(loaded.skipped).toEqual({ 'not paid (pending)': 1, 'no email': 1 })
  })

  it('skips an order with an amount that is not a plain number, saying which column, never reading it as another', () => {
    const order = (name: string, total: string, price: string, refunded: string, quantity = '1') =>
      `#${name},${name}@example.com,paid,2024-03-05 14:02:11 +0100,EUR,${total},2024-03-05 14:00:00 +0100,${quantity},Mug,${price},mug,${refunded},`
    const loaded = parseShopifyOrdersCsv([
      header,
      order('1', '$30.00', '30.00', '0.00'),
      order('2', '30.00', '€30', '0.00'),
      order('3', '"1,030.00"', '1030.00', '0.00'),
      order('4', '30.00', '30.00', '$5.00'),
      order('5', '30.00', '30.00', '', 'two'),
      order('6', '30.00', '30.00', ''),
    ].join('\n'))
    expect(loaded.skipped).toEqual({ 'Total not a plain number': 2, 'Lineitem price not a plain number': 1, 'Refunded Amount not a plain number': 1, 'Lineitem quantity not a plain number': 1 })
    expect([...loaded.byShopper.values()].flat().map((e) => [e.type, (e as { value?: number }).value])).toEqual([['purchase', 30]])
  })

  it('reads the columns whatever their case, as a spreadsheet or script that re-saved the export may write them', () => {
    const row = '#1,a@example.com,paid,2024-03-05 14:02:11 +0100,EUR,30.00,2024-03-05 14:00:00 +0100,2,Mug,15.00,mug,5.00,'
    const exact = parseShopifyOrdersCsv([header, row].join('\n'))
    for (const names of [header.toLowerCase(), header.toUpperCase(), header.replace(/,/g, ' ,').replace(/ Amount/, ' amount')]) {
      expect(detectFormat(`${names}\n${row}`)).toBe('shopify')
      expect(parseShopifyOrdersCsv([names, row].join('\n'))).toEqual(exact)
    }
    expect(exact.byShopper.size).toBe(1)
    expect([...exact.byShopper.values()][0].map((e) => e.type)).toEqual(['purchase', 'refund'])
  })

  it('names the line of a quoted field that is never closed, counting the leading # lines', () => {
    const text = ['# exported 2024-03-07', header, '#1,a@example.com,paid,2024-03-05 14:02:11 +0100,EUR,30.00,2024-03-05 14:00:00 +0100,1,"Mug 12"" ,10.00,mug,,', '#2,b@example.com,paid,2024-03-06 10:00:00 +0100,EUR,5.00,2024-03-06 10:00:00 +0100,1,Mug,5.00,mug,,'].join('\r\n')
    expect(() => parseShopifyOrdersCsv(text)).toThrow(/^CSV line 3: a quoted field is not closed/)
    expect(() => parseShopifyOrdersCsv('\uFEFF' + text)).toThrow(/^CSV line 3: a quoted field is not closed/)
  })

  it('reads an export saved with a byte-order mark and CRLF line ends, and a line item name that spans lines', () => {
    const rows = [
      '#1,a@example.com,paid,2024-03-05 14:02:11 +0100,EUR,30.00,2024-03-05 14:00:00 +0100,2,"Mug,\nblue",10.00,,,',
      '#2,b@example.com,paid,2024-03-06 10:00:00 +0100,EUR,5.00,2024-03-06 10:00:00 +0100,1,Mug,5.00,mug,,',
    ]
    const plain = parseShopifyOrdersCsv([header, ...rows].join('\n'))
    expect(parseShopifyOrdersCsv('\uFEFF' + [header, ...rows].join('\r\n'))).toEqual(plain)
    // A byte-order mark before the leading `#` lines, too: they are skipped as in a file without one.
    expect(parseShopifyOrdersCsv('\uFEFF# exported 2024-03-07\r\n# by the admin\r\n' + [header, ...rows].join('\r\n'))).toEqual(plain)
    expect(parseTrainingEvents('\uFEFF# exported 2024-03-07\n' + [header, ...rows].join('\n'))).toEqual(plain)
    expect(plain.rows).toBe(2)
    expect([...plain.byShopper.values()].flat().map((e) => e.type === 'purchase' && e.items[0].productId)).toEqual(['Mug,\nblue', 'mug'])
  })

  it.each([
    ['Paid at', '05/03/2024 14:02'],
    ['Created at', '3/5/2024'],
    ['Cancelled at', 'yesterday'],
    ['Paid at', '2024-13-05 14:02:11 +0100'],
  ])('refuses a %s written as %j in one line naming the line and the column', (column, date) => {
    const cells: Record<string, string> = { 'Paid at': '2024-03-06 10:00:00 +0100', 'Created at': '2024-03-06 10:00:00 +0100', 'Cancelled at': '' }
    cells[column] = date
    const text = [
      '# exported 2024-03-07', header,
      '#1,a@example.com,paid,2024-03-05 14:02:11 +0100,EUR,30.00,2024-03-05 14:00:00 +0100,2,"Mug,\nblue",10.00,,,',
      `#2,b@example.com,paid,${cells['Paid at']},EUR,5.00,${cells['Created at']},1,Mug,5.00,mug,5.00,${cells['Cancelled at']}`,
    ].join('\r\n')
    // Line 5: the comment, the header, and the first order's two lines before it.
    expect(() => parseShopifyOrdersCsv(text)).toThrow(new DataError(`Shopify orders CSV line 5, ${column}: ${JSON.stringify(date)} is not a date as Shopify writes them (2024-03-05 14:02:11 +0100); export the orders again from the Shopify admin, not re-saved from a spreadsheet`))
  })

  it('names the missing columns', () => {
    expect(() => parseShopifyOrdersCsv('Name,Email\n#1,a@b.c')).toThrow('missing columns Total, Created at, Lineitem quantity, Lineitem name, Lineitem price')
  })

  it.each([
    ['inside a line item\'s price, which would be read as 8', '#2,b@example.com,,,,,,1,Cup,8.'],
    ['inside the order\'s date, which would be blamed on a spreadsheet', '#3,c@example.com,paid,2024-03-06 10:0'],
    ['inside the email, whose order would be skipped without a word', '#3,c@exa'],
  ])('refuses an export that ends %s: it was cut short, and the line is named', (_, cut) => {
    const whole = [header, '#1,a@example.com,paid,2024-03-05 14:02:11 +0100,EUR,30.00,2024-03-05 14:00:00 +0100,2,Mug,15.00,mug,5.00,', '#2,b@example.com,paid,2024-03-06 10:00:00 +0100,EUR,13.00,2024-03-06 10:00:00 +0100,1,Mug,5.00,mug,,']
    const fields = header.split(',').length
    const text = [...whole, cut].join('\r\n')
    expect(() => parseShopifyOrdersCsv(text)).toThrow(new DataError(`Shopify orders CSV line 4: the file ends inside this line, after ${cut.split(',').length} of the header's ${fields} fields: it was cut short; export the orders again`))
    // Ended at a line's end, as exported (with or without the last line break), it is read.
    expect(parseShopifyOrdersCsv(whole.join('\r\n')).rows).toBe(2)
    expect(parseShopifyOrdersCsv(whole.join('\r\n') + '\r\n').rows).toBe(2)
  })

  it.each([
    [';', 'semicolons'],
    ['\t', 'tabs'],
  ])('names an export a spreadsheet re-saved with %j between the columns, not columns it lacks, from train and evaluate alike', (separator, name) => {
    // As a spreadsheet in German or French saves "CSV": semicolons, decimal commas, dates its own way.
    const resaved = [header, '#1,a@example.com,paid,05.03.2024 14:02,EUR,"30,00",05.03.2024 14:00,2,Mug,"15,00",mug,"5,00",']
      .map((line) => line.replace(/"[^"]*"|,/g, (cell) => (cell === ',' ? separator : cell.slice(1, -1))))
      .join('\r\n')
    const words = `Shopify orders CSV: its columns are separated by ${name}, not commas (a spreadsheet saved it in another language's format); export the orders again from the Shopify admin, not re-saved from a spreadsheet`
    expect(() => parseShopifyOrdersCsv(resaved)).toThrow(new DataError(words))
    // Detected as the Shopify export it is (evaluate would otherwise read it as the public Online Retail file).
    expect(detectFormat(resaved)).toBe('shopify')
    expect(() => parseTrainingEvents(resaved)).toThrow(new DataError(words))
  })

  it.each([
    ['2024-03-05 14:02:11 +0100', Date.UTC(2024, 2, 5, 13, 2, 11)],
    ['2024-03-05 14:02:11 -0500', Date.UTC(2024, 2, 5, 19, 2, 11)],
    ['2024-03-05T14:02:11Z', Date.UTC(2024, 2, 5, 14, 2, 11)],
    ['2024-03-05T14:02:11.250+01:00', Date.UTC(2024, 2, 5, 13, 2, 11)],
    ['2024-03-05 14:02', Date.UTC(2024, 2, 5, 14, 2, 0)],
    ['', Number.NaN],
    ['05/03/2024 14:02', Number.NaN],
    ['March 5, 2024', Number.NaN],
    // Days of the calendar only: never moved into the next month (2024-02-31 is not March 2).
    ['2024-02-29 10:00:00 +0100', Date.UTC(2024, 1, 29, 9)],
    ['2000-02-29 10:00:00 +0000', Date.UTC(2000, 1, 29, 10)],
    ['2024-02-31 10:00:00 +0100', Number.NaN],
    ['2023-02-29 10:00:00 +0100', Number.NaN],
    ['1900-02-29 10:00:00 +0000', Number.NaN],
    ['2024-04-31 10:00:00 +0100', Number.NaN],
    ['2024-06-31T10:00:00Z', Number.NaN],
    ['2024-03-00 10:00:00 +0100', Number.NaN],
    // Offsets of time zones only: ±14:00 at most, minutes below 60.
    ['2024-03-05 14:02:11 +1400', Date.UTC(2024, 2, 5, 0, 2, 11)],
    ['2024-03-05 14:02:11 -14:00', Date.UTC(2024, 2, 6, 4, 2, 11)],
    ['2024-03-05 14:02:11 +0545', Date.UTC(2024, 2, 5, 8, 17, 11)],
    ['2024-03-05 14:02:11 +2500', Number.NaN],
    ['2024-03-05 14:02:11 -2500', Number.NaN],
    ['2024-03-05 14:02:11 +1401', Number.NaN],
    ['2024-03-05T14:02:11+15:00', Number.NaN],
    ['2024-03-05 14:02:11 +0160', Number.NaN],
  ])('date %j', (text, ms) => expect(parseShopifyDate(text)).toBe(ms))

  it('refuses an impossible date or offset in one line naming the line and the column, as any date Shopify does not write', () => {
    const order = (paidAt: string) => [header, `#1,a@example.com,paid,${paidAt},EUR,5.00,2024-03-01 10:00:00 +0100,1,Mug,5.00,mug,,`].join('\n')
    for (const date of ['2024-02-31 10:00:00 +0100', '2023-02-29 10:00:00 +0100', '2024-04-31 10:00:00 +0100', '2024-03-05 14:02:11 +2500']) {
      expect(() => parseShopifyOrdersCsv(order(date))).toThrow(new DataError(`Shopify orders CSV line 2, Paid at: ${JSON.stringify(date)} is not a date as Shopify writes them (2024-03-05 14:02:11 +0100); export the orders again from the Shopify admin, not re-saved from a spreadsheet`))
    }
  })
})

describe('an export larger than one string can hold', () => {
  it('reads a GA4 export line by line instead of failing on its size', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seglet-large-'))
    try {
      const path = join(dir, 'events.ndjson')
      const row = (name: string, micros: string) => JSON.stringify({ event_name: name, event_timestamp: micros, user_pseudo_id: 'u1', event_params: [{ key: 'page_location', value: { string_value: 'https://shop.example/products/mug' } }] })
      const fd = openSync(path, 'w')
      writeSync(fd, row('page_view', '1704067200000000') + '\r\n')
      // Padding (comment lines of 1 MiB each) up past the longest string Node.js can make.
      const padding = Buffer.alloc(1 << 20, 0x20)
      padding[0] = 0x23
      padding[padding.length - 1] = 0x0a
      for (let written = 0; written <= constants.MAX_STRING_LENGTH; written += padding.length) writeSync(fd, padding)
      writeSync(fd, row('page_view', '1704067260000000') + '\n')
      closeSync(fd)
      const loaded = loadTrainingEvents(path)
      expect(loaded.format).toBe('ga4')
      expect(loaded.rows).toBe(2)
      expect(loaded.byShopper.get('u1')!.filter((e) => e.type === 'page_view').map((e) => e.ts)).toEqual([1704067200000, 1704067260000])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})

describe('an export larger than a file can be read in', () => {
  it('is refused in one line naming it, not with a stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seglet-huge-'))
    try {
      const path = join(dir, 'events.ndjson')
      // A sparse file: 2.2 GB long, no disk used.
      writeFileSync(path, '')
      truncateSync(path, 2.2e9)
      let caught: unknown
      try {
        loadTrainingEvents(path)
      } catch (error) {
        caught = error
      }
      expect(caught).toBeInstanceOf(DataError)
      expect(describeFailure(caught)).toBe(`${path}: 2.2 GB, more than the 2.1 GB a file can be read in; export a shorter period`)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('failures the user can fix print one line', () => {
  it('a missing file', () => {
    let caught: unknown
    try {
      loadTrainingEvents('/nonexistent/ga4.ndjson')
    } catch (error) {
      caught = error
    }
    expect(describeFailure(caught)).toBe('/nonexistent/ga4.ndjson: no such file (the events to train or score on)')
    expect(describeFailure(Object.assign(new Error('x'), { code: 'ENOENT', path: '/d/online_retail.csv.gz' }))).toBe('/d/online_retail.csv.gz: no such file')
    expect(describeFailure(new TypeError('a bug'))).toBeUndefined()
  })
})
