import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import type { PageType, StoredEvent } from '../events/types'
import { computeFeatures } from './computeFeatures'
import { HELD_EVENTS, createFeatureFold } from './createFeatureFold'
import { readEvidence } from './readEvidence'
import { DEFAULT_SESSION_GAP_MS } from './sessionize'

const MINUTE = 60_000
const PAGE_TYPES: PageType[] = ['home', 'category', 'product', 'search', 'cart', 'checkout', 'account', 'informational', 'other']

setFlagsFromString('--expose-gc')
/** A full garbage collection (V8's, exposed to this test). */
const gc = runInNewContext('gc') as () => void

/** A small seeded generator, so a failing case can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * A shopper's events as the store sees them, in write batches: page views (some with page statistics), the
 * engagement record of each page view written again with more visible time (same id, later), product views,
 * searches, carts, orders (some written twice), refunds; gaps now and then longer than a session gap, and
 * now and then an event that arrives late (an earlier time than the last write).
 */
function journey(seed: number): StoredEvent[][] {
  const r = random(seed)
  const pick = <T>(list: readonly T[]) => list[Math.floor(r() * list.length)]
  let ts = Date.UTC(2025, 10, 1 + Math.floor(r() * 20), 8 + Math.floor(r() * 10))
  let n = 0
  const batches: StoredEvent[][] = []
  let batch: StoredEvent[] = []
  let engagement: StoredEvent | undefined
  const push = (event: Record<string, unknown>, id = `e${n++}`) => batch.push({ ...event, id, ts } as StoredEvent)
  const steps = 5 + Math.floor(r() * 60)
  for (let step = 0; step < steps; step++) {
    const gapRoll = r()
    ts += gapRoll < 0.08 ? DEFAULT_SESSION_GAP_MS + Math.floor(r() * 3 * 86_400_000) : Math.floor(r() * 5 * MINUTE)
    const kind = r()
    if (kind < 0.3) {
      const pageType = pick(PAGE_TYPES)
      const stats = r() < 0.3 ? { bounceRate: r() * 0.2, exitRate: r() * 0.3, pageValue: r() < 0.5 ? r() * 50 : undefined } : undefined
      push({ type: 'page_view', url: `/p/${step}`, pageType, ...(stats ? { stats } : {}) })
      engagement = { type: 'engagement', url: `/p/${step}`, pageType, visibleMs: 0, scrollDepth: Math.round(r() * 100) / 100, id: `e${n++}`, ts } as StoredEvent
    } else if (kind < 0.55 && engagement) {
      // The page view's one engagement record, written again with the totals so far.
      const { visibleMs, scrollDepth } = engagement as { visibleMs: number; scrollDepth: number }
      engagement = { ...engagement, ts, visibleMs: visibleMs + Math.floor(r() * 90_000), scrollDepth: Math.min(1, scrollDepth + r() * 0.3) } as StoredEvent
      batch.push(engagement)
    } else if (kind < 0.65) {
      const priced = r() < 0.7 ? { price: Math.round(r() * 20_000) / 100 } : {}
      const category = r() < 0.6 ? { category: pick(['shoes', 'bags', 'hats', 'socks/wool']) } : {}
      push({ type: 'product_view', productId: `sku-${Math.floor(r() * 9)}`, ...priced, ...category })
    }
    else if (kind < 0.72) push({ type: 'search', query: 'boots' })
    else if (kind < 0.8) push({ type: 'add_to_cart', productId: 'sku-1', quantity: 1 + Math.floor(r() * 3), ...(r() < 0.8 ? { price: 19.99 } : {}) })
    else if (kind < 0.84) push({ type: 'remove_from_cart', productId: 'sku-1', quantity: 1, ...(r() < 0.8 ? { price: 19.99 } : {}) })
    else if (kind < 0.88) push({ type: 'begin_checkout' })
    else if (kind < 0.93) {
      const order = { type: 'purchase', orderId: `o${Math.floor(r() * 4)}`, value: Math.round(r() * 10_000) / 100, currency: 'EUR', items: [{ productId: 'sku-1', quantity: 1, price: 5 }] }
      push(order)
    } else if (kind < 0.95) push({ type: 'refund', orderId: 'o1', value: 5, currency: 'EUR' })
    else {
      // A late event: written now, stamped a little earlier (another tab's queue, say).
      const late = ts - Math.floor(r() * 40 * MINUTE)
      batch.push({ type: 'search', query: 'late', id: `e${n++}`, ts: late } as StoredEvent)
    }
    if (r() < 0.35) {
      batches.push(batch)
      batch = []
    }
  }
  batches.push(batch)
  return batches.filter((b) => b.length > 0)
}

/** What the store returns: the newest version of each id, sorted by time. */
function merged(batches: StoredEvent[][]): StoredEvent[] {
  const byId = new Map<string, StoredEvent>()
  for (const batch of batches) for (const event of batch) byId.set(event.id, event)
  return [...byId.values()].sort((a, b) => a.ts - b.ts)
}

const expectSameFeatures = (actual: ReturnType<typeof computeFeatures>, expected: ReturnType<typeof computeFeatures>, context: string) => {
  expect(actual.session, context).toEqual({ ...expected.session, stats: actual.session.stats && expected.session.stats ? actual.session.stats : expected.session.stats })
  if (expected.session.stats) {
    for (const key of ['bounceRate', 'exitRate', 'pageValue'] as const) {
      const value = expected.session.stats[key]
      if (value === undefined) expect(actual.session.stats![key], context).toBeUndefined()
      else expect(actual.session.stats![key], context).toBeCloseTo(value, 9)
    }
  }
  expect(actual.lifetime, context).toEqual(expected.lifetime)
  actual.sessionRaw.forEach((v, i) => expect(v, `${context} session[${i}]`).toBeCloseTo(expected.sessionRaw[i], 9))
  actual.lifetimeRaw.forEach((v, i) => expect(v, `${context} lifetime[${i}]`).toBeCloseTo(expected.lifetimeRaw[i], 9))
}

describe('createFeatureFold', () => {
  it('agrees with the full fold after every write batch of 120 random journeys', () => {
    let incremental = 0
    let rebuilt = 0
    for (let seed = 1; seed <= 120; seed++) {
      const batches = journey(seed)
      let fold = createFeatureFold(merged(batches.slice(0, 1)))
      for (let i = 1; i < batches.length; i++) {
        if (fold.add(batches[i])) incremental++
        else {
          rebuilt++
          fold = createFeatureFold(merged(batches.slice(0, i + 1)))
        }
        const seen = merged(batches.slice(0, i + 1))
        const now = seen[seen.length - 1].ts + 1000
        const actual = fold.features(now)
        expect(actual, `seed ${seed} batch ${i}`).toBeDefined()
        expectSameFeatures(actual!, computeFeatures(seen, now), `seed ${seed} batch ${i}`)
      }
    }
    // Late events just before the session are the only reason to rebuild: rare.
    expect(incremental).toBeGreaterThan(rebuilt * 10)
  })

  it.each([1, 2, 5])('agrees with the full fold when it holds only the newest %i events of a session', (held) => {
    let incremental = 0
    let rebuilt = 0
    for (let seed = 1; seed <= 120; seed++) {
      const batches = journey(seed)
      let fold = createFeatureFold(merged(batches.slice(0, 1)), {}, held)
      for (let i = 1; i < batches.length; i++) {
        if (fold.add(batches[i])) incremental++
        else {
          rebuilt++
          fold = createFeatureFold(merged(batches.slice(0, i + 1)), {}, held)
        }
        const seen = merged(batches.slice(0, i + 1))
        const now = seen[seen.length - 1].ts + 1000
        expectSameFeatures(fold.features(now)!, computeFeatures(seen, now), `held ${held} seed ${seed} batch ${i}`)
      }
    }
    // What it let go costs a full read only for a late event among it, or a record moved over a session gap.
    expect(incremental).toBeGreaterThan(rebuilt * 3)
  })

  it('follows a session of 3,000 events written one by one, engagement records written again, letting go of the old ones', async () => {
    const copies: StoredEvent[] = []
    const refs: WeakRef<StoredEvent>[] = []
    const fold = createFeatureFold([])
    let ts = Date.UTC(2025, 10, 3, 9)
    for (let n = 0; n < 1_000; n++) {
      ts += 20_000
      const view = { type: 'page_view', url: `/p/${n}`, pageType: 'product', id: `v${n}`, ts } as StoredEvent
      const product = { type: 'product_view', productId: `sku-${n}`, price: n % 50, category: `c${n % 7}`, id: `p${n}`, ts: ts + 1 } as StoredEvent
      const record = { type: 'engagement', url: `/p/${n}`, pageType: 'product', visibleMs: 15_000, scrollDepth: 0.5, id: `g${n}`, ts: ts + 2 } as StoredEvent
      const again = { ...record, visibleMs: 19_000, scrollDepth: 0.75, ts: ts + 19_000 } as StoredEvent
      for (const batch of [[view, product, record], [again]]) {
        expect(fold.add(batch), `page ${n}`).toBe(true)
        for (const event of batch) {
          copies.push({ ...event })
          refs.push(new WeakRef(event))
        }
      }
    }
    const now = ts + 60_000
    expectSameFeatures(fold.features(now)!, computeFeatures(merged([copies]), now), 'long session')
    expect(fold.features(now)!.session.pageViews).toBe(1_000)
    await new Promise((resolve) => setTimeout(resolve, 0))
    gc()
    expect(refs.filter((ref) => ref.deref() !== undefined).length).toBeLessThanOrEqual(2 * HELD_EVENTS + 1)
  })

  it('holds no more of a session of 5,000 events than of one of 500', async () => {
    // Counted structurally: which of the events the fold was given are still reachable after a full collection.
    const held = async (count: number) => {
      const refs: WeakRef<StoredEvent>[] = []
      const fold = createFeatureFold([])
      let ts = Date.UTC(2025, 10, 3, 9)
      for (let n = 0; n < count; n++) {
        ts += 2_000
        const event = { type: 'product_view', productId: `sku-${n}`, price: 19.9, id: `e${n}`, ts } as StoredEvent
        refs.push(new WeakRef(event))
        fold.add([event])
      }
      // A WeakRef keeps its target alive until the current task ends.
      await new Promise((resolve) => setTimeout(resolve, 0))
      gc()
      const alive = refs.filter((ref) => ref.deref() !== undefined).length
      // The fold is still in use: the events it let go count in its features all the same.
      expect(fold.features(ts)!.session.productViews).toBe(count)
      return alive
    }
    const short = await held(500)
    const long = await held(5_000)
    expect(long).toBeLessThanOrEqual(short)
    expect(long).toBeLessThanOrEqual(2 * HELD_EVENTS + 1)
  })

  it('counts an engagement record written again once, with its newest visible time', () => {
    const view = { type: 'page_view', url: '/p', pageType: 'product', id: 'v', ts: 1_000 } as StoredEvent
    const first = { type: 'engagement', url: '/p', pageType: 'product', visibleMs: 4_000, scrollDepth: 0.2, id: 'g', ts: 5_000 } as StoredEvent
    const fold = createFeatureFold([view, first])
    expect(fold.add([{ ...first, visibleMs: 9_000, ts: 10_000 } as StoredEvent])).toBe(true)
    expect(fold.features(20_000)!.session.productSeconds).toBe(9)
  })

  it('asks for a full read when an event lands just before the current session', () => {
    const fold = createFeatureFold([{ type: 'search', query: 'a', id: 'a', ts: 10 * MINUTE } as StoredEvent])
    expect(fold.add([{ type: 'search', query: 'b', id: 'b', ts: 5 * MINUTE } as StoredEvent])).toBe(false)
  })

  it('has no features while an event lies in the future', () => {
    const fold = createFeatureFold([{ type: 'search', query: 'a', id: 'a', ts: 10_000 } as StoredEvent])
    expect(fold.features(5_000)).toBeUndefined()
  })
})

describe('readEvidence', () => {
  it('counts the page views and orders that computeFeatures counts, for 300 random journeys', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const events = merged(journey(seed))
      for (const now of [events[Math.floor(events.length / 2)].ts, events[events.length - 1].ts + 1]) {
        const features = computeFeatures(events, now)
        expect(readEvidence(events, now), `seed ${seed}`).toEqual({ pageViews: features.session.pageViews, orders: features.lifetime.orders })
      }
    }
  })
})
