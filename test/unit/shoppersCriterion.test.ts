// The rule shoppers.test.ts judges the collector's intervals by, run against the SDK's own encoding and the
// collector's own estimators on sessions like the ones its 200 shoppers make: correct estimates pass it (almost
// always: the browser test must not be flaky), and estimates off by a few points fail it.
import { describe, expect, it } from 'vitest'
import { encodeReport } from '../../src/reports/encodeReport'
import { parseReport } from '../../src/reports/parseReport'
import { addReport, createInsightSums, estimateInsights } from '../../src/reports/estimate'
import { orderValueBucket } from '../../src/reports/schema'
import type { ReportContext, ReportTruth } from '../../src/reports/types'
import { seededRandom } from '../../sim/seededRandom'
import { createRng } from '../../training/rng'
import { compareKeyShares, judgeIntervals, type InsightsShape, type SessionTruth } from '../browser/shoppersTruth'

const KEYS = ['home', 'collection/fiction', 'collection/science', 'product/a', 'product/b', 'product/c', 'product/d', 'product/e', 'product/f', 'about', 'shipping', 'account', 'cart', 'checkout']
const CONTEXT: ReportContext = { packId: 'session@1.0.0+lifetime@1.0.0', segmentLeaves: 4, valueLeaves: 4 }

/** Sessions shaped like the browser test's: 1–2 pages, or 1–2 books bought; segments, value segments and arms drawn. */
function sessions(seed: number, n: number): SessionTruth[] {
  const rng = createRng(seed)
  const pick = <T>(list: readonly T[]) => list[Math.floor(rng() * list.length)]!
  const products = KEYS.filter((k) => k.startsWith('product/'))
  return Array.from({ length: n }, () => {
    const u = rng()
    const segmentLeaf = u < 0.05 ? null : u < 0.45 ? 0 : u < 0.6 ? 1 : u < 0.75 ? 2 : 3
    const valueSegment = rng() < 0.8 ? 3 : pick([0, 1, 2, null])
    const arm = rng() < 0.3 ? 'holdout' : 'treatment'
    if (rng() < 0.4) {
      const books = 1 + Math.floor(rng() * 2)
      const pages = [...Array.from({ length: books }, () => pick(products)), 'cart', 'checkout']
      return { pages, order: books * (13.5 + rng() * 11), orderAfter: pages.length - 1, segmentLeaf, valueSegment, arm }
    }
    const pages = [pick(KEYS.slice(0, 10))]
    if (rng() < 0.5) pages.push(pick(KEYS.slice(0, 12)))
    return { pages, order: null, orderAfter: -1, segmentLeaf, valueSegment, arm }
  })
}

const truthOf = (s: SessionTruth): ReportTruth => ({
  segmentLeaf: s.segmentLeaf,
  valueSegment: s.valueSegment,
  ordered: s.order !== null,
  orderValueBucket: s.order === null ? 0 : orderValueBucket(s.order),
  arm: s.arm,
  pages: s.pages.map((key, i) => ({ key, bounced: s.pages.length === 1, exited: i === s.pages.length - 1, orderFollowed: i <= s.orderAfter })),
})

/** What the collector would publish for these sessions' reports (NaN as null, as in its JSON). */
function insightsOf(list: readonly SessionTruth[], seed: number, reportOf: (s: SessionTruth) => SessionTruth = (s) => s): InsightsShape {
  let sums = createInsightSums(CONTEXT, 2, KEYS)
  // Seeded coins, so the rule's measured false alarms are the same on every run of this test.
  const random = seededRandom(seed)
  for (const s of list) sums = addReport(sums, parseReport(JSON.stringify(encodeReport(truthOf(reportOf(s)), CONTEXT, { epsilon: 2, day: '2026-11-30', random }))))
  return JSON.parse(JSON.stringify(estimateInsights(sums, { minReports: 10 }), (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)))
}

describe('the rule that judges the dashboard against the shoppers', () => {
  const RUNS = Number(process.env.SEGLET_CRITERION_RUNS ?? 300)

  // 180 reports: the 200-shopper run (`npm run test:shoppers`); 32: the 40 shoppers of `npm test` (the other 8 have
  // consent pending or GPC on). The browser test draws real coins, so a correct collector fails it as often as the
  // rule fails here: at most one run in a hundred.
  it.each([180, 32])('passes correct estimates from %i reports (at most one run in a hundred fails)', (reports) => {
    let failed = 0
    let compared = 0
    let missed = 0
    for (let run = 0; run < RUNS; run++) {
      const list = sessions(run, reports)
      const comparisons = compareKeyShares(insightsOf(list, 7_000 + run), list)
      const verdict = judgeIntervals(comparisons)
      compared += comparisons.length
      missed += verdict.outside.length
      if (!verdict.pass) failed++
    }
    console.log(`[criterion] ${reports} reports, ${RUNS} runs: ${(compared / RUNS).toFixed(1)} estimates compared per run, ${((100 * missed) / compared).toFixed(2)}% outside their interval, ${failed} runs failed`)
    expect(failed).toBeLessThanOrEqual(RUNS / 100)
  })

  it('fails estimates of sessions that were not the shoppers\' (every session reported in one segment, without its order)', () => {
    let failed = 0
    for (let run = 0; run < 50; run++) {
      const list = sessions(1000 + run, 180)
      const wrong = (s: SessionTruth): SessionTruth => ({ ...s, segmentLeaf: 3, order: null, orderAfter: -1 })
      if (!judgeIntervals(compareKeyShares(insightsOf(list, 9_000 + run, wrong), list)).pass) failed++
    }
    expect(failed).toBeGreaterThanOrEqual(40)
  })
})
