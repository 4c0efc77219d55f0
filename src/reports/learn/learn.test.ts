import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../../sim/seededRandom'
import { encodeReport } from '../encodeReport'
import { addReport, createInsightSums, mergeSums } from '../estimate'
import { olhHash, olhParams, olhProbability } from '../mechanisms/olh'
import { parseReport } from '../parseReport'
import type { ReportContext, ReportTruth } from '../types'
import { correctIntentLogit, identityCorrection, isIntentCorrection } from './correction'
import { fitIntentCorrection } from './fitIntentCorrection'
import { learnCode } from './learnCode'
import { estimateLearnTables, type LearnTableEstimate } from './learnSums'
import { learnTableIndexes } from './learnTableIndexes'
import { parseLearnTables } from './parseLearnTables'
import { sharedMainEffects } from './sharedMainEffects'
import { LEARN_FEATURES, LEARN_TABLES, SCORE_BUCKETS, learnCell, type LearnView } from './schema'

const context: ReportContext = { packId: 'session@1.0.0+lifetime@1.0.0', segmentLeaves: 4, valueLeaves: 4 }
// The session values the tables read.
function raw(productPages: number, month: number) {
  return { productPages, administrativeSeconds: 0, month }
}
function truth(ordered: boolean, logit: number, productPages = 12, month = 10): ReportTruth {
  return {
    segmentLeaf: 1, valueSegment: null, ordered, orderValueBucket: 0, arm: 'none', pages: [],
    learn: { logitWithStats: logit, logitWithoutStats: logit / 2, session: raw(productPages, month) },
  }
}

describe('the training answer', () => {
  it('likelihood ratio between any two sessions is at most e^ε, for every output', () => {
    // The public hash (a, b) is drawn from about 4.6·10^18: its extremes and 120 drawn at random here (4 at ε 8, whose
    // hash range is 2,971 values). The hashing encoder itself is enumerated over every (a, b) of a small prime in
    // src/reports/mechanisms/encoders.test.ts.
    const random = seededRandom(71)
    const word = new Uint32Array(1)
    const draw = (from: number) => from + (random(word)[0] % (2147483647 - from))
    const extremes = [[1, 0], [12345, 678], [2147483646, 2147483646], [99991, 31]]
    const drawn = [...extremes, ...Array.from({ length: 120 }, () => [draw(1), draw(0)])]
    for (const epsilon of [0.1, 0.5, 2, 4, 8]) {
      const params = olhParams(epsilon)
      let worst = 0
      const hashes = epsilon === 8 ? extremes : drawn
      // The table is drawn independently of the truth (same probability for every session); (a, b) too.
      for (const [a, b] of hashes) {
        for (let t = 0; t < LEARN_TABLES.length; t++) {
          for (let y = 0; y < params.g; y++) {
            let max = 0
            let min = Infinity
            // Every code a session can have in this table, "nothing" included.
            for (let code = 0; code <= LEARN_TABLES[t].cells; code++) {
              const p = olhProbability(params, olhHash(params, a, b, code), y)
              max = Math.max(max, p)
              min = Math.min(min, p)
            }
            worst = Math.max(worst, max / min)
          }
        }
      }
      expect(worst).toBeLessThanOrEqual(Math.exp(epsilon) * (1 + 1e-12))
      // Reached: some output tells two sessions apart by the full e^ε, no more.
      expect(worst).toBeGreaterThan(Math.exp(epsilon) * (1 - 1e-9))
    }
  })

  it('travels in a report body of the same size and parses back with its table', () => {
    const random = seededRandom(5)
    const sizes = new Set<number>()
    const tables = new Set<number>()
    for (let i = 0; i < 200; i++) {
      const body = encodeReport(truth(i % 2 === 0, -2 + i / 50), context, { epsilon: 2, day: '2026-11-30', random, learnShare: 1 })
      expect(body.q).toBe('lrn')
      sizes.add(JSON.stringify(body).length - String(body.eps).length)
      const parsed = parseReport(JSON.stringify(body))
      expect(parsed.question).toBe('learn')
      if (parsed.answer.kind !== 'olh') throw new Error('not a hash answer')
      tables.add(parsed.answer.table!)
    }
    expect(sizes.size).toBe(1)
    expect(tables.size).toBe(LEARN_TABLES.length)
    // Without learnShare the insights questions are asked as before.
    const body = encodeReport(truth(false, 0), context, { epsilon: 2, day: '2026-11-30', random: seededRandom(1) })
    expect(body.q).not.toBe('lrn')
  })

  it('refuses a table outside the list, stray bytes and a bad learnShare', () => {
    const body = encodeReport(truth(true, 0), context, { epsilon: 2, day: '2026-11-30', random: seededRandom(2), learnShare: 1 })
    const withTable = (t: number) => ({ ...body, a: body.a.slice(0, 20) + t.toString(16).padStart(2, '0') + body.a.slice(22) })
    expect(() => parseReport(withTable(LEARN_TABLES.length))).toThrow(expect.objectContaining({ code: 'report_out_of_range' }))
    expect(() => parseReport({ ...body, a: body.a.slice(0, 30) + '01' })).toThrow(expect.objectContaining({ code: 'report_out_of_range' }))
    expect(() => encodeReport(truth(true, 0), context, { learnShare: 1.5 })).toThrow(expect.objectContaining({ code: 'invalid_option' }))
  })

  it('answers "nothing" without a learning truth or without page statistics for a table that needs them', () => {
    const withStats = LEARN_TABLES.findIndex((t) => t.view === 'withStats')
    const withoutStats = LEARN_TABLES.findIndex((t) => t.view === 'withoutStats')
    expect(learnCode(null, true, withStats)).toBe(LEARN_TABLES[withStats].cells)
    const learn = { logitWithStats: null, logitWithoutStats: -1, session: raw(3, 2) }
    expect(learnCode(learn, true, withStats)).toBe(LEARN_TABLES[withStats].cells)
    expect(learnCode(learn, true, withoutStats)).toBeLessThan(LEARN_TABLES[withoutStats].cells)
  })

  it('draws the table from the pack\'s list, the same table for any two sessions given the same coins', () => {
    const listed = { ...context, learnTables: learnTableIndexes(['withStats.month', 'withoutStats.product_pages'])! }
    const a = seededRandom(9)
    const b = seededRandom(9)
    const drawn = new Map<number, number>()
    for (let i = 0; i < 400; i++) {
      // Two sessions as different as can be: the coins decide the table and the hash, never the session.
      const one = parseReport(JSON.stringify(encodeReport(truth(true, 0.5, 80, 11), listed, { epsilon: 2, day: '2026-11-30', random: a, learnShare: 1 })))
      const two = parseReport(JSON.stringify(encodeReport({ ...truth(false, -6, 0, 2), learn: null }, listed, { epsilon: 2, day: '2026-11-30', random: b, learnShare: 1 })))
      if (one.answer.kind !== 'olh' || two.answer.kind !== 'olh') throw new Error('not a hash answer')
      expect([two.answer.table, two.answer.a, two.answer.b]).toEqual([one.answer.table, one.answer.a, one.answer.b])
      drawn.set(one.answer.table!, (drawn.get(one.answer.table!) ?? 0) + 1)
    }
    // Only the listed tables, about equally often (400 draws: each share within 5 standard deviations of ½).
    expect([...drawn.keys()].sort()).toEqual([...listed.learnTables])
    for (const count of drawn.values()) expect(Math.abs(count - 200)).toBeLessThan(5 * 10)
    // A list the SDK does not know is refused, never answered from another table.
    for (const bad of [[], [LEARN_TABLES.length], [-1], [0.5]])
      expect(() => encodeReport(truth(true, 0), { ...context, learnTables: bad }, { learnShare: 1 })).toThrow(expect.objectContaining({ code: 'report_out_of_range' }))
  })

  it.each([
    ['every table (no list)', undefined],
    ['the tables a pack lists', ['withStats.product_pages', 'withStats.month', 'withoutStats.month']],
  ])('the collector estimates %s without bias (within its standard deviation)', (_, learnTables) => {
    const listed: ReportContext = { ...context, ...(learnTables ? { learnTables: learnTableIndexes(learnTables)! } : {}) }
    const sums = createInsightSums(context, 2)
    const random = seededRandom(17)
    // Two kinds of sessions: ordered with many product pages and a high score, not ordered with few.
    const sessions = 24_000
    for (let i = 0; i < sessions; i++) {
      const t = i % 3 === 0 ? truth(true, 0.5, 40, 11) : truth(false, -3.5, 2, 10)
      addReport(sums, parseReport(JSON.stringify(encodeReport(t, listed, { epsilon: 2, day: '2026-11-30', random, learnShare: 1 }))))
    }
    // Sums of two halves merge into the same as one.
    const merged = mergeSums(sums, createInsightSums(context, 2))
    expect(merged.learn).toEqual(sums.learn)
    const tables = estimateLearnTables(sums.learn, olhParams(2))
    const indexes = learnTableIndexes(learnTables)!
    for (const [t, estimate] of tables.entries()) {
      const spec = LEARN_TABLES[t]
      if (!indexes.includes(t)) {
        // A table off the list gets no answer and estimates nothing.
        expect(estimate.n).toBe(0)
        expect(estimate.counts.every((c) => c === 0)).toBe(true)
        continue
      }
      // Each listed table gets its uniform share of the answers.
      expect(Math.abs(estimate.n - sessions / indexes.length)).toBeLessThan(5 * Math.sqrt(sessions / indexes.length))
      const sd = Math.sqrt(estimate.variance)
      const share = estimate.n / sessions
      const expected = new Array<number>(spec.cells).fill(0)
      for (const [ordered, count] of [[true, sessions / 3], [false, (2 * sessions) / 3]] as const) {
        const code = learnCode(truth(ordered, ordered ? 0.5 : -3.5, ordered ? 40 : 2, ordered ? 11 : 10).learn, ordered, t)
        expected[code] += count * share
      }
      let far = 0
      for (let c = 0; c < spec.cells; c++) if (Math.abs(estimate.counts[c] - expected[c]) > 4.5 * sd) far++
      expect(far).toBe(0)
      // The two true cells stand out of the noise.
      const code = learnCode(truth(true, 0.5, 40, 11).learn, true, t)
      expect(estimate.counts[code]).toBeGreaterThan(expected[code] - 4.5 * sd)
      expect(expected[code]).toBeGreaterThan(10 * sd)
    }
  })
})

describe('the intent correction', () => {
  it('changes nothing when fitted from no answers', () => {
    const correction = fitIntentCorrection([])
    expect(correction).toEqual(identityCorrection())
    expect(isIntentCorrection(correction)).toBe(true)
    expect(correctIntentLogit(correction, -1.25, 'withStats', raw(5, 3))).toBe(-1.25)
  })

  it('learns that a feature bucket buys more than its score bucket says, and trusts noisy tables less', () => {
    // Exact tables: among sessions of one score bucket, many product pages (bucket 4) order four times as often.
    const tables = (variance: number): LearnTableEstimate[] =>
      LEARN_TABLES.map((table) => {
        const counts = new Array<number>(table.cells).fill(0)
        for (let s = 0; s < SCORE_BUCKETS; s++) {
          if (table.feature.name === 'product_pages') {
            counts[learnCell(table, s, 1, true)] += 20
            counts[learnCell(table, s, 1, false)] += 380
            counts[learnCell(table, s, 4, true)] += 80
            counts[learnCell(table, s, 4, false)] += 320
          } else {
            counts[learnCell(table, s, 10, true)] += 100
            counts[learnCell(table, s, 10, false)] += 700
          }
        }
        return { table, n: 800 * SCORE_BUCKETS, counts, variance }
      })
    const f = LEARN_FEATURES.findIndex((x) => x.name === 'product_pages')
    const exact = fitIntentCorrection(tables(0)).views.withStats.terms[f]
    const noisy = fitIntentCorrection(tables(400 * 400)).views.withStats.terms[f]
    const B = LEARN_FEATURES[f].buckets
    expect(exact[3 * B + 4]).toBeGreaterThan(0.5)
    expect(exact[3 * B + 1]).toBeLessThan(-0.3)
    expect(Math.abs(noisy[3 * B + 4])).toBeLessThan(exact[3 * B + 4] / 2)
    const lots = raw(80, 10)
    const few = raw(2, 10)
    const correction = fitIntentCorrection(tables(0))
    expect(correctIntentLogit(correction, -2, 'withStats', lots)).toBeGreaterThan(correctIntentLogit(correction, -2, 'withStats', few))
  })

  it('shrinks a noisy view towards what the other view shows of the same feature bucket, and lets precise views differ', () => {
    // Product pages: bucket 4 orders four times as often as bucket 1 in a view with `lift`, a quarter as often
    // without. Month 3, when `month3`, holds sessions (that order more) in the view without statistics only.
    const tables = (variance: Record<LearnView, number>, lift: Record<LearnView, boolean>, month3 = false): LearnTableEstimate[] =>
      LEARN_TABLES.map((table) => {
        const counts = new Array<number>(table.cells).fill(0)
        const [many, few] = lift[table.view] ? [80, 20] : [20, 80]
        for (let s = 0; s < SCORE_BUCKETS; s++) {
          if (table.feature.name === 'product_pages') {
            counts[learnCell(table, s, 1, true)] += few
            counts[learnCell(table, s, 1, false)] += 400 - few
            counts[learnCell(table, s, 4, true)] += many
            counts[learnCell(table, s, 4, false)] += 400 - many
          } else {
            counts[learnCell(table, s, 10, true)] += 100
            counts[learnCell(table, s, 10, false)] += 700
            if (month3 && table.view === 'withoutStats') {
              counts[learnCell(table, s, 3, true)] += 150
              counts[learnCell(table, s, 3, false)] += 650
            }
          }
        }
        return { table, n: 1600 * SCORE_BUCKETS, counts, variance: variance[table.view] }
      })
    const f = LEARN_FEATURES.findIndex((x) => x.name === 'product_pages')
    const B = LEARN_FEATURES[f].buckets
    const both = { withStats: true, withoutStats: true }
    const exact = fitIntentCorrection(tables({ withStats: 0, withoutStats: 0 }, both))
    const mixed = fitIntentCorrection(tables({ withStats: 150 * 150, withoutStats: 0 }, both))
    const alone = fitIntentCorrection(tables({ withStats: 150 * 150, withoutStats: 0 }, both).filter((t) => t.table.view === 'withStats'))
    // Alone, the noisy view's table says little; beside a precise view of the same sessions it takes what that shows.
    expect(alone.views.withStats.terms[f][3 * B + 4]).toBeLessThan(exact.views.withStats.terms[f][3 * B + 4] / 2)
    expect(mixed.views.withStats.terms[f][3 * B + 4]).toBeGreaterThan(exact.views.withStats.terms[f][3 * B + 4] * 0.75)
    expect(mixed.views.withoutStats.terms[f][3 * B + 4]).toBeCloseTo(exact.views.withoutStats.terms[f][3 * B + 4], 1)
    // Views that disagree on plenty of answers each keep their own effect.
    const apart = fitIntentCorrection(tables({ withStats: 0, withoutStats: 0 }, { withStats: true, withoutStats: false }))
    expect(apart.views.withStats.terms[f][3 * B + 4]).toBeGreaterThan(0.5)
    expect(apart.views.withoutStats.terms[f][3 * B + 4]).toBeLessThan(-0.5)
    // A bucket without sessions in a view gets no term there, whatever the other view learns of it.
    const month3 = fitIntentCorrection(tables({ withStats: 150 * 150, withoutStats: 0 }, both, true))
    const m = LEARN_FEATURES.findIndex((x) => x.name === 'month')
    const M = LEARN_FEATURES[m].buckets
    expect(month3.views.withoutStats.terms[m][3 * M + 3]).toBeGreaterThan(0.1)
    for (let s = 0; s < SCORE_BUCKETS; s++) expect(month3.views.withStats.terms[m][s * M + 3]).toBe(0)
  })

  it('gives no term to a feature bucket whose estimated sessions are within the noise of none', () => {
    // Months 10 and 11 hold every session; month 3 holds none, but its noisy cells lean towards orders.
    const variance = 50 * 50
    const tables: LearnTableEstimate[] = LEARN_TABLES.map((table) => {
      const counts = new Array<number>(table.cells).fill(0)
      for (let s = 0; s < SCORE_BUCKETS; s++) {
        if (table.feature.name === 'month') {
          counts[learnCell(table, s, 10, true)] += 300
          counts[learnCell(table, s, 10, false)] += 1500
          counts[learnCell(table, s, 11, true)] += 100
          counts[learnCell(table, s, 11, false)] += 1700
          counts[learnCell(table, s, 3, true)] += 40
          counts[learnCell(table, s, 3, false)] -= 30
        } else {
          counts[learnCell(table, s, 2, true)] += 400
          counts[learnCell(table, s, 2, false)] += 3200
        }
      }
      return { table, n: 3600 * SCORE_BUCKETS, counts, variance }
    })
    const m = LEARN_FEATURES.findIndex((x) => x.name === 'month')
    const B = LEARN_FEATURES[m].buckets
    const terms = fitIntentCorrection(tables).views.withStats.terms[m]
    for (let s = 0; s < SCORE_BUCKETS; s++) expect(terms[s * B + 3]).toBe(0)
    // The months with sessions keep what they say: November orders more than December.
    expect(terms[3 * B + 10]).toBeGreaterThan(terms[3 * B + 11] + 0.5)
    // Turned off, the empty month's noise becomes a term.
    const unguarded = fitIntentCorrection(tables, { emptyBucketSd: -Infinity }).views.withStats.terms[m]
    expect(Math.abs(unguarded[3 * B + 3])).toBeGreaterThan(0.01)
  })
})

describe('main effects shared by the views', () => {
  const tau = 0.25
  const tauMain = 0.8
  it.each([
    // One view: its estimate shrunk by the prior of common effect plus departure.
    [[{ view: 'withoutStats', estimate: 1, variance: 0.3 }], [(tauMain ** 2 + tau ** 2) / (tauMain ** 2 + tau ** 2 + 0.3)]],
    // A noisy view beside a precise one takes (almost) what the precise one shows.
    [[{ view: 'withStats', estimate: 1.2, variance: 1 }, { view: 'withoutStats', estimate: 0.9, variance: 0.05 }], [0.8248, 0.8561]],
    // A view that says nothing of the bucket takes the common effect.
    [[{ view: 'withStats', estimate: 0, variance: Infinity }, { view: 'withoutStats', estimate: 0.5, variance: 0 }], [0.4555, 0.5]],
    // Nothing known: no effect.
    [[{ view: 'withStats', estimate: 0, variance: Infinity }], [0]],
  ] as const)('%j → %j', (views, expected) => {
    const got = sharedMainEffects(views, tau, tauMain)
    expected.forEach((e, i) => expect(got[i]).toBeCloseTo(e, 3))
  })
})

describe('the list of training tables', () => {
  it.each([
    [undefined, LEARN_TABLES.map((_, t) => t)],
    [['withoutStats.month', 'withStats.month'], [1, 5]],
    [LEARN_TABLES.map((t) => t.id), LEARN_TABLES.map((_, t) => t)],
    [[], null],
    [['withStats.month', 'withStats.month'], null],
    [['month'], null],
    ['withStats.month', null],
    [[7], null],
  ])('%j reads as %j', (ids, indexes) => {
    expect(learnTableIndexes(ids)).toEqual(indexes)
  })

  it.each([
    ['all', undefined],
    ['product_pages,month', ['withStats.product_pages', 'withStats.month', 'withoutStats.product_pages', 'withoutStats.month']],
    [' month , withStats.checkout_reached', ['withStats.month', 'withStats.checkout_reached', 'withoutStats.month']],
    ['month,withStats.month', ['withStats.month', 'withoutStats.month']],
    ['', null],
    ['cart', null],
    ['all,month', null],
  ])('"%s" on a command line reads as %j', (text, ids) => {
    expect(parseLearnTables(text)).toEqual(ids)
    if (ids) expect(learnTableIndexes(ids)).not.toBeNull()
  })
})
