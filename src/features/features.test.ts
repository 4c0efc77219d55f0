import { describe, expect, it } from 'vitest'
import type { StoredEvent } from '../events/types'
import type { FeatureSpec } from '../pack/types'
import {
  aggregateLifetime, aggregateSession, applyFeatureSpec, computeFeatures, DEFAULT_SESSION_GAP_MS,
  LIFETIME_FEATURE_NAMES, LIFETIME_FEATURE_TRANSFORMS, lifetimeVector, pageGroup,
  SESSION_FEATURE_NAMES, SESSION_FEATURE_TRANSFORMS, sessionize, sessionVector,
  specialDayCloseness, nearestSpecialDay, selectFeatures, SESSION_FEATURES, LIFETIME_FEATURES,
} from './index'

let seq = 0
const ev = (ts: number, event: Record<string, unknown>): StoredEvent => ({ ...event, id: `e${seq++}`, ts }) as StoredEvent
const at = (y: number, m: number, d: number, h = 12) => new Date(y, m - 1, d, h).getTime()
const DAY = 86_400_000

describe('pageGroup', () => {
  it.each([
    ['account', 'administrative'], ['informational', 'informational'], ['home', 'product'], ['category', 'product'],
    ['product', 'product'], ['search', 'product'], ['cart', 'product'], ['checkout', 'product'], ['other', 'none'],
  ] as const)('%s → %s', (type, group) => expect(pageGroup(type)).toBe(group))
})

describe('specialDayCloseness', () => {
  it.each([
    [at(2018, 2, 3), 0], // 11 days before Valentine's
    [at(2018, 2, 4), 0.2],
    [at(2018, 2, 7), 0.8],
    [at(2018, 2, 8), 1], // peak, 6 days before
    [at(2018, 2, 9), 0.8],
    [at(2018, 2, 12), 0.2],
    [at(2018, 2, 13), 0],
    [at(2018, 2, 14), 0], // the day itself is too late to order
    [at(2018, 5, 6), 1], // Mother's Day 2018 = 13 May, peak the Sunday before
    [at(2018, 5, 7), 0.8],
    [at(2018, 11, 20), 0],
  ])('%s → %s', (ts, expected) => expect(specialDayCloseness(ts)).toBe(expected))

  it('uses a custom calendar', () => {
    expect(specialDayCloseness(at(2018, 12, 19), [{ name: 'Christmas', month: 12, day: 25 }])).toBe(1)
    expect(specialDayCloseness(at(2018, 12, 15), [{ name: 'Christmas', month: 12, day: 25, peakDaysBefore: 10 }])).toBe(1)
    expect(specialDayCloseness(at(2018, 12, 19), [])).toBe(0)
  })

  it('names the special day the closeness is to, and none at 0 or for a rule without a name', () => {
    expect(nearestSpecialDay(at(2018, 2, 7))).toEqual({ closeness: 0.8, name: "Valentine's Day" })
    expect(nearestSpecialDay(at(2018, 5, 7))).toEqual({ closeness: 0.8, name: "Mother's Day" })
    expect(nearestSpecialDay(at(2018, 11, 20))).toEqual({ closeness: 0 })
    const rules = [{ name: 'Christmas', month: 12, day: 25 }, { name: 'Boxing Day', month: 12, day: 26 }]
    // The closer of two: 19 December peaks Christmas (6 days before), Boxing Day is 0.8.
    expect(nearestSpecialDay(at(2018, 12, 19), rules)).toEqual({ closeness: 1, name: 'Christmas' })
    expect(nearestSpecialDay(at(2018, 12, 20), rules)).toEqual({ closeness: 1, name: 'Boxing Day' })
    expect(nearestSpecialDay(at(2018, 12, 19), [{ month: 12, day: 25 } as never])).toEqual({ closeness: 1 })
    // A rule the code cannot read makes the closeness NaN, which training refuses before it reads any data.
    expect(nearestSpecialDay(at(2018, 12, 19), [{ name: 'x' } as never, ...rules]).closeness).toBeNaN()
    // The session's aggregate carries it for explanations.
    const agg = aggregateSession([ev(at(2018, 5, 7), { type: 'page_view', url: '/', pageType: 'home' })])
    expect([agg.specialDay, agg.specialDayName]).toEqual([0.8, "Mother's Day"])
    expect(aggregateSession([ev(at(2018, 11, 20), { type: 'page_view', url: '/', pageType: 'home' })])).not.toHaveProperty('specialDayName')
  })
})

describe('sessionize', () => {
  it.each([
    ['empty', [], []],
    ['one event', [0], [1]],
    ['gap equal to the limit stays together', [0, DEFAULT_SESSION_GAP_MS], [2]],
    ['gap above the limit splits', [0, DEFAULT_SESSION_GAP_MS + 1], [1, 1]],
    ['unsorted input is sorted', [5000, 0, 4 * DEFAULT_SESSION_GAP_MS], [2, 1]],
  ] as const)('%s', (_, times, sizes) => {
    const sessions = sessionize(times.map((t) => ev(t, { type: 'search', query: 'x' })))
    expect(sessions.map((s) => s.length)).toEqual(sizes)
  })
  it('honours a custom gap', () => {
    expect(sessionize([ev(0, { type: 'search', query: '' }), ev(2000, { type: 'search', query: '' })], 1000)).toHaveLength(2)
  })
})

describe('aggregateSession', () => {
  const t = at(2018, 11, 17, 10) // a Saturday in November
  const events = [
    ev(t, { type: 'page_view', url: '/', pageType: 'home', stats: { bounceRate: 0.1, exitRate: 0.2, pageValue: 0 } }),
    ev(t + 1, { type: 'engagement', url: '/', pageType: 'home', visibleMs: 1500, scrollDepth: 1 }),
    ev(t + 2, { type: 'page_view', url: '/p/1', pageType: 'product', stats: { bounceRate: 0.3, exitRate: 0.4, pageValue: 10 } }),
    ev(t + 3, { type: 'product_view', productId: 'p1' }),
    ev(t + 4, { type: 'engagement', url: '/p/1', pageType: 'product', visibleMs: 2500.4, scrollDepth: 1 }),
    ev(t + 5, { type: 'page_view', url: '/account', pageType: 'account' }),
    ev(t + 6, { type: 'engagement', url: '/account', pageType: 'account', visibleMs: 4000, scrollDepth: 1 }),
    ev(t + 7, { type: 'page_view', url: '/about', pageType: 'informational' }),
    ev(t + 8, { type: 'page_view', url: '/404', pageType: 'other', stats: { pageValue: 2 } }),
    ev(t + 9, { type: 'engagement', url: '/404', pageType: 'other', visibleMs: 9000, scrollDepth: 1 }),
    ev(t + 10, { type: 'search', query: 'socks' }),
    ev(t + 11, { type: 'add_to_cart', productId: 'p1', quantity: 1 }),
  ]
  const agg = aggregateSession(events, { returning: true })

  it.each([
    ['administrativePages', 1], ['administrativeSeconds', 4], ['informationalPages', 1], ['informationalSeconds', 0],
    ['productPages', 2], ['productSeconds', 4], ['pageViews', 5], ['productViews', 1], ['searches', 1],
    ['cartReached', true], ['checkoutReached', false], ['month', 10], ['weekend', true], ['specialDay', 0],
    ['returning', true],
  ] as const)('%s = %s', (key, value) => expect(agg[key]).toBe(value))

  it('averages each statistic over the page views that carry it', () => {
    expect(agg.stats!.bounceRate).toBeCloseTo(0.2, 12)
    expect(agg.stats!.exitRate).toBeCloseTo(0.3, 12)
    expect(agg.stats!.pageValue).toBeCloseTo(4, 12)
  })

  it('has no stats when no page view carries them', () => {
    expect(aggregateSession([ev(t, { type: 'page_view', url: '/', pageType: 'home' })]).stats).toBeNull()
  })

  it('has no stats when no page view carries a page value: rates alone read as no statistics', () => {
    const rates = aggregateSession([
      ev(t, { type: 'page_view', url: '/', pageType: 'home', stats: { bounceRate: 0.1, exitRate: 0.2 } }),
      ev(t + 1, { type: 'page_view', url: '/p/1', pageType: 'product', stats: { exitRate: 0.4 } }),
    ])
    expect(rates.stats).toBeNull()
    expect(sessionVector(rates)[SESSION_FEATURE_NAMES.indexOf('has_stats')]).toBe(0)
  })

  it('keeps a page value without rates, the rates absent and read as 0', () => {
    const value = aggregateSession([
      ev(t, { type: 'page_view', url: '/', pageType: 'home', stats: { pageValue: 12 } }),
      ev(t + 1, { type: 'page_view', url: '/p/1', pageType: 'product', stats: { pageValue: 0, exitRate: 0.5 } }),
    ])
    expect(value.stats).toEqual({ exitRate: 0.5, pageValue: 6 })
    const raw = sessionVector(value)
    const read = (name: string) => raw[SESSION_FEATURE_NAMES.indexOf(name)]
    expect([read('has_stats'), read('bounce_rate'), read('exit_rate'), read('page_value'), read('page_value_positive')]).toEqual([1, 0, 0.5, 6, 1])
  })

  it('counts checkout from begin_checkout, purchase or a checkout page', () => {
    for (const e of [{ type: 'begin_checkout' }, { type: 'purchase', orderId: 'o', value: 1, currency: 'EUR', items: [] }, { type: 'page_view', url: '/c', pageType: 'checkout' }]) {
      expect(aggregateSession([ev(t, e)]).checkoutReached).toBe(true)
    }
  })
})

describe('aggregateLifetime', () => {
  const now = at(2020, 6, 1)
  const purchase = (ts: number, orderId: string, value: number, products: string[]) =>
    ev(ts, { type: 'purchase', orderId, value, currency: 'EUR', items: products.map((productId) => ({ productId, quantity: 1, price: 1 })) })

  it('is all zeros without orders', () => {
    expect(lifetimeVector(aggregateLifetime([], now))).toEqual(LIFETIME_FEATURE_NAMES.map(() => 0))
  })

  it('folds RFM from purchases and refunds', () => {
    const agg = aggregateLifetime([
      purchase(now - 100 * DAY, 'a', 30, ['x', 'y']),
      purchase(now - 100 * DAY + 1000, 'a', 30, ['x', 'y']), // the same order tracked twice
      purchase(now - 10 * DAY, 'b', 50, ['y', 'z']),
      ev(now - 5 * DAY, { type: 'refund', orderId: 'b', value: 20, currency: 'EUR' }),
      purchase(now + DAY, 'future', 999, ['q']),
    ], now)
    expect(agg).toEqual({
      orders: 2, monetary: 80, averageBasket: 40, recencyDays: 10, tenureDays: 100, ordersLast90Days: 1, activeDays: 2,
      distinctProducts: 3, returns: 1, returnValue: 20,
    })
    expect(lifetimeVector(agg)).toEqual([10, 2, 80, 40, 100, 1, 2, 100, 3, 1, 20])
  })
})

describe('vectors and specs', () => {
  it('have one transform per name', () => {
    expect(SESSION_FEATURE_TRANSFORMS).toHaveLength(SESSION_FEATURE_NAMES.length)
    expect(LIFETIME_FEATURE_TRANSFORMS).toHaveLength(LIFETIME_FEATURE_NAMES.length)
  })

  it('session vector follows SESSION_FEATURE_NAMES, with stats zero and flagged when missing', () => {
    const agg = aggregateSession([ev(at(2018, 4, 1), { type: 'page_view', url: '/', pageType: 'home' })])
    const v = sessionVector(agg)
    expect(v).toHaveLength(SESSION_FEATURE_NAMES.length)
    const byName = Object.fromEntries(SESSION_FEATURE_NAMES.map((n, i) => [n, v[i]]))
    expect(byName).toMatchObject({ product_pages: 1, has_stats: 0, bounce_rate: 0, page_value: 0, page_value_positive: 0, returning: 0 })
    expect(byName.month_sin).toBeCloseTo(1, 12) // April (month 3): angle π/2
  })

  const spec: FeatureSpec = { version: 'v', names: ['a', 'b', 'c'], transforms: ['identity', 'log1p', 'log1p'], mean: [1, 0, 0], std: [2, 1, 0] }
  it.each([
    [[3, Math.E - 1, 0], [1, 1, 0]],
    [[NaN, -5, 1], [-0.5, 0, Math.log(2)]],
  ])('applyFeatureSpec(%j)', (raw, expected) => {
    const out = Array.from(applyFeatureSpec(raw, spec))
    expected.forEach((e, i) => expect(out[i]).toBeCloseTo(e, 6))
  })

  it('names every feature once, and says each one in words', () => {
    for (const table of [SESSION_FEATURES, LIFETIME_FEATURES] as const) {
      const names = table.map((f) => f.name)
      expect(new Set(names).size).toBe(names.length)
      for (const f of table) {
        expect(f.name).toMatch(/^[a-z0-9_]+$/)
        for (const value of [0, 1, 7.5]) expect(f.describe(value), f.name).toMatch(/\w/)
      }
    }
  })

  it('selectFeatures reads the features a pack names, in its order', () => {
    const raw = sessionVector(aggregateSession([ev(at(2018, 4, 1), { type: 'page_view', url: '/', pageType: 'home' })]))
    const picked = selectFeatures(raw, SESSION_FEATURE_NAMES, ['has_stats', 'product_pages', 'cart_reached'])
    expect(picked).toEqual([0, 1, 0])
    expect(selectFeatures(raw, SESSION_FEATURE_NAMES, ['no_such_feature'])[0]).toBeNaN()
  })
})

describe('computeFeatures', () => {
  const day1 = at(2018, 11, 14, 9) // Wednesday
  const day2 = day1 + DAY
  const history = [
    ev(day1, { type: 'page_view', url: '/', pageType: 'home' }),
    ev(day1 + 1000, { type: 'purchase', orderId: 'o1', value: 25, currency: 'EUR', items: [{ productId: 'p', quantity: 1, price: 25 }] }),
    ev(day2, { type: 'page_view', url: '/p', pageType: 'product', stats: { pageValue: 3 } }),
    ev(day2 + 5000, { type: 'engagement', url: '/p', pageType: 'product', visibleMs: 5000, scrollDepth: 0.3 }),
  ]

  it('folds the last session, marks it returning and adds lifetime RFM', () => {
    const f = computeFeatures(history, day2 + 10_000)
    expect(f.session).toMatchObject({ productPages: 1, productSeconds: 5, returning: true, weekend: false, month: 10 })
    expect(f.lifetime).toMatchObject({ orders: 1, monetary: 25 })
    expect(f.lifetime.recencyDays).toBeCloseTo(1, 3)
    expect(f.sessionRaw).toEqual(sessionVector(f.session))
    expect(f.lifetimeRaw).toEqual(lifetimeVector(f.lifetime))
  })

  it('a first visit is new', () => {
    expect(computeFeatures(history.slice(2), day2 + 10_000).session.returning).toBe(false)
  })

  it('ignores events after now', () => {
    const f = computeFeatures(history, day1 + 2000)
    expect(f.session.returning).toBe(false)
    expect(f.session.productPages).toBe(1) // home counts as product-related
  })
})
