import { describe, expect, it } from 'vitest'
import { isSegletError } from '../errors'
import type { SegmentTreeNode } from '../pack/types'
import { DEFAULT_MIN_PAGE_VIEWS, DEFAULT_SEGMENT_ID, DEFAULT_SWITCH_MARGIN } from './constants'
import { createSegmentEngine } from './createSegmentEngine'
import type { DecisionInput } from './types'

const tree: SegmentTreeNode = {
  id: 'root',
  name: 'All shoppers',
  children: [
    {
      id: 'engaged',
      name: 'Engaged',
      children: [
        { id: 'high-intent-browser', name: 'High-intent browser', description: 'Looks at many products' },
        { id: 'deal-seeker', name: 'Deal seeker' },
      ],
    },
    { id: 'casual', name: 'Casual', children: [{ id: 'window-shopper', name: 'Window shopper' }] },
  ],
}
const labels = ['high-intent-browser', 'deal-seeker', 'window-shopper']
const lifetimeTree: SegmentTreeNode = {
  id: 'root',
  name: 'All customers',
  children: [{ id: 'loyal', name: 'Loyal' }, { id: 'one-off', name: 'One-off' }],
}

function input(probs: number[], overrides: Partial<DecisionInput> = {}): DecisionInput {
  return {
    sessionHead: Float32Array.from(probs),
    sessionLabels: labels,
    sessionTree: tree,
    intent: 0.4,
    intentThreshold: 0.5,
    evidence: { pageViews: 5, events: 10, purchases: 0 },
    explanation: [],
    now: 1000,
    ...overrides,
  }
}

describe('createSegmentEngine: decisions', () => {
  it('decides the most probable leaf with its path, names and probabilities', () => {
    const engine = createSegmentEngine()
    const { segment, changed } = engine.decide(input([0.7, 0.2, 0.1], { intent: 0.8, now: 42 }))
    expect(changed).toBe(true)
    expect(segment).toMatchObject({
      id: 'high-intent-browser',
      name: 'High-intent browser',
      description: 'Looks at many products',
      path: ['engaged', 'high-intent-browser'],
      pathNames: ['Engaged', 'High-intent browser'],
      intent: 0.8,
      intentThreshold: 0.5,
      coldStart: false,
      decidedAt: 42,
    })
    expect(segment.confidence).toBeCloseTo(0.7, 5)
    expect(engine.getSegment()).toBe(segment)
  })

  it('adds the value segment and repeat probability from the lifetime pack', () => {
    const engine = createSegmentEngine()
    const { segment } = engine.decide(
      input([0.7, 0.2, 0.1], { lifetimeHead: Float32Array.from([0.3, 0.7]), lifetimeLabels: ['loyal', 'one-off'], lifetimeTree, repeat: 0.25 }),
    )
    expect(segment.valueSegment).toMatchObject({ id: 'one-off', name: 'One-off', path: ['one-off'] })
    expect(segment.valueSegment!.confidence).toBeCloseTo(0.7, 5)
    expect(segment.repeatProbability).toBe(0.25)
  })

  it('uses a label missing from the tree as a top-level segment', () => {
    const engine = createSegmentEngine()
    const { segment } = engine.decide(input([0.9, 0.1], { sessionLabels: ['orphan', 'deal-seeker'] }))
    expect(segment).toMatchObject({ id: 'orphan', name: 'orphan', path: ['orphan'] })
  })

  it('leaves its state alone when an input is rejected', () => {
    const engine = createSegmentEngine({ switchAfter: 1 })
    const first = engine.decide(input([0.7, 0.2, 0.1])).segment
    expect(() => engine.decide(input([0.1, 0.8, 0.1], { lifetimeHead: [1], lifetimeLabels: ['a', 'b'] }))).toThrow()
    expect(engine.getSegment()).toBe(first)
    expect(engine.decide(input([0.3, 0.4, 0.3])).segment.id).toBe('high-intent-browser')
  })

  it('throws a model_failed SegletError for malformed outputs', () => {
    const engine = createSegmentEngine()
    for (const bad of [input([0.5, 0.5]), input([NaN, 0.5, 0.5]), input([0.5, 0.3, 0.2], { intent: NaN })]) {
      let error: unknown
      try {
        engine.decide(bad)
      } catch (e) {
        error = e
      }
      expect(isSegletError(error) && error.code).toBe('model_failed')
    }
  })
})

describe('createSegmentEngine: hysteresis', () => {
  // Each row: switchAfter, sequence of [high-intent, deal-seeker, window] probabilities, expected ids.
  const table: Array<{ name: string; switchAfter: number; steps: number[][]; expected: string[] }> = [
    {
      name: 'flip-flop inside the margin keeps the first segment',
      switchAfter: 1,
      steps: [[0.5, 0.4, 0.1], [0.4, 0.5, 0.1], [0.45, 0.5, 0.05], [0.42, 0.56, 0.02]],
      expected: ['high-intent-browser', 'high-intent-browser', 'high-intent-browser', 'high-intent-browser'],
    },
    {
      name: 'a challenger beyond the margin takes over at once with switchAfter 1',
      switchAfter: 1,
      steps: [[0.5, 0.4, 0.1], [0.3, 0.6, 0.1], [0.5, 0.45, 0.05]],
      expected: ['high-intent-browser', 'deal-seeker', 'deal-seeker'],
    },
    {
      name: 'with switchAfter 2 the challenger must win twice in a row',
      switchAfter: 2,
      steps: [[0.6, 0.3, 0.1], [0.3, 0.6, 0.1], [0.6, 0.3, 0.1], [0.3, 0.6, 0.1], [0.3, 0.6, 0.1], [0.35, 0.6, 0.05]],
      expected: ['high-intent-browser', 'high-intent-browser', 'high-intent-browser', 'high-intent-browser', 'deal-seeker', 'deal-seeker'],
    },
    {
      name: 'a streak is broken by a decision inside the margin',
      switchAfter: 2,
      steps: [[0.6, 0.3, 0.1], [0.3, 0.6, 0.1], [0.45, 0.5, 0.05], [0.3, 0.6, 0.1], [0.3, 0.6, 0.1]],
      expected: ['high-intent-browser', 'high-intent-browser', 'high-intent-browser', 'high-intent-browser', 'deal-seeker'],
    },
    {
      name: 'different challengers do not add up',
      switchAfter: 2,
      steps: [[0.6, 0.3, 0.1], [0.2, 0.7, 0.1], [0.2, 0.1, 0.7], [0.2, 0.1, 0.7]],
      expected: ['high-intent-browser', 'high-intent-browser', 'high-intent-browser', 'window-shopper'],
    },
  ]
  for (const row of table) {
    it(row.name, () => {
      const engine = createSegmentEngine({ switchAfter: row.switchAfter })
      expect(row.steps.map((p) => engine.decide(input(p)).segment.id)).toEqual(row.expected)
    })
  }

  it('reports the held segment with its current probability as confidence', () => {
    const engine = createSegmentEngine({ switchAfter: 1 })
    engine.decide(input([0.5, 0.4, 0.1]))
    const { segment, changed } = engine.decide(input([0.42, 0.5, 0.08]))
    expect(segment.id).toBe('high-intent-browser')
    expect(segment.confidence).toBeCloseTo(0.42, 5)
    expect(changed).toBe(false)
  })

  it('switches just above the margin but not just below it', () => {
    const below = createSegmentEngine({ switchAfter: 1 })
    below.decide(input([0.5, 0.4, 0.1]))
    expect(below.decide(input([0.4, 0.4 + DEFAULT_SWITCH_MARGIN - 0.01, 0.21])).segment.id).toBe('high-intent-browser')
    const above = createSegmentEngine({ switchAfter: 1 })
    above.decide(input([0.5, 0.4, 0.1]))
    expect(above.decide(input([0.4, 0.4 + DEFAULT_SWITCH_MARGIN + 0.01, 0.19])).segment.id).toBe('deal-seeker')
  })

  it('restore() seeds the segment across reloads', () => {
    const first = createSegmentEngine({ switchAfter: 1 })
    const stored = JSON.parse(JSON.stringify(first.decide(input([0.2, 0.7, 0.1])).segment))

    const next = createSegmentEngine({ switchAfter: 1 })
    expect(next.restore(stored)).toBe(true)
    expect(next.getSegment()).toMatchObject({ id: 'deal-seeker' })
    // Without the seed this would be high-intent-browser.
    const { segment, changed } = next.decide(input([0.5, 0.4, 0.1]))
    expect(segment.id).toBe('deal-seeker')
    expect(changed).toBe(false)
  })

  it('restore() ignores malformed stored data and null clears', () => {
    const engine = createSegmentEngine()
    expect(engine.restore({ id: 'x' })).toBe(false)
    expect(engine.restore('nope')).toBe(false)
    expect(engine.restore({ id: 'a', name: 'A', path: ['b'], confidence: 1, intent: 0, intentThreshold: 0.5, decidedAt: 1 })).toBe(false)
    expect(engine.getSegment()).toBeNull()
    engine.decide(input([0.7, 0.2, 0.1]))
    expect(engine.restore(null)).toBe(true)
    expect(engine.getSegment()).toBeNull()
    engine.decide(input([0.7, 0.2, 0.1]))
    engine.reset()
    expect(engine.getSegment()).toBeNull()
  })

  it('drops a restored value segment once no stored order is left (orders past purchase retention)', () => {
    const first = createSegmentEngine()
    const lifetime = { lifetimeHead: Float32Array.from([0.8, 0.2]), lifetimeLabels: ['loyal', 'one-off'], lifetimeTree, repeat: 0.6 }
    const stored = JSON.parse(JSON.stringify(first.decide(input([0.7, 0.2, 0.1], { ...lifetime, evidence: { pageViews: 5, events: 10, purchases: 2 } })).segment))
    expect(stored.valueSegment.id).toBe('loyal')

    const next = createSegmentEngine()
    next.restore(stored)
    // The orders were pruned: the lifetime pack does not run.
    const { segment, changed } = next.decide(input([0.7, 0.2, 0.1]))
    expect(segment.valueSegment).toBeUndefined()
    expect(segment.repeatProbability).toBeUndefined()
    expect(changed).toBe(true)
  })

  it('a restored id the new pack does not know is replaced at once', () => {
    const engine = createSegmentEngine()
    engine.restore({ id: 'gone', name: 'Gone', path: ['gone'], confidence: 0.9, intent: 0.1, intentThreshold: 0.5, decidedAt: 1, coldStart: false, reasons: [] })
    expect(engine.decide(input([0.4, 0.35, 0.25])).segment.id).toBe('high-intent-browser')
  })
})

describe('createSegmentEngine: cold start', () => {
  it(`uses the default segment below ${DEFAULT_MIN_PAGE_VIEWS} page views`, () => {
    const engine = createSegmentEngine()
    const { segment } = engine.decide(input([0.9, 0.05, 0.05], { evidence: { pageViews: 1, events: 3, purchases: 0 }, intent: 0.3 }))
    expect(segment).toMatchObject({ id: DEFAULT_SEGMENT_ID, name: 'New visitor', path: [DEFAULT_SEGMENT_ID], coldStart: true, confidence: 0, intent: 0.3 })
  })

  it('takes the default from the tree when it has the node', () => {
    const engine = createSegmentEngine({ defaultSegmentId: 'casual' })
    const { segment } = engine.decide(input([0.9, 0.05, 0.05], { evidence: { pageViews: 0, events: 0, purchases: 0 } }))
    expect(segment).toMatchObject({ id: 'casual', name: 'Casual', path: ['casual'], coldStart: true })
  })

  it('decides at once for a shopper with a purchase history', () => {
    const engine = createSegmentEngine()
    const { segment } = engine.decide(input([0.9, 0.05, 0.05], { evidence: { pageViews: 0, events: 0, purchases: 2 } }))
    expect(segment).toMatchObject({ id: 'high-intent-browser', coldStart: false })
  })

  it('leaves the default for the best segment as soon as there is evidence, without hysteresis', () => {
    const engine = createSegmentEngine({ switchAfter: 3 })
    engine.decide(input([0.4, 0.35, 0.25], { evidence: { pageViews: 1, events: 1, purchases: 0 } }))
    const { segment, changed } = engine.decide(input([0.4, 0.35, 0.25]))
    expect(segment).toMatchObject({ id: 'high-intent-browser', coldStart: false })
    expect(changed).toBe(true)
  })

  it('keeps a restored segment at the start of a new visit instead of the default', () => {
    const engine = createSegmentEngine()
    engine.restore({ id: 'deal-seeker', name: 'Deal seeker', path: ['engaged', 'deal-seeker'], pathNames: ['Engaged', 'Deal seeker'], confidence: 0.6, intent: 0.2, intentThreshold: 0.5, decidedAt: 1, coldStart: false, reasons: [] })
    const { segment, changed } = engine.decide(input([0.9, 0.05, 0.05], { evidence: { pageViews: 1, events: 1, purchases: 0 }, intent: 0.7, now: 99 }))
    expect(segment).toMatchObject({ id: 'deal-seeker', coldStart: false, intent: 0.7, decidedAt: 99, confidence: 0.6 })
    expect(changed).toBe(false)
  })
})
