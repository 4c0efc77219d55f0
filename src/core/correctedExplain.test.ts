// @vitest-environment node
// A session pack that private training updated: the segment's intent, explain() and the panel's words all
// give the intent the page got (corrected), and name the correction as a reason.
import { describe, expect, it } from 'vitest'
import type { StoredEvent } from '../events/types'
import { createModelRuntime } from '../model/runtime'
import { CORRECTION_REASON } from '../model/correctionReason'
import type { ModelRuntime } from '../model/types'
import type { ModelPack, ProbabilityHead } from '../pack/types'
import shipped from '../models/session.json'
import { describeIntent } from '../personalize/describeIntent'
import { formatPercent } from '../personalize/formatPercent'
import { shopperReasons } from '../personalize/shopperReasons'
import { toIntentBand } from '../personalize/toIntentBand'
import { identityCorrection } from '../reports/learn/correction'
import { LEARN_FEATURES, SCORE_BUCKETS } from '../reports/learn/schema'
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
  ev(40, { type: 'engagement', url: '/p/mug', pageType: 'product', visibleMs: 29000, scrollDepth: 0.7 }),
]
const added = [...browsing, ev(45, { type: 'add_to_cart', productId: 'mug', quantity: 1, price: 19.95, currency: 'EUR' })]

/** The shipped pack with a correction: one item in the cart adds 1.5 to the intent logit, in every score bucket. */
function updatedPack(): ModelPack {
  const correction = identityCorrection()
  const f = LEARN_FEATURES.findIndex((x) => x.name === 'products_added')
  const B = LEARN_FEATURES[f].buckets
  for (const view of ['withStats', 'withoutStats'] as const) for (let s = 0; s < SCORE_BUCKETS; s++) correction.views[view].terms[f][s * B + 1] = 1.5
  return { ...(shipped as unknown as ModelPack), version: '1.0.0+r20261130', intentCorrection: correction }
}

/** The real runtime, with `pack` as the session pack (as if the shop had published it). */
function runtimeWith(pack: ModelPack): ModelRuntime {
  const runtime = createModelRuntime()
  const loaded = runtime.loadPack(pack)
  return { ...runtime, getPack: (kind, options) => (kind === 'session' ? Promise.resolve(loaded) : runtime.getPack(kind, options)) }
}

async function decide(events: StoredEvent[], runtime: ModelRuntime) {
  return (await decideSegment({ events, now: events[events.length - 1].ts + 1000, runtime, engine: createSegmentEngine(), model: {} }))!
}

describe('explain() with a pack updated by private training', () => {
  it('reports the corrected intent, names the correction in plain words, and the panel says intent reads the cart', async () => {
    const plain = await decide(added, createModelRuntime())
    const result = await decide(added, runtimeWith(updatedPack()))
    const network = plain.segment.intent
    const logit = (p: number) => Math.log(p / (1 - p))
    // The page got the corrected intent.
    expect(logit(result.segment.intent) - logit(network)).toBeCloseTo(1.5, 4)
    const lines = result.explain()
    const reason = lines.find((l) => l.feature === CORRECTION_REASON)!
    expect(reason).toBeDefined()
    expect(reason.delta).toBeCloseTo(1.5, 4)
    expect(reason.value).toBeCloseTo(result.segment.intent, 6)
    expect(reason.text).toBe(`learned from this shop's visits (in private): 1 item added to the cart raises the chance of buying from ${formatPercent(network)} to ${formatPercent(result.segment.intent)}`)
    // The panel shows it among the reasons, and does not call the intent "from browsing only".
    expect(shopperReasons(lines)).toContain(reason.text)
    expect(result.segment.funnel?.inIntent).toBe(true)
    expect(describeIntent(result.segment)).not.toContain('browsing only')
    expect(plain.segment.funnel?.inIntent).toBe(false)
    expect(plain.explain().some((l) => l.feature === CORRECTION_REASON)).toBe(false)
  })

  it('names nothing when the correction did not move this session (nothing in the cart)', async () => {
    const plain = await decide(browsing, createModelRuntime())
    const result = await decide(browsing, runtimeWith(updatedPack()))
    expect(result.segment.intent).toBeCloseTo(plain.segment.intent, 6)
    expect(result.explain().some((l) => l.feature === CORRECTION_REASON)).toBe(false)
  })

  it('names the correction too when it explains the intent itself (no segment yet)', async () => {
    // One page view: a cold start, so explain() explains the intent (from the corrected probability).
    const single = [browsing[0], ev(2, { type: 'add_to_cart', productId: 'mug', quantity: 1, price: 19.95, currency: 'EUR' })]
    const result = await decide(single, runtimeWith(updatedPack()))
    expect(result.segment.coldStart).toBe(true)
    const lines = result.explain()
    expect(lines[lines.length - 1].feature).toBe(CORRECTION_REASON)
  })
})

describe('a pack in which no session counts as high intent (threshold 1)', () => {
  const noneHigh = (pack: ModelPack): ModelPack => ({ ...pack, heads: { ...pack.heads, intent: { ...(pack.heads.intent as ProbabilityHead), threshold: 1 } } })
  /** The shipped pack with its intent bias raised to 30: the float32 sigmoid gives exactly 1. */
  function saturatedPack(): ModelPack {
    const pack = structuredClone(shipped as unknown as ModelPack)
    const bias = pack.model.weightSpecs.find((w) => w.name === 'intent/bias')!
    bias.quantization = { ...bias.quantization!, min: 30 }
    return pack
  }
  /** The shipped pack with a correction that adds 50 to the intent logit for one item in the cart. */
  function correctedPack(): ModelPack {
    const pack = updatedPack()
    const f = LEARN_FEATURES.findIndex((x) => x.name === 'products_added')
    for (const view of ['withStats', 'withoutStats'] as const) for (let s = 0; s < SCORE_BUCKETS; s++) pack.intentCorrection!.views[view].terms[f][s * LEARN_FEATURES[f].buckets + 1] = 50
    return pack
  }

  it.each([
    ['a network output of exactly 1', saturatedPack],
    ['a corrected intent of exactly 1', correctedPack],
  ])('never puts a shopper at or above it: %s', async (_, pack) => {
    const { segment } = await decide(added, runtimeWith(noneHigh(pack())))
    expect(segment.intentThreshold).toBe(1)
    expect(segment.intent).toBeGreaterThan(0.999)
    // The documented rule (`seglet-intent-high`, the hint's band, the README's examples).
    expect(segment.intent).toBeLessThan(segment.intentThreshold)
    expect(toIntentBand(segment.intent, segment.intentThreshold)).not.toBe('high')
  })
})
