// Each behaviour feature, replayed from the events Seglet captures into the value the feature table reads.
import { describe, expect, it } from 'vitest'
import type { StoredEvent } from '../events/types'
import { computeFeatures } from './computeFeatures'
import { createFeatureFold } from './createFeatureFold'
import { SESSION_FEATURE_NAMES } from './featureNames'

const MINUTE = 60_000
const DAY = 86_400_000
let seq = 0
const at = (h: number, m = 0) => new Date(2025, 10, 12, h, m).getTime() // a Wednesday, local time
const ev = (ts: number, event: Record<string, unknown>, id = `e${seq++}`): StoredEvent => ({ ...event, id, ts }) as StoredEvent
const view = (ts: number, pageType = 'product') => ev(ts, { type: 'page_view', url: '/x', pageType })

/** The feature `name` of the current session, read from the full vector as a pack would read it. */
function feature(events: StoredEvent[], name: string, now = events[events.length - 1].ts + 1000): number {
  const features = computeFeatures(events, now)
  const i = SESSION_FEATURE_NAMES.indexOf(name)
  expect(i, name).toBeGreaterThanOrEqual(0)
  // The incremental fold, fed one event at a time, reads the same value.
  const fold = createFeatureFold(events.slice(0, 1))
  for (const event of events.slice(1)) expect(fold.add([event])).toBe(true)
  expect(fold.features(now)!.sessionRaw[i], `${name} (incremental)`).toBeCloseTo(features.sessionRaw[i], 12)
  return features.sessionRaw[i]
}

const t = at(10)
const cases: Array<[string, string, StoredEvent[], number]> = [
  ['products_added', 'sums the quantities added', [view(t), ev(t + 1, { type: 'add_to_cart', productId: 'a', quantity: 2, price: 10 }), ev(t + 2, { type: 'add_to_cart', productId: 'b', quantity: 1 })], 3],
  ['products_added', 'is 0 without an add_to_cart', [view(t), view(t + 1)], 0],
  ['products_removed', 'sums the quantities taken out', [view(t), ev(t + 1, { type: 'add_to_cart', productId: 'a', quantity: 3, price: 5 }), ev(t + 2, { type: 'remove_from_cart', productId: 'a', quantity: 2, price: 5 })], 2],
  ['cart_value', 'is value added minus value removed, to the cent', [
    view(t),
    ev(t + 1, { type: 'add_to_cart', productId: 'a', quantity: 2, price: 19.99 }),
    ev(t + 2, { type: 'add_to_cart', productId: 'b', quantity: 1, price: 0.1 }),
    ev(t + 3, { type: 'remove_from_cart', productId: 'a', quantity: 1, price: 19.99 }),
  ], 20.09],
  ['cart_value', 'never goes below 0 (an item added in an earlier session taken out now)', [view(t), ev(t + 1, { type: 'remove_from_cart', productId: 'a', quantity: 1, price: 30 })], 0],
  ['cart_value', 'adds nothing for items without a price', [view(t), ev(t + 1, { type: 'add_to_cart', productId: 'a', quantity: 4 })], 0],
  ['cart_reached', 'is 1 after an add_to_cart', [view(t), ev(t + 1, { type: 'add_to_cart', productId: 'a', quantity: 1 })], 1],
  ['cart_reached', 'is 1 after a cart page', [view(t), view(t + 1, 'cart')], 1],
  ['cart_reached', 'is 0 before either', [view(t), view(t + 1, 'category')], 0],
  ['checkout_reached', 'is 1 after begin_checkout', [view(t), ev(t + 1, { type: 'begin_checkout', value: 20 })], 1],
  ['checkout_reached', 'is 1 on a checkout page', [view(t), view(t + 1, 'checkout')], 1],
  ['checkout_reached', 'is 0 with only a cart', [view(t), view(t + 1, 'cart')], 0],
  ['searches', 'counts search events', [view(t), ev(t + 1, { type: 'search', query: 'boots' }), ev(t + 2, { type: 'search', query: 'red boots' })], 2],
  ['product_views', 'counts product_view events', [view(t), ev(t + 1, { type: 'product_view', productId: 'a' }), ev(t + 2, { type: 'product_view', productId: 'a' })], 2],
  ['viewed_price_level', 'is the mean price of the priced product views', [
    view(t),
    ev(t + 1, { type: 'product_view', productId: 'a', price: 10 }),
    ev(t + 2, { type: 'product_view', productId: 'b', price: 25.5 }),
    ev(t + 3, { type: 'product_view', productId: 'c' }),
  ], 17.75],
  ['viewed_price_level', 'is 0 when no view carries a price', [view(t), ev(t + 1, { type: 'product_view', productId: 'a' })], 0],
  ['distinct_categories', 'counts distinct categories of viewed products', [
    view(t),
    ev(t + 1, { type: 'product_view', productId: 'a', category: 'shoes' }),
    ev(t + 2, { type: 'product_view', productId: 'b', category: 'shoes' }),
    ev(t + 3, { type: 'product_view', productId: 'c', category: 'bags' }),
    ev(t + 4, { type: 'product_view', productId: 'd' }),
  ], 2],
  ['scroll_depth', 'is the mean deepest scroll of the page engagement records', [
    view(t),
    ev(t + 1, { type: 'engagement', url: '/x', pageType: 'product', visibleMs: 1000, scrollDepth: 0.5 }),
    view(t + 2),
    ev(t + 3, { type: 'engagement', url: '/x', pageType: 'product', visibleMs: 1000, scrollDepth: 1 }),
  ], 0.75],
  ['scroll_depth', 'is 0 without engagement records', [view(t)], 0],
  ['days_since_previous_session', 'is the time from the previous session end, in days', [view(t - 3 * DAY), view(t - 3 * DAY + 10 * MINUTE), view(t + 10 * MINUTE)], 3],
  ['days_since_previous_session', 'is 0 on a first visit', [view(t), view(t + MINUTE)], 0],
  ['hour_sin', 'places the session start hour on the circle (18:00 → sin = -1)', [view(at(18)), view(at(18, 5))], -1],
  ['hour_cos', 'places the session start hour on the circle (00:00 → cos = 1)', [view(at(0)), view(at(0, 5))], 1],
  ['hour_cos', 'places the session start hour on the circle (12:00 → cos = -1)', [view(at(12)), view(at(12, 5))], -1],
]

describe('behaviour features replayed from events', () => {
  it.each(cases)('%s %s', (name, _, events, expected) => {
    expect(feature(events, name)).toBeCloseTo(expected, 9)
  })

  it('takes a removed cart item back out when the same event is written again (exact in cents)', () => {
    const add = ev(t + 1, { type: 'add_to_cart', productId: 'a', quantity: 1, price: 0.1 }, 'same')
    const fold = createFeatureFold([view(t), add])
    for (let i = 0; i < 50; i++) fold.add([{ ...add, ts: t + 2 + i } as StoredEvent])
    expect(fold.features(t + 100)!.session.cartValue).toBe(0.1)
  })

  it('covers every feature the public data lacks', () => {
    const covered = new Set(cases.map(([name]) => name))
    const behaviour = ['products_added', 'products_removed', 'cart_value', 'cart_reached', 'checkout_reached', 'searches', 'product_views', 'viewed_price_level', 'distinct_categories', 'scroll_depth', 'days_since_previous_session', 'hour_sin', 'hour_cos']
    for (const name of behaviour) expect(covered.has(name), name).toBe(true)
    expect(SESSION_FEATURE_NAMES.slice(-behaviour.length).sort()).toEqual([...behaviour].sort())
  })
})
