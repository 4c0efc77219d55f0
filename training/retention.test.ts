// @vitest-environment node
// Training computes each session's features from the history a shopper's browser still holds at that session's
// time: raw events older than storage.retentionDays (and beyond storage.maxEvents) are gone there, purchases and
// refunds stay for storage.purchaseRetentionDays. These tests replay shoppers' events through the browser's own
// store (retention, pruning), decision read and feature code, and compare with what training computes.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { readDecisionEvents } from '../src/core/readDecisionEvents'
import { computeFeatures } from '../src/features/computeFeatures'
import { DEFAULT_SESSION_GAP_MS } from '../src/features/sessionize'
import { sessionVector } from '../src/features/vectors'
import type { StoredEvent } from '../src/events/types'
import { DAY_MS, type RetentionPolicy } from '../src/privacy/retention'
import { createStore } from '../src/store'
import type { FeatureOptions } from '../src/features/types'
import { DataError } from './dataError'
import { eventCustomers, eventSessions } from './loadEvents'
import { describeRetention, retentionOptions } from './retentionOptions'

afterEach(() => vi.useRealTimers())

const MIN = 60_000
const T0 = Date.UTC(2025, 0, 6, 10)
let n = 0
const page = (ts: number, pageType: 'home' | 'product' | 'cart' = 'product'): StoredEvent =>
  ({ type: 'page_view', url: `/${pageType}/${n}`, pageType, id: `e${++n}`, ts }) as StoredEvent
const purchase = (ts: number, value = 40): StoredEvent =>
  ({ type: 'purchase', orderId: `#${++n}`, value, currency: 'EUR', items: [{ productId: 'p1', quantity: 1, price: value }], id: `e${n}`, ts }) as StoredEvent
const refund = (ts: number, value = 10): StoredEvent =>
  ({ type: 'refund', orderId: `#r${++n}`, value, currency: 'EUR', id: `e${n}`, ts }) as StoredEvent
/** A session of `views` product pages a minute apart from `day`, ending with an order when `buys`. */
const visit = (day: number, views: number, buys = false): StoredEvent[] => {
  const start = T0 + day * DAY_MS
  const list = [page(start, 'home'), ...Array.from({ length: views }, (_, i) => page(start + (i + 1) * MIN))]
  return buys ? [...list, page(start + (views + 1) * MIN, 'cart'), purchase(start + (views + 2) * MIN)] : list
}

/**
 * What the shopper's browser computes, replayed through the store: each event written at its own time, and at
 * the end of each session (its last event before an order) the decision read and computeFeatures, as a page does.
 */
async function browserVectors(events: StoredEvent[], storage: Partial<RetentionPolicy>, features: FeatureOptions = {}): Promise<number[][]> {
  const gap = features.sessionGapMs ?? DEFAULT_SESSION_GAP_MS
  vi.useFakeTimers({ toFake: ['Date'] })
  const store = createStore({ dbName: `retention-${++n}`, persist: true, ...storage })
  const out: number[][] = []
  let bought = false
  for (let i = 0; i < events.length; i++) {
    const event = events[i]
    if (i > 0 && event.ts - events[i - 1].ts > gap) bought = false
    vi.setSystemTime(event.ts)
    store.enqueue(event)
    if (event.type === 'purchase') bought = true
    if (bought) continue
    // The session's features before its order: a decision at its last event before the order or the gap.
    const next = events[i + 1]
    if (next === undefined || next.type === 'purchase' || next.ts - event.ts > gap) {
      await store.flush()
      out.push(computeFeatures(await readDecisionEvents(store, event.ts, gap), event.ts, features).sessionRaw)
    }
  }
  await store.forget()
  await store.close()
  return out
}

/** Training's vectors of one shopper's sessions (those with something before their order). */
const trainingVectors = (events: StoredEvent[], retention?: RetentionPolicy, features: FeatureOptions = {}) =>
  eventSessions(new Map([['s', events]]), features, retention).map((s) => sessionVector(s.aggregate))

const DEFAULTS: RetentionPolicy = { retentionDays: 30, purchaseRetentionDays: 730, maxEvents: 5000 }

describe("a shopper's sessions are computed from the history the browser still holds", () => {
  it('a shopper back after 40 days without an order is new to the browser, and to training', () => {
    const events = [...visit(0, 3), ...visit(40, 2)]
    const [first, second] = eventSessions(new Map([['s', events]]))
    expect(first.aggregate.returning).toBe(false)
    // 40 days on, the browser has dropped the first visit (storage.retentionDays, 30 by default).
    expect(second.aggregate.returning).toBe(false)
    expect(second.aggregate.daysSincePreviousSession).toBe(0)
    // Within the window the first visit is still there.
    const [, soon] = eventSessions(new Map([['s', [...visit(100, 3), ...visit(120, 2)]]]))
    expect(soon.aggregate.returning).toBe(true)
    expect(soon.aggregate.daysSincePreviousSession).toBeCloseTo(20, 2)
  })

  it('an order 40 days before is still held (purchaseRetentionDays): returning, counted from the order', () => {
    const events = [...visit(0, 3, true), ...visit(40, 2)]
    const sessions = eventSessions(new Map([['s', events]]))
    const last = sessions[sessions.length - 1].aggregate
    expect(last.returning).toBe(true)
    const order = events.find((e) => e.type === 'purchase')!
    expect(last.daysSincePreviousSession).toBeCloseTo((T0 + 40 * DAY_MS - order.ts) / DAY_MS, 9)
  })

  it.each([
    ['the defaults', {}, DEFAULTS],
    ['a shop that keeps 7 days of events, 60 of orders, at most 12 events', { retentionDays: 7, purchaseRetentionDays: 60, maxEvents: 12 }, { retentionDays: 7, purchaseRetentionDays: 60, maxEvents: 12 }],
  ] as const)('with %s: training gives the vectors the browser store and feature code give', async (_, storage, policy) => {
    const events = [
      ...visit(0, 4, true), ...visit(3, 2), ...visit(5, 6), ...visit(9, 1, true), ...visit(40, 3), ...visit(41, 2),
      ...visit(75, 5, true), refund(T0 + 76 * DAY_MS), ...visit(90, 2), ...visit(200, 3), ...visit(800, 2), ...visit(801, 14, true),
    ]
    const browser = await browserVectors(events, storage)
    const training = trainingVectors(events, policy)
    expect(training).toHaveLength(12)
    expect(training).toEqual(browser)
  })

  it('with a shorter session gap, the same', async () => {
    const events = [...visit(0, 4), ...visit(0.01, 3, true), ...visit(20, 2), ...visit(35, 2), ...visit(62, 1)]
    const features = { sessionGapMs: 5 * MIN }
    const policy = { retentionDays: 25, purchaseRetentionDays: 730, maxEvents: 5000 }
    expect(trainingVectors(events, policy, features)).toEqual(await browserVectors(events, policy, features))
  })
})

describe("a shop's customers are counted from the orders the browser still holds", () => {
  it('orders older than purchaseRetentionDays at the cutoff are not counted', () => {
    const cutoff = T0 + 1000 * DAY_MS
    const events = [purchase(T0, 100), purchase(T0 + 500 * DAY_MS, 20), purchase(T0 + 900 * DAY_MS, 30), purchase(cutoff + 10 * DAY_MS)]
    const [byDefault] = eventCustomers(new Map([['c', events]]), cutoff)
    // The first order (1000 days before) is gone from the browser: two orders, 500 days of tenure.
    expect(byDefault.aggregate).toMatchObject({ orders: 2, monetary: 50, tenureDays: 500 })
    expect(byDefault.label).toBe(1)
    const [shortKept] = eventCustomers(new Map([['c', events]]), cutoff, 90, { ...DEFAULTS, purchaseRetentionDays: 365 })
    expect(shortKept.aggregate).toMatchObject({ orders: 1, monetary: 30, tenureDays: 100 })
    // A customer whose every order is gone from the browser is not a customer there.
    expect(eventCustomers(new Map([['c', [purchase(T0)]]]), cutoff)).toEqual([])
  })
})

describe('the storage options of a shop', () => {
  it("are the browser's defaults unless given, and checked by the browser's option table", () => {
    expect(retentionOptions({})).toEqual(DEFAULTS)
    expect(retentionOptions({ 'retention-days': '7', 'purchase-retention-days': '365', 'max-events': '800' })).toEqual({ retentionDays: 7, purchaseRetentionDays: 365, maxEvents: 800 })
    expect(retentionOptions({ 'max-events': 'Infinity' }).maxEvents).toBe(Infinity)
    const fail = (args: Record<string, string | boolean>) => {
      try {
        retentionOptions(args)
      } catch (error) {
        expect(error).toBeInstanceOf(DataError)
        return (error as Error).message
      }
      return 'accepted'
    }
    expect(fail({ 'retention-days': '0' })).toBe('--retention-days: storage.retentionDays must be a number from 1 to 3650; got 0')
    expect(fail({ 'retention-days': '30d' })).toMatch(/^--retention-days: storage\.retentionDays must be a number/)
    expect(fail({ 'retention-days': '' })).toMatch(/^--retention-days: storage\.retentionDays must be a number/)
    expect(fail({ 'purchase-retention-days': '5000' })).toMatch(/^--purchase-retention-days: storage\.purchaseRetentionDays must be a number from 1 to 3650/)
    expect(fail({ 'max-events': '-1' })).toMatch(/^--max-events: storage\.maxEvents must be/)
    expect(fail({ 'max-events': '2.5' })).toMatch(/^--max-events: storage\.maxEvents must be/)
    expect(fail({ 'retention-days': true })).toBe('--retention-days needs a value')
  })

  it('are described for the provenance', () => {
    expect(describeRetention(DEFAULTS)).toBe('history as the browser keeps it: events 30 days (at most 5000), purchases and refunds 730 days')
    expect(describeRetention({ retentionDays: 7, purchaseRetentionDays: 365, maxEvents: Infinity })).toBe('history as the browser keeps it: events 7 days, purchases and refunds 365 days')
  })
})
