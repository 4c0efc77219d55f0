// Seeded fuzz in the real browser: more than 10,000 random and malformed values sent to Seglet.track(), to
// the window.seglet command queue, to both bridges (dataLayer.push, Seglet.shopifyEvent) and to the script
// tag's data-* attributes. No exception may escape to the page, every bad direct track() call must throw a
// SegletError, and afterwards the store must be readable with nothing invalid in it.
// @ts-expect-error: plain ES module without types
import { mulberry32 } from '../../scripts/mulberry32.mjs'
import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { validateEvent } from '../../src/events/validateEvent'
import { pageTime, probes, readDb, useHarness, waitForSeglet } from './helpers'

const SEED = Number(process.env.SEGLET_FUZZ_SEED ?? 20250611)

const ERROR_CODES = new Set([
  'invalid_event', 'invalid_option', 'invalid_command', 'storage_unavailable', 'storage_quota', 'storage_corrupt_record',
  'storage_failed', 'pack_invalid', 'pack_spec_mismatch', 'pack_integrity', 'pack_origin', 'pack_load_failed', 'model_failed',
  'bridge_invalid', 'autocapture_failed', 'hook_failed', 'not_started', 'already_started', 'start_failed', 'global_taken',
  'storage_blocked', 'data_deleted', 'events_dropped', 'pack_too_large',
])

/** Valid events of every type: the fuzzer mutates them, so most inputs get past the first checks. */
const TEMPLATES = [
  { type: 'page_view', url: '/products/a', pageType: 'product', stats: { bounceRate: 0.1, exitRate: 0.2, pageValue: 3 } },
  { type: 'product_view', productId: 'sku-1', price: 12.5, currency: 'EUR', category: 'books/fiction' },
  { type: 'add_to_cart', productId: 'sku-1', quantity: 2, price: 12.5, currency: 'EUR' },
  { type: 'remove_from_cart', productId: 'sku-1', quantity: 1 },
  { type: 'begin_checkout', value: 25, currency: 'EUR', items: [{ productId: 'sku-1', quantity: 2, price: 12.5, category: 'books' }] },
  { type: 'purchase', orderId: 'o-1', value: 25, currency: 'EUR', items: [{ productId: 'sku-1', quantity: 2, price: 12.5 }] },
  { type: 'refund', orderId: 'o-1', value: 12.5, currency: 'EUR' },
  { type: 'search', query: 'winter boots' },
  { type: 'engagement', url: '/cart', pageType: 'cart', visibleMs: 5000, scrollDepth: 0.5 },
]

const h = useHarness({ reset: false })

/** Runs in the page: the seeded generator and the four API surfaces. Returns counts. */
function fuzzInPage(input: { seed: number; templates: unknown[]; ga4: unknown[]; shopify: unknown[] }) {
  type Api = {
    track(e: unknown): void
    shopifyEvent(e: unknown): void
    SegletError: new (...a: never[]) => Error & { code: string }
  }
  const w = window as unknown as { Seglet: Api; seglet: { push(...c: unknown[]): unknown }; dataLayer: unknown[] }
  let state = input.seed >>> 0
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)]
  const cyclic: Record<string, unknown> = { type: 'search' }
  cyclic.query = cyclic
  const throwingGetter = Object.defineProperty({ type: 'purchase' }, 'orderId', { get() { throw new Error('getter') }, enumerable: true })
  const revoked = Proxy.revocable({}, {})
  revoked.revoke()
  let deep: unknown = { type: 'search', query: 'x' }
  for (let i = 0; i < 2000; i++) deep = { inner: deep, items: [deep] }
  const odd: unknown[] = [
    NaN, Infinity, -Infinity, -1, 0, -0, 1e300, 2 ** 53 + 1, 1e-320, '', ' ', 'x'.repeat(5000), '12.5', '1e3', 'NaN', '-0',
    '\u0000', '\ud800', '<img src=x onerror=alert(1)>', 'javascript:alert(1)', 'https://evil.example/x', '//evil.example',
    null, undefined, true, false, BigInt(7), Symbol('s'), [], [1, 2], new Array(5), {}, () => 1,
    () => { throw new Error('shop code throws') }, new Date(NaN), new Date(), Object.create(null), new Map([[1, 2]]),
    new Uint8Array(4), /re/, new Error('e'), new String('str'), new Number(3), document.body, cyclic, throwingGetter,
    new Proxy({}, { get() { throw new Error('trap') } }), revoked.proxy, deep,
    { toString() { throw new Error('toString') }, valueOf() { throw new Error('valueOf') } },
    { type: 'page_view', url: { toString: () => '/x' }, pageType: 'home' },
    { type: '__proto__' }, { type: 'constructor' }, { type: 'toString' },
  ]
  const randomString = () => pick(['', 'page_view', 'purchase', 'EUR', 'eur', 'EURO', 'home', 'track', 'x'.repeat(Math.floor(random() * 300)), String(random())])
  const randomValue = (depth = 0): unknown => {
    const r = random()
    if (r < 0.45 || depth > 3) return pick(odd)
    if (r < 0.6) return randomString()
    if (r < 0.7) return (random() - 0.5) * 10 ** Math.floor(random() * 12)
    if (r < 0.85) return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(depth + 1))
    const o: Record<string, unknown> = {}
    for (let i = 0; i < 1 + Math.floor(random() * 4); i++) o[pick(['type', 'url', 'productId', 'price', 'items', 'value', 'currency', 'query', 'event', 'ecommerce', 'name', 'data', String(i)])] = randomValue(depth + 1)
    return o
  }
  const clone = (v: unknown) => JSON.parse(JSON.stringify(v))
  const mutate = (value: unknown, depth = 0): unknown => {
    const r = random()
    if (r < 0.12 || depth > 6) return randomValue(depth)
    if (Array.isArray(value)) {
      const copy = value.map((v) => mutate(v, depth + 1))
      if (random() < 0.1) copy.push(...Array.from({ length: 250 }, () => copy[0])) // too many items
      return copy
    }
    if (typeof value === 'object' && value !== null) {
      const out: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(value)) {
        if (random() < 0.07) continue // field missing
        out[k] = mutate(v, depth + 1)
      }
      if (random() < 0.05) out.unexpected = randomValue(depth + 1)
      return out
    }
    return value
  }

  const counts = { track: 0, trackAccepted: 0, trackRejected: 0, trackWrongError: [] as string[], queue: 0, queueThrew: [] as string[], dataLayer: 0, dataLayerWrong: 0, shopify: 0, shopifyThrew: [] as string[] }

  // 1. Direct track(): a bad call throws a SegletError with a code, anything else is accepted.
  for (let i = 0; i < 4000; i++) {
    const value = i % 3 === 2 ? randomValue() : mutate(clone(pick(input.templates)))
    counts.track++
    try {
      w.Seglet.track(value)
      counts.trackAccepted++
    } catch (error) {
      const e = error as { code?: unknown }
      if (error instanceof w.Seglet.SegletError && e.code === 'invalid_event') counts.trackRejected++
      else if (counts.trackWrongError.length < 5) counts.trackWrongError.push(String(error))
    }
  }
  // 2. The command queue: never throws, whatever is pushed.
  const names = ['track', 'flush', 'onSegment', 'onError', 'exportData', 'shopifyEvent', 'showPanel', 'hidePanel', 'setConsent', 'init', 'nope', '', 'constructor', '__proto__', 'toString', 'hasOwnProperty']
  for (let i = 0; i < 2000; i++) {
    const r = random()
    const command: any = r < 0.2 ? randomValue() : r < 0.6 ? ['track', mutate(clone(pick(input.templates)))] : [pick(names), randomValue(), randomValue()]
    // Withdrawing consent deletes what was stored (the privacy and trust tests check it); the fuzzer keeps
    // consent granted so that what it stored can be checked below.
    if (r >= 0.6 && command[0] === 'setConsent' && (command[1] === 'pending' || command[1] === 'denied')) command[1] = 'granted'
    counts.queue++
    try {
      w.seglet.push(command)
    } catch (error) {
      if (counts.queueThrew.length < 5) counts.queueThrew.push(String(error))
    }
  }
  // 3. The GA4 dataLayer: push keeps returning the new length.
  for (let i = 0; i < 2000; i++) {
    const entry = random() < 0.75 ? mutate(clone(pick(input.ga4))) : randomValue()
    counts.dataLayer++
    try {
      if (w.dataLayer.push(entry) !== w.dataLayer.length) counts.dataLayerWrong++
    } catch {
      counts.dataLayerWrong++
    }
  }
  // 4. Shopify customer events: dropped and reported, never thrown.
  for (let i = 0; i < 2000; i++) {
    const event = random() < 0.75 ? mutate(clone(pick(input.shopify))) : randomValue()
    counts.shopify++
    try {
      w.Seglet.shopifyEvent(event)
    } catch (error) {
      if (counts.shopifyThrew.length < 5) counts.shopifyThrew.push(String(error))
    }
  }
  return counts
}

/** A stored record is valid when validateEvent accepts it and gives back exactly the same event. */
function expectValidRecord(record: Record<string, unknown>) {
  const { id, ts, ...event } = record
  expect(typeof id === 'string' && id.length > 0, JSON.stringify(record).slice(0, 200)).toBe(true)
  expect(Number.isFinite(ts)).toBe(true)
  let clean: unknown
  expect(() => (clean = validateEvent(event)), JSON.stringify(record).slice(0, 300)).not.toThrow()
  expect(clean).toEqual(event)
}

describe('seeded fuzz', () => {
  it(`10,000 malformed values to track(), the queue and both bridges (seed ${SEED}): nothing escapes, nothing invalid stored`, async () => {
    const ga4 = JSON.parse(await readFile(new URL('../../src/capture/fixtures/ga4-datalayer.json', import.meta.url), 'utf8'))
    const shopify = Object.values(JSON.parse(await readFile(new URL('../../src/capture/fixtures/shopify-web-pixels.json', import.meta.url), 'utf8')))
    const page = await h.newPage()
    await page.goto(h.baseUrl + '/test/browser/pages/tag.html')
    await waitForSeglet(page)
    const counts = await page.evaluate(fuzzInPage, { seed: SEED, templates: TEMPLATES, ga4, shopify })
    console.log(`[fuzz] seed ${SEED}:`, JSON.stringify(counts))
    const total = counts.track + counts.queue + counts.dataLayer + counts.shopify
    expect(total).toBeGreaterThanOrEqual(10_000)
    expect(counts.trackWrongError).toEqual([])
    expect(counts.trackRejected).toBeGreaterThan(2000)
    expect(counts.trackAccepted).toBeGreaterThan(100) // the mutations leave some events valid
    expect(counts.queueThrew).toEqual([])
    expect(counts.dataLayerWrong).toBe(0)
    expect(counts.shopifyThrew).toEqual([])

    await page.evaluate(() => (window as unknown as { Seglet: { flush(): Promise<void> } }).Seglet.flush())
    // Let segment decisions (idle callbacks asked for by the flush) and hooks (some registered by the fuzzer, throwing) run.
    await pageTime(page, 500)
    const t = await probes(page)
    expect(t.escaped).toEqual([])
    expect(page.uncaughtErrors).toEqual([])
    expect(t.errors.length).toBeGreaterThan(0)
    for (const e of t.errors) expect(ERROR_CODES.has(e.code), e.code).toBe(true)

    // The store is readable, through Seglet and directly, and holds only valid events.
    const exported = await page.evaluate(async () => {
      const data = await (window as unknown as { Seglet: { exportData(): Promise<{ events: unknown[] }> } }).Seglet.exportData()
      return data.events.length
    })
    const db = await readDb(page)
    expect(db.events.length).toBeGreaterThan(counts.trackAccepted / 2)
    expect(exported).toBeGreaterThanOrEqual(db.events.length)
    for (const record of db.events) expectValidRecord(record)
    expect(new Set(db.events.map((e) => e.id)).size).toBe(db.events.length)
    // A fresh page still starts from this store without complaint.
    await page.reload()
    await waitForSeglet(page)
    await pageTime(page, 300)
    expect((await probes(page)).errors.filter((e) => e.code.startsWith('storage_'))).toEqual([])
    await page.close()
  })

  it('random data-* attributes on the script tag: never throws into the page, bad values reported, requests same-origin', async () => {
    const random = mulberry32(SEED)
    const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)]
    const NAMES = ['consent', 'respect-gpc', 'autocapture', 'datalayer', 'anti-flicker', 'anti-flicker-timeout', 'retention-days', 'db-name', 'segment-without-consent', 'pack-url', 'pack-integrity', 'autostart']
    const VALUES = ['', 'true', 'false', 'TRUE', ' yes ', '0', '1', '-1', '1e9', 'NaN', 'Infinity', '300', '3650', '3651', '0.5', 'granted', 'denied', 'pending', 'GRANTED', 'maybe',
      'x'.repeat(2000), '"><script>alert(1)</script>', 'javascript:alert(1)', '../../etc/passwd', 'seglet', 'seglet-fuzz', 'a b', 'ü', '\u202e', 'sha256-abc', 'sha256-' + 'A'.repeat(43) + '=',
      '/shop-packs/x.json', 'https://evil.example/pack.json', '//evil.example/p.json', 'data:application/json,{}', 'blob:x']
    const loads = 60
    let attributes = 0
    h.requests.length = 0
    const page = await h.newPage()
    for (let i = 0; i < loads; i++) {
      const attrs: Record<string, string> = {}
      for (const name of NAMES) {
        if (random() < 0.8) {
          attrs[name] = pick(VALUES)
          attributes++
        }
      }
      await page.goto(h.baseUrl + '/test/browser/pages/tag.html?attrs=' + encodeURIComponent(JSON.stringify(attrs)))
      await waitForSeglet(page)
      const started = await page.evaluate(() => {
        const S = (window as unknown as { Seglet: { track(e: unknown): void } }).Seglet
        try {
          S.track({ type: 'search', query: 'still works' })
          return 'started'
        } catch (error) {
          return (error as { code?: string }).code ?? String(error)
        }
      })
      expect(['started', 'not_started']).toContain(started)
      if (attrs.autostart === undefined || !['false', '0', 'no'].includes(attrs.autostart.trim().toLowerCase())) expect(started, JSON.stringify(attrs)).toBe('started')
      await page.waitForTimeout(20)
      const t = await probes(page)
      expect(t.escaped, JSON.stringify(attrs)).toEqual([])
      for (const e of t.errors) expect(ERROR_CODES.has(e.code), e.code).toBe(true)
      if (started === 'started' && attrs.consent !== undefined && !['granted', 'denied', 'pending'].includes(attrs.consent)) {
        expect(t.errors.some((e) => e.code === 'invalid_option' && e.message.includes('data-consent')), JSON.stringify(attrs)).toBe(true)
      }
    }
    console.log(`[fuzz] ${loads} page loads, ${attributes} random data-* attribute values`)
    expect(attributes).toBeGreaterThan(500)
    expect(page.uncaughtErrors).toEqual([])
    for (const url of h.requests) expect(url.startsWith(h.baseUrl), url).toBe(true)
    await page.close()
  })
})
