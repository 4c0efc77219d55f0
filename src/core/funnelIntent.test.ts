// @vitest-environment node
// A shopper in checkout, decided with the shipped pack (trained on public data without cart events): the
// segment carries the funnel facts, and the panel never shows the checkout as a low chance without saying why.
import { describe, expect, it } from 'vitest'
import type { StoredEvent } from '../events/types'
import { createModelRuntime } from '../model/runtime'
import { describeFunnel } from '../personalize/describeFunnel'
import { describeIntent } from '../personalize/describeIntent'
import { createSegmentEngine } from '../segments'
import { decideSegment } from './decideSegment'

let seq = 0
const start = new Date(2025, 10, 12, 10).getTime()
const ev = (offset: number, event: Record<string, unknown>): StoredEvent => ({ ...event, id: `e${seq++}`, ts: start + offset * 1000 }) as StoredEvent

const browsing = [
  ev(0, { type: 'page_view', url: '/', pageType: 'home' }),
  ev(5, { type: 'engagement', url: '/', pageType: 'home', visibleMs: 4000, scrollDepth: 0.4 }),
  ev(10, { type: 'page_view', url: '/p/mug', pageType: 'product' }),
  ev(11, { type: 'product_view', productId: 'mug', price: 19.95, category: 'kitchen' }),
]
const checkout = [
  ...browsing,
  ev(20, { type: 'add_to_cart', productId: 'mug', quantity: 2, price: 19.95, currency: 'EUR' }),
  ev(25, { type: 'page_view', url: '/cart', pageType: 'cart' }),
  ev(30, { type: 'begin_checkout', value: 39.9, currency: 'EUR' }),
  ev(31, { type: 'page_view', url: '/checkout', pageType: 'checkout' }),
]

async function decide(events: StoredEvent[]) {
  const result = await decideSegment({ events, now: events[events.length - 1].ts + 1000, runtime: createModelRuntime(), engine: createSegmentEngine(), model: {} })
  return result!.segment
}

describe('funnel facts with the shipped pack', () => {
  it('exposes cart and checkout on the segment, and says intent does not read them', async () => {
    const segment = await decide(checkout)
    expect(segment.funnel).toEqual({ cartReached: true, checkoutReached: true, productsAdded: 2, cartValue: 39.9, inIntent: false })
    expect((await decide(browsing)).funnel).toMatchObject({ cartReached: false, checkoutReached: false, productsAdded: 0, cartValue: 0 })
  })

  it('gives the reason when a shopper in checkout is not shown a high chance of buying', async () => {
    const segment = await decide(checkout)
    // The public data has no cart events, so the shipped pack's intent for this visit is low (browsing only).
    expect(segment.intent).toBeLessThan(segment.intentThreshold)
    const words = describeIntent(segment)
    expect(words).toContain('estimated from your browsing only')
    expect(words).toContain('reach checkout')
    expect(words).not.toContain('not high')
    expect(describeFunnel(segment.funnel)).toBe('reached checkout · 39.9 put in the cart')
  })
})

describe('describeIntent', () => {
  const funnel = { cartReached: true, checkoutReached: false, productsAdded: 1, cartValue: 10, inIntent: false }
  it.each([
    ['browsing, low', { intent: 0.03, intentThreshold: 0.49 }, '3% (not high)'],
    ['browsing, high', { intent: 0.8, intentThreshold: 0.49 }, '80% (high)'],
    ['in the cart, low, intent without funnel features', { intent: 0.03, intentThreshold: 0.49, funnel }, "3%, estimated from your browsing only: this shop's model has not yet learned from visits that reach the cart"],
    ['in checkout, low, intent without funnel features', { intent: 0.05, intentThreshold: 0.49, funnel: { ...funnel, checkoutReached: true } }, "5%, estimated from your browsing only: this shop's model has not yet learned from visits that reach checkout"],
    ['in checkout, low, intent that reads the funnel', { intent: 0.05, intentThreshold: 0.49, funnel: { ...funnel, checkoutReached: true, inIntent: true } }, '5% (not high)'],
    ['in checkout, high', { intent: 0.7, intentThreshold: 0.49, funnel: { ...funnel, checkoutReached: true } }, '70% (high)'],
  ] as const)('%s → %s', (_, segment, words) => expect(describeIntent(segment)).toBe(words))

  it.each([
    ['before the cart', { ...funnel, cartReached: false }, undefined],
    ['in the cart', funnel, 'reached the cart · 10 put in the cart'],
    ['in checkout with an empty cart value', { ...funnel, checkoutReached: true, cartValue: 0 }, 'reached checkout'],
  ] as const)('describeFunnel: %s', (_, f, words) => expect(describeFunnel(f)).toBe(words))
})
