import { describe, expect, it } from 'vitest'
import { computeContributions } from './computeContributions'
import { DEFAULT_MIN_LOG_ODDS_CONTRIBUTION } from './constants'
import { describeFeature } from './describeFeature'
import { explainFeatures } from './explainFeatures'

describe('describeFeature', () => {
  const table: Array<[string, number, string]> = [
    // Pages of the shopping funnel (home, category, product, search, cart, checkout), not product pages only.
    ['product_pages', 8, '8 shopping pages viewed'],
    ['product_pages', 1, '1 shopping page viewed'],
    ['product_pages', 0, 'no shopping pages viewed'],
    ['product_seconds', 360, '6 min on shopping pages'],
    ['product_seconds', 45, '45 s on shopping pages'],
    ['product_seconds', 3900, '1 h 5 min on shopping pages'],
    ['administrative_pages', 2, '2 account pages viewed'],
    ['informational_seconds', 120, '2 min on information pages'],
    ['searches', 0, 'no searches'],
    ['products_added', 2, '2 items added to the cart'],
    ['products_added', 0, 'nothing added to the cart'],
    ['products_removed', 1, '1 item taken out of the cart'],
    ['cart_value', 59.9, '59.9 added to the cart'],
    // product_view events: one product shown twice is two views.
    ['product_views', 4, '4 product views'],
    ['product_views', 1, '1 product view'],
    ['product_views', 0, 'no products viewed'],
    ['viewed_price_level', 24.5, 'viewed products priced 24.5 on average'],
    ['distinct_categories', 1, 'products from 1 category'],
    ['distinct_categories', 3, 'products from 3 categories'],
    ['scroll_depth', 0.62, 'pages scrolled 62% down on average'],
    // 0 also when no scrolling was recorded; under half a percent rounds to it.
    ['scroll_depth', 0, 'no scrolling seen'],
    ['scroll_depth', 0.004, 'no scrolling seen'],
    ['scroll_depth', 0.005, 'pages scrolled 1% down on average'],
    ['days_since_previous_session', 3.2, 'back after 3 days'],
    ['days_since_previous_session', 0, 'no earlier visit'],
    // Under a day may cross midnight: not "the same day".
    ['days_since_previous_session', 0.6, 'back within a day'],
    ['days_since_previous_session', 1, 'back after 1 day'],
    ['hour_sin', 0.5, 'the time of day'],
    ['searches', 1, '1 search'],
    ['searches', 3, '3 searches'],
    ['cart_reached', 1, 'reached the cart'],
    ['checkout_reached', 0, 'did not reach checkout'],
    ['page_value', 12.3456, 'average page value 12.35'],
    ['bounce_rate', 0.2, 'pages with a 20% bounce rate'],
    ['exit_rate', 0.053, 'pages with a 5% exit rate'],
    ['has_stats', 1, 'page statistics from the shop'],
    ['has_stats', 0, 'no page statistics from the shop'],
    ['returning', 1, 'returning visitor'],
    ['returning', 0, 'first visit'],
    ['weekend', 1, 'visiting at the weekend'],
    ['special_day', 0.6, 'close to a special day'],
    ['month_nov', 1, 'visiting in November'],
    ['month_11', 1, 'visiting in November'],
    ['month_feb', 0, 'not visiting in February'],
    ['recency_days', 12, 'last order 12 days ago'],
    ['recency_days', 0, 'last order today'],
    ['frequency', 3, '3 past orders'],
    ['monetary', 250.5, '250.5 spent in past orders'],
    ['cart_pages', 2, '2 cart pages viewed'],
    ['checkout_seconds', 90, '2 min on checkout'],
    ['administrative_pages', 3, '3 account pages viewed'],
    ['informational_seconds', 30, '30 s on information pages'],
    ['product_seconds_per_page', 75, '1 min per shopping page'],
    ['product_seconds_per_page', 59.7, '1 min per shopping page'],
    ['product_seconds_per_page', 59.4, '59 s per shopping page'],
    ['product_seconds_per_page', 0.3, 'under 1 s per shopping page'],
    ['product_seconds_per_page', 0, 'no time on shopping pages'],
    ['product_seconds', 59.6, '1 min on shopping pages'],
    // The three page groups only: pages of no type (`other`) are in no count.
    ['total_pages', 3, '3 shopping, account or information pages viewed'],
    ['total_pages', 1, '1 shopping, account or information page viewed'],
    ['total_seconds', 480, '8 min on shopping, account and information pages'],
    ['month_sin', 0.5, 'the time of year'],
    // A page value above 0 says that visits went on from the page to a purchase, not how often: one wording for both.
    ['page_value_positive', 1, 'visited pages that shoppers viewed on their way to a purchase'],
    ['page_value_positive', 0, 'no pages that shoppers viewed on their way to a purchase'],
    ['orders_last_90_days', 1, '1 order in the last 90 days'],
    // One order 30 days ago reads the same as three orders in 60 days: words true of both.
    ['days_per_order', 30, 'one order per 30 days'],
    ['days_per_order', 1, 'one order per 1 day'],
    ['days_per_order', 0, 'no days between orders'],
    ['returns', 2, '2 returns'],
    ['returns', 1, '1 return'],
    // Lifetime counts and sums at 0 in words, never "0 returns" or "first order 0 days ago".
    ['returns', 0, 'no returns'],
    ['return_value', 0, 'nothing returned'],
    ['return_value', 12.5, '12.5 returned'],
    ['monetary', 0, 'nothing spent in past orders'],
    ['tenure_days', 0, 'first order today'],
    ['tenure_days', 0.4, 'first order today'],
    ['tenure_days', 1, 'first order 1 day ago'],
    ['tenure_days', 40, 'first order 40 days ago'],
    ['orders_last_90_days', 0, 'no orders in the last 90 days'],
    ['orders_last_90_days', 2, '2 orders in the last 90 days'],
    ['active_days', 0, 'no day with an order'],
    ['active_days', 1, 'shopped on 1 day'],
    ['distinct_products', 0, 'no products bought'],
    ['distinct_products', 5, '5 different products bought'],
    ['some_new_feature', 2.5, 'some new feature: 2.5'],
    ['month_zzz', 1, 'month zzz: 1'],
    ['product_pages', NaN, 'product pages: unknown'],
    // Nothing counted is said in words, never as "0 s on account pages".
    ['administrative_seconds', 0, 'no time on account pages'],
    ['administrative_pages', 0, 'no account pages viewed'],
    ['informational_seconds', 0.2, 'no time on information pages'],
    ['frequency', 0, 'no past orders'],
    ['cart_pages', 0, 'no cart pages viewed'],
  ]
  for (const [name, value, text] of table) {
    it(`${name} = ${value} → "${text}"`, () => expect(describeFeature(name, value)).toBe(text))
  }
})

describe('explainFeatures', () => {
  it('turns contributions into lines, with optional own wording', () => {
    const lines = explainFeatures(
      [
        { name: 'product_pages', raw: 8, delta: 0.3 },
        { name: 'returning', raw: 1, delta: -0.1 },
      ],
      { describe: (name, v) => (name === 'returning' ? `wiederkehrend (${v})` : undefined) },
    )
    expect(lines).toEqual([
      { feature: 'product_pages', value: 8, delta: 0.3, text: '8 shopping pages viewed' },
      { feature: 'returning', value: 1, delta: -0.1, text: 'wiederkehrend (1)' },
    ])
  })

  it("says a group's own words (a special day's name), which the shop's own wording still comes before", () => {
    const contributions = [{ name: 'special_day', raw: 0.8, delta: 0.2, says: "close to Mother's Day" }]
    expect(explainFeatures(contributions)[0]!.text).toBe("close to Mother's Day")
    expect(explainFeatures(contributions, { describe: (name) => (name === 'special_day' ? 'kurz vor einem Feiertag' : undefined) })[0]!.text).toBe('kurz vor einem Feiertag')
    expect(explainFeatures([{ name: 'special_day', raw: 0.8, delta: 0.2 }])[0]!.text).toBe('close to a special day')
  })
})

describe('computeContributions', () => {
  // A fake linear "network": segment 0 probability = 0.5 + sum(w * x); intent = 0.5 + sum(u * x).
  const w = [0.2, -0.05, 0.01, 0.3, 0.002]
  const u = [0, 0.4, 0, 0, 0]
  const predict = (v: Float32Array) => {
    let s = 0.5
    let i = 0.5
    v.forEach((x, k) => {
      s += w[k] * x
      i += u[k] * x
    })
    return { segmentProbs: [s, 1 - s], intent: i }
  }
  const names = ['product_pages', 'searches', 'weekend', 'returning', 'exit_rate']

  it('orders by absolute change of the target, drops tiny and zero features, keeps the top N', () => {
    let calls = 0
    const counted = (v: Float32Array) => {
      calls++
      return predict(v)
    }
    const result = computeContributions({
      names,
      normalised: Float32Array.from([1, -2, 0, -0.5, 1]),
      raw: [8, 0, 0, 0, 0.02],
      predict: counted,
      target: 0,
    })
    expect(result.map((c) => c.name)).toEqual(['product_pages', 'returning', 'searches'])
    expect(result[0].delta).toBeCloseTo(0.2, 5)
    expect(result[1].delta).toBeCloseTo(-0.15, 5)
    expect(result[2].delta).toBeCloseTo(0.1, 5)
    expect(result[0].raw).toBe(8)
    // Baseline + one per non-zero feature (weekend sits at the mean already).
    expect(calls).toBe(5)
  })

  it('explains intent and honours top and minDelta', () => {
    const result = computeContributions({
      names,
      normalised: [1, -2, 0, -0.5, 1],
      raw: [8, 0, 0, 0, 0.02],
      predict,
      target: 'intent',
      top: 5,
      minDelta: 0,
    })
    expect(result[0]).toMatchObject({ name: 'searches' })
    expect(result[0].delta).toBeCloseTo(-0.8, 5)
    expect(result).toHaveLength(4)
  })

  it('still explains a saturated probability on the log-odds scale', () => {
    // Segment 0 at about 0.99998: occluding a feature barely moves the probability, but clearly moves its log-odds.
    const confident = (v: Float32Array) => {
      const z = 11 + 2 * v[0] - 0.5 * v[1]
      const p = 1 / (1 + Math.exp(-z))
      return { segmentProbs: [p, 1 - p], intent: 0.5 }
    }
    const input = { names: ['product_pages', 'searches'], normalised: Float32Array.from([1, 1]), raw: [8, 2], predict: confident, target: 0 as const }
    expect(computeContributions(input)).toEqual([])
    const result = computeContributions({ ...input, scale: 'log-odds', minDelta: DEFAULT_MIN_LOG_ODDS_CONTRIBUTION })
    expect(result.map((c) => c.name)).toEqual(['product_pages', 'searches'])
    expect(result[0].delta).toBeCloseTo(2, 3)
    expect(result[1].delta).toBeCloseTo(-0.5, 3)
  })

  it("explains a segment whose float32 probability rounds to 1, from the head's logits", () => {
    // Logits 40 apart: softmax gives exactly 1 in float32 with or without either feature, so probabilities
    // cannot tell them apart; the logits still carry each feature's pull.
    const logits = (v: Float32Array) => [40 + 2 * v[0] - 0.5 * v[1], 0, -1]
    const softmax = (z: number[]) => { const e = z.map((x) => Math.exp(x - Math.max(...z))); const s = e.reduce((a, b) => a + b); return Float32Array.from(e.map((x) => x / s)) }
    const input = { names: ['product_pages', 'searches'], normalised: Float32Array.from([1, 1]), raw: [8, 2], target: 0 as const, scale: 'log-odds' as const, minDelta: DEFAULT_MIN_LOG_ODDS_CONTRIBUTION }
    expect(softmax(logits(Float32Array.from([0, 1])))[0]).toBe(1)
    expect(computeContributions({ ...input, predict: (v) => ({ segmentProbs: softmax(logits(v)), intent: 0.5 }) })).toEqual([])
    const result = computeContributions({ ...input, predict: (v) => ({ segmentLogits: logits(v), intent: 0.5 }) })
    expect(result.map((c) => c.name)).toEqual(['product_pages', 'searches'])
    expect(result[0].delta).toBeCloseTo(2, 6)
    expect(result[1].delta).toBeCloseTo(-0.5, 6)
    // On the probability scale, logits give the softmax probability.
    const moderate = (v: Float32Array) => [1 + v[0], 0, 0]
    const probability = computeContributions({ ...input, scale: 'probability', minDelta: 1e-9, predict: (v) => ({ segmentLogits: moderate(v), intent: 0.5 }) })
    const p = (z: number) => Math.exp(z) / (Math.exp(z) + 2)
    expect(probability.map((c) => c.name)).toEqual(['product_pages'])
    expect(probability[0].delta).toBeCloseTo(p(2) - p(1), 6)
  })

  it('gives the same answer from one batched call as from one call per feature', () => {
    let batches = 0
    const predictMany = (vectors: Float32Array, rows: number) => {
      batches++
      return Array.from({ length: rows }, (_, r) => predict(vectors.subarray(r * 5, (r + 1) * 5)))
    }
    const input = { names, normalised: Float32Array.from([1, -2, 0, -0.5, 1]), raw: [8, 0, 0, 0, 0.02], target: 0 as const }
    const batched = computeContributions({ ...input, predictMany })
    expect(batches).toBe(1)
    expect(batched).toEqual(computeContributions({ ...input, predict }))
    expect(batched.map((c) => c.name)).toEqual(['product_pages', 'returning', 'searches'])
  })

  it('occludes a group of features as one and gives it as one contribution, under its own name and value', () => {
    // Two features that cancel out: each alone moves the segment, together they do not.
    const cancel = (v: Float32Array) => ({ segmentProbs: [0.5 + 0.2 * v[0] - 0.2 * v[1] + 0.1 * v[2], 0], intent: 0.5 })
    const input = { names: ['month_sin', 'month_mar', 'weekend', 'hour_sin'], normalised: Float32Array.from([1, 1, 1, 0]), raw: [0.87, 1, 1, 0], target: 0 as const, minDelta: 0 }
    const alone = computeContributions({ ...input, predict: cancel, top: Infinity })
    expect(alone.map((c) => c.name)).toEqual(['month_sin', 'month_mar', 'weekend'])
    expect(alone[0].delta).toBeCloseTo(0.2, 6)
    expect(alone[1].delta).toBeCloseTo(-0.2, 6)
    const groups = [
      { name: 'month_mar', raw: 1, members: ['month_sin', 'month_cos', 'month_mar'] },
      // At the baseline already: no row, no contribution.
      { name: 'hour_sin', raw: 0, members: ['hour_sin', 'hour_cos'] },
      // Read by no feature of the pack: left out.
      { name: 'nothing', raw: 1, members: ['not_in_the_pack'] },
    ]
    let rows = 0
    const together = computeContributions({ ...input, groups, top: Infinity, predictMany: (vectors, n) => {
      rows += n
      return Array.from({ length: n }, (_, r) => cancel(vectors.subarray(r * 4, (r + 1) * 4)))
    } })
    expect(rows).toBe(3)
    expect(together.map((c) => [c.name, c.raw])).toEqual([['weekend', 1], ['month_mar', 1]])
    expect(together[0].delta).toBeCloseTo(0.1, 6)
    expect(together[1].delta).toBeCloseTo(0, 6)
    // One prediction per feature or group gives the same, and leaves the vector as it was.
    expect(computeContributions({ ...input, groups, top: Infinity, predict: cancel })).toEqual(together)
    expect(Array.from(input.normalised)).toEqual([1, 1, 1, 0])
    // A group's own words go with its contribution.
    const said = computeContributions({ ...input, groups: [{ name: 'weekend', raw: 1, members: ['weekend'], says: 'at the weekend, as said' }], top: Infinity, predict: cancel })
    expect(said.find((c) => c.name === 'weekend')).toMatchObject({ says: 'at the weekend, as said' })
    expect(said.find((c) => c.name === 'month_sin')).not.toHaveProperty('says')
  })

  it('does not modify the caller’s vector', () => {
    const normalised = Float32Array.from([1, -2, 0, -0.5, 1])
    computeContributions({ names, normalised, raw: [0, 0, 0, 0, 0], predict, target: 0 })
    expect(Array.from(normalised)).toEqual([1, -2, 0, -0.5, 1])
  })
})
