// @vitest-environment node
// A segment the shipped session pack is certain of, to float32's last bit: explain() and the panel still
// say what the decision rests on (log-odds from the head's logits), not "Nothing you did yet".
import { describe, expect, it } from 'vitest'
import type { StoredEvent } from '../events/types'
import { createModelRuntime } from '../model/runtime'
import { shopperReasons } from '../personalize/shopperReasons'
import { createSegmentEngine, DEFAULT_TOP_FEATURES } from '../segments'
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

const decide = async (list: StoredEvent[]) => (await decideSegment({ events: list, now: list[list.length - 1].ts + 1000, runtime: createModelRuntime(), engine: createSegmentEngine(), model: {} }))!

describe('explain() of a certain segment', () => {
  it('gives the panel something the shopper did, not only pages and time they did not have', async () => {
    // The features that move this decision most are all at zero (no shopping pages, no time on them): the
    // panel, which names only what the shopper did, still has lines, not "Nothing you did yet" under "How sure: 100%".
    const result = await decide(events)
    expect(result.segment.confidence).toBe(1)
    const lines = result.explain()
    expect(lines.some((line) => line.value === 0)).toBe(true)
    expect(shopperReasons(lines).length).toBeGreaterThan(0)
  })

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

// Five product pages of 20 s each: the shipped pack places the shopper among casual browsers, although the pages and
// the time count against that segment; what pulls toward it is the absence of account pages, the month (December)
// and the weekend.
const browsing = [0, 1, 2, 3, 4].flatMap((i) => [
  ev(i * 30, { type: 'page_view', url: `/p/${i}`, pageType: 'product' }),
  ev(i * 30 + 1, { type: 'product_view', productId: `sku-${i}`, price: 19.9, currency: 'EUR' }),
  ev(i * 30 + 20, { type: 'engagement', url: `/p/${i}`, pageType: 'product', visibleMs: 20000, scrollDepth: 0.8 }),
])

describe('the reasons of a segment', () => {
  it('are only what pulled the shopper toward it, biggest first, never a feature that counts against it', async () => {
    const result = await decide(browsing)
    expect(result.segment.coldStart).toBe(false)
    const lines = result.explain()
    expect(lines.length).toBeGreaterThan(0)
    for (const line of lines) expect(line.delta).toBeGreaterThan(0)
    expect(lines.map((line) => line.delta)).toEqual(lines.map((line) => line.delta).sort((a, b) => b - a))
    // The page counts pulled away from this segment: the panel does not give them as its reasons.
    const panel = shopperReasons(lines)
    expect(panel).not.toContain('5 shopping pages viewed')
    expect(panel.length).toBeGreaterThan(0)
  })

  it('go on past features at zero until they hold the lines of what the shopper did that the panel shows', async () => {
    // Twelve product pages of a minute each: more of what the shopper did pulls toward the segment than the panel shows.
    const longer = Array.from({ length: 12 }, (_, i) => [
      ev(i * 90, { type: 'page_view', url: `/p/${i}`, pageType: 'product' }),
      ev(i * 90 + 80, { type: 'engagement', url: `/p/${i}`, pageType: 'product', visibleMs: 60000, scrollDepth: 0.8 }),
    ]).flat()
    const result = await decide(longer)
    expect(result.segment.coldStart).toBe(false)
    const lines = result.explain()
    expect(lines.some((line) => line.value === 0)).toBe(true)
    expect(shopperReasons(lines, Infinity).length).toBe(DEFAULT_TOP_FEATURES)
    // The list ends at the line that completes them.
    expect(shopperReasons(lines.slice(0, -1), Infinity).length).toBe(DEFAULT_TOP_FEATURES - 1)
  })
})
