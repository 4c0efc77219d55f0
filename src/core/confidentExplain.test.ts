// @vitest-environment node
// A segment the shipped session pack is certain of, to float32's last bit: explain() and the panel still
// say what the decision rests on (log-odds from the head's logits), not "Nothing you did yet".
import { describe, expect, it } from 'vitest'
import type { StoredEvent } from '../events/types'
import { createModelRuntime } from '../model/runtime'
import { createSegmentEngine } from '../segments'
import { decideSegment } from './decideSegment'

let seq = 0
// December: with pages of no known type (no meta tag, no URL rule), the shipped pack is certain.
const start = new Date(2026, 11, 5, 10).getTime()
const ev = (offset: number, event: Record<string, unknown>): StoredEvent => ({ ...event, id: `e${seq++}`, ts: start + offset * 1000 }) as StoredEvent
const events = [0, 1, 2, 3].flatMap((i) => [
  ev(i * 3, { type: 'page_view', url: '/', pageType: 'other' }),
  ev(i * 3 + 1, { type: 'product_view', productId: 'sku-42', price: 19.9, currency: 'EUR' }),
  ev(i * 3 + 2, { type: 'engagement', url: '/', pageType: 'other', visibleMs: 2500, scrollDepth: 0 }),
])

describe('explain() of a certain segment', () => {
  it('names the features the decision rests on when the probability rounds to 1', async () => {
    const result = (await decideSegment({ events, now: events[events.length - 1].ts + 1000, runtime: createModelRuntime(), engine: createSegmentEngine(), model: {} }))!
    expect(result.segment.coldStart).toBe(false)
    expect(result.segment.confidence).toBe(1)
    const lines = result.explain()
    expect(lines.length).toBeGreaterThan(0)
    for (const line of lines) {
      expect(Number.isFinite(line.delta)).toBe(true)
      expect(line.text.length).toBeGreaterThan(0)
    }
  })
})
