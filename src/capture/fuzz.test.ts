import { describe, expect, it } from 'vitest'
import { BridgeError, ValidationError } from '../errors/index'
import ga4 from './fixtures/ga4-datalayer.json'
import shopify from './fixtures/shopify-web-pixels.json'
import { createCapture } from './index'

/** Small seeded PRNG (mulberry32) so a failure is reproducible. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const ODD: unknown[] = [NaN, Infinity, -1, 0, 1e300, -0, '', 'x'.repeat(3000), '12.5', null, undefined, true,
  BigInt(7), Symbol('s'), [], {}, () => 1, new Date(), Object.create(null),
  new Proxy({}, { get() { throw new Error('trap') } }), (() => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy })()]

/** Replaces random leaves of a real payload with odd values. */
function mutate(value: unknown, random: () => number, depth = 0): unknown {
  const pool = ODD
  if (random() < 0.15 || depth > 6) return pool[Math.floor(random() * pool.length)]
  if (Array.isArray(value)) return value.map((v) => mutate(v, random, depth + 1))
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = mutate(v, random, depth + 1)
    return out
  }
  return value
}

describe('seeded fuzz of track and both bridges', () => {
  it('track throws only ValidationError; bridges never throw and report only BridgeError', () => {
    const random = rng(20240601)
    const errors: unknown[] = []
    const capture = createCapture({ enqueue: () => {}, onError: (e) => errors.push(e), options: { pageViews: false, engagement: false } })
    ;(window as unknown as { dataLayer: unknown[] }).dataLayer = []
    capture.start()
    const layer = (window as unknown as { dataLayer: unknown[] }).dataLayer
    const shopifyEvents = Object.values(shopify)
    const tracked = [
      { type: 'purchase', orderId: 'o', value: 1, currency: 'EUR', items: [{ productId: 'a', price: 1, quantity: 1 }] },
      { type: 'page_view', url: '/', pageType: 'home', stats: { bounceRate: 0.1 } },
      { type: 'engagement', url: '/', pageType: 'home', visibleMs: 1, scrollDepth: 0.5 },
    ]
    for (let i = 0; i < 3000; i++) {
      const base = tracked[i % tracked.length]
      try {
        capture.track(mutate(base, random))
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError)
      }
      expect(() => layer.push(mutate(ga4[i % ga4.length], random))).not.toThrow()
      expect(() => capture.shopifyEvent(mutate(shopifyEvents[i % shopifyEvents.length], random))).not.toThrow()
    }
    capture.stop()
    expect(errors.length).toBeGreaterThan(0)
    for (const error of errors) expect(error).toBeInstanceOf(BridgeError)
  })
})
