// @vitest-environment node
// Old storefront libraries still in use replace built-ins: Prototype.js (Magento 1, OpenMage) and MooTools set
// `Array.from` to their own, which ignores the map function (`Array.from({ length: 3 }, f)` gives `[]` or the object
// wrapped). What Seglet computes on such a page must not depend on it: the explanation of a decision (the panel's
// "What it is based on") and the hex of a private report's answer, which the collector refuses when malformed.
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { StoredEvent } from '../events/types'
import { createModelRuntime } from '../model/runtime'
import { createSegmentEngine } from '../segments'

/** Prototype.js 1.7's `$A`, which it installs as `Array.from`: no map function, and `[]` for an object without `toArray` or a length it can walk. */
function prototypeFrom(iterable: unknown): unknown[] {
  if (!iterable) return []
  const it = iterable as { toArray?: () => unknown[]; length?: number }
  if (typeof it.toArray === 'function') return it.toArray()
  const length = it.length || 0
  const results = new Array(length)
  for (let i = 0; i < length; i++) results[i] = (it as Record<number, unknown>)[i]
  return results
}

const nativeFrom = Array.from
afterEach(() => {
  Array.from = nativeFrom
  vi.resetModules()
})

let seq = 0
const start = new Date(2026, 11, 5, 10).getTime()
const ev = (offset: number, event: Record<string, unknown>): StoredEvent => ({ ...event, id: `e${seq++}`, ts: start + offset * 1000 }) as StoredEvent
const events = [0, 1, 2, 3].flatMap((i) => [
  ev(i * 3, { type: 'page_view', url: `/products/p${i}`, pageType: 'product' }),
  ev(i * 3 + 1, { type: 'product_view', productId: `p${i}`, price: 19.9, currency: 'EUR' }),
  ev(i * 3 + 2, { type: 'engagement', url: `/products/p${i}`, pageType: 'product', visibleMs: 25_000, scrollDepth: 0.6 }),
])

describe('a page whose library replaced Array.from (Prototype.js, MooTools)', () => {
  it('still explains the decision', async () => {
    const { decideSegment } = await import('./decideSegment')
    const expected = (await decideSegment({ events, now: start + 60_000, runtime: createModelRuntime(), engine: createSegmentEngine(), model: {} }))!.explain()
    expect(expected.length).toBeGreaterThan(0)
    Array.from = prototypeFrom as typeof Array.from
    const result = (await decideSegment({ events, now: start + 60_000, runtime: createModelRuntime(), engine: createSegmentEngine(), model: {} }))!
    expect(result.explain()).toEqual(expected)
  })

  it('writes a report answer in hex', async () => {
    Array.from = prototypeFrom as typeof Array.from
    const { toHex } = await import('../reports/lib/hex')
    expect(toHex(new Uint8Array([0, 9, 16, 171, 255]))).toBe('000910abff')
  })
})
