// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../../sim/seededRandom'
import { createRng } from '../../../training/rng'
import { encodeReport } from '../encodeReport'
import { parseReport } from '../parseReport'
import type { ReportContext, ReportPage, ReportTruth } from '../types'
import { addReport, createInsightSums, estimateInsights, type Estimate, type Insights } from './index'

const context: ReportContext = { packId: 'coverage@1', segmentLeaves: 4, valueLeaves: 2 }
/** Shares of segment leaves 0–3 and of sessions with no segment. */
const SEGMENTS = [0.4, 0.3, 0.15, 0.1, 0.05]

interface ShopTruth {
  segmentShare: number[]
  conversion: number[]
  treatmentConversion: number
  holdoutConversion: number
}

/**
 * One simulated shop: `reports` sessions, each reported by the SDK's encoder and read by the collector's parser
 * and sums, with the exact statistics of those sessions (the truth the intervals are about).
 */
function shop(reports: number, epsilon: number, seed: number, conversion: number, holdout: number): { insights: Insights; truth: ShopTruth } {
  const rng = createRng(seed)
  const random = seededRandom(seed ^ 0x5eed)
  const sums = createInsightSums(context, epsilon, [])
  const sessions = new Float64Array(SEGMENTS.length)
  const orders = new Float64Array(SEGMENTS.length)
  const arm = [0, 0, 0, 0]
  const truth: ReportTruth = { segmentLeaf: null, valueSegment: null, ordered: false, orderValueBucket: 0, arm: 'none', pages: [] }
  for (let i = 0; i < reports; i++) {
    const u = rng()
    let s = 0
    for (let c = SEGMENTS[0]; s < SEGMENTS.length - 1 && u >= c; c += SEGMENTS[++s]);
    const held = rng() < holdout
    truth.segmentLeaf = s === context.segmentLeaves ? null : s
    truth.ordered = rng() < conversion
    truth.orderValueBucket = truth.ordered ? 1 : 0
    truth.arm = held ? 'holdout' : 'treatment'
    sessions[s]++
    if (truth.ordered) orders[s]++
    arm[held ? 2 : 0]++
    if (truth.ordered) arm[held ? 3 : 1]++
    addReport(sums, parseReport(JSON.stringify(encodeReport(truth, context, { epsilon, day: '2026-11-29', random }))))
  }
  return {
    insights: estimateInsights(sums),
    truth: {
      segmentShare: Array.from(sessions, (n) => n / reports),
      conversion: Array.from(sessions, (n, s) => orders[s] / n),
      treatmentConversion: arm[1] / arm[0],
      holdoutConversion: arm[3] / arm[2],
    },
  }
}

/** Of the intervals the dashboard shows (`enough`), the share that hold the truth, and how many were shown. */
/**
 * The bounce and exit rates of a shop of `pages` pages with Zipf views, each with its truth, over 30 runs of
 * `reports` reports at ε = 8: a session is one page (a bounce) with probability `bounceShare`, else 2 to
 * 1 + `longestMore` pages, and ends on its last.
 */
function zipfPageRates({ pages: n, reports, bounceShare, longestMore }: { pages: number; reports: number; bounceShare: number; longestMore: number }): [Estimate, number][] {
  const keys = Array.from({ length: n }, (_, i) => `page/${i}`)
  const zipf = keys.map((_, i) => 1 / (i + 1))
  const total = zipf.reduce((a, b) => a + b, 0)
  const rates: [Estimate, number][] = []
  for (let seed = 1; seed <= 30; seed++) {
    const rng = createRng(seed)
    const random = seededRandom(seed ^ 0x5eed)
    const sums = createInsightSums(context, 8, keys)
    const views = new Float64Array(keys.length)
    const bounces = new Float64Array(keys.length)
    const exits = new Float64Array(keys.length)
    for (let i = 0; i < reports; i++) {
      const length = rng() < bounceShare ? 1 : 2 + Math.floor(rng() * longestMore)
      const pages = Array.from({ length }, (_, at) => {
        let k = 0
        for (let u = rng() * total - zipf[0]; u >= 0 && k < keys.length - 1; u -= zipf[++k]);
        views[k]++
        if (length === 1) bounces[k]++
        if (at === length - 1) exits[k]++
        return { key: keys[k], bounced: length === 1, exited: at === length - 1, orderFollowed: false }
      })
      const truth: ReportTruth = { segmentLeaf: 0, valueSegment: null, ordered: false, orderValueBucket: 0, arm: 'none', pages }
      addReport(sums, parseReport(JSON.stringify(encodeReport(truth, context, { epsilon: 8, day: '2026-11-29', random }))))
    }
    estimateInsights(sums).pages.forEach((p, k) => rates.push([p.bounceRate, bounces[k] / views[k]], [p.exitRate, exits[k] / views[k]]))
  }
  return rates
}

function shownCoverage(cells: [Estimate, number][]): { coverage: number; shown: number } {
  const shown = cells.filter(([e, t]) => e.enough && Number.isFinite(t))
  return { coverage: shown.filter(([e, t]) => e.low <= t && t <= e.high).length / shown.length, shown: shown.length }
}

describe('95% intervals of the cells shown', () => {
  it('hold a small conversion rate about 95% of the time at ε = 8, where few orders are behind a cell', () => {
    // At ε = 8 randomized response hardly changes an answer, so a cell's interval is that of its sample: a
    // segment of a few dozen outcome answers with 0–3 orders in them.
    const conversion: [Estimate, number][] = []
    const arms: [Estimate, number][] = []
    for (let seed = 1; seed <= 60; seed++) {
      const { insights, truth } = shop(3000, 8, seed, 0.03, 0.5)
      insights.segments.forEach((s, i) => conversion.push([s.conversion, truth.conversion[i]]))
      arms.push([insights.lift.treatmentConversion, truth.treatmentConversion], [insights.lift.holdoutConversion, truth.holdoutConversion])
    }
    const bySegment = shownCoverage(conversion)
    const byArm = shownCoverage(arms)
    expect(bySegment.shown).toBeGreaterThan(100)
    expect(bySegment.coverage).toBeGreaterThan(0.9)
    expect(byArm.shown).toBeGreaterThan(100)
    expect(byArm.coverage).toBeGreaterThan(0.9)
  })

  it('miss a conversion with a few orders behind it about 2.5% of the time on each side, by arm and by segment', () => {
    // 3,000 reports at ε = 8 without value pages, conversion 5%, a holdout of half: each arm's conversion rests on
    // about 110 of the arm answers and 5 orders, a segment's on 10–90 outcome answers and 0–4 orders. value ± 1.96 sd, its
    // variance taken at the estimate, is narrow where the estimate came out low, so it lies below the truth more
    // often than above; Wilson's score interval pulls toward ½, so above it. Here the segments' conversions shown lay
    // wholly below the truth 2.2% of the time and above it 0.5% (852 shown) with value ± 1.96 sd; the arms' 1.2% and
    // 4.7% (600) with Wilson's interval; with the mid-p interval 1.9% and 1.9%, and 2.5% and 3.2%.
    const arms: [Estimate, number][] = []
    const segments: [Estimate, number][] = []
    const lifts: [Estimate, number][] = []
    for (let seed = 1; seed <= 300; seed++) {
      const { insights, truth } = shop(3000, 8, seed, 0.05, 0.5)
      const { treatmentConversion: t, holdoutConversion: h } = insights.lift
      arms.push([t, truth.treatmentConversion], [h, truth.holdoutConversion])
      insights.segments.forEach((s, i) => segments.push([s.conversion, truth.conversion[i]]))
      lifts.push([insights.lift.difference, truth.treatmentConversion - truth.holdoutConversion])
    }
    for (const cells of [arms, segments]) {
      const shown = cells.filter(([e, t]) => e.enough && Number.isFinite(t))
      const below = shown.filter(([e, t]) => e.high < t).length / shown.length
      const above = shown.filter(([e, t]) => e.low > t).length / shown.length
      expect(shown.length).toBeGreaterThan(500)
      expect(below).toBeGreaterThan(0.01)
      expect(below).toBeLessThan(0.04)
      expect(above).toBeGreaterThan(0.01)
      expect(above).toBeLessThan(0.04)
    }
    expect(shownCoverage(lifts).coverage).toBeGreaterThan(0.93)
  }, 120_000)

  it('hold the bounce and exit rates of pages about 95% of the time at ε = 8, where few exits are behind a page', () => {
    // Ten pages with Zipf views; one session in thirty is a bounce, and sessions end on any page alike. Enough
    // reports that the views behind the first pages' rates are estimated within ±20%, which a rate needs to be shown
    // (at 3,000 reports none is): 296 rates are shown over the 30 runs.
    const pages = shownCoverage(zipfPageRates({ pages: 10, reports: 40_000, bounceShare: 1 / 30, longestMore: 6 }))
    expect(pages.shown).toBeGreaterThan(200)
    expect(pages.coverage).toBeGreaterThan(0.9)
  }, 120_000)

  it('hold the exit and bounce rates of rarely viewed pages about 95% of the time, where their views are mostly noise', () => {
    // A shop of 100 pages with Zipf views, 40,000 reports at ε = 8: past the first few pages, a page's views per
    // session is estimated about as widely as it is. One that came out high by chance made a rate near 0 whose
    // interval was narrow enough to show, around the wrong rate: before the views behind a rate had to be estimated
    // within ±20%, the exit rates shown held the truth 73.1% of the time here (554 shown), the bounce rates 91.5%
    // (1,644); now 97.9% and 95.7% (94 each).
    const pages = shownCoverage(zipfPageRates({ pages: 100, reports: 40_000, bounceShare: 0.2, longestMore: 10 }))
    expect(pages.shown).toBeGreaterThan(100)
    expect(pages.coverage).toBeGreaterThan(0.92)
  }, 120_000)

  it('hold the truth at least 95% of the time among all the figures shown, where the rule that shows them reads the estimate', () => {
    // A figure is shown when its estimate is at least its interval's width (a rate, once its interval is wider than
    // 20 points): the estimates that came out high are the ones shown, and at ε = 1 and 10,000 reports many figures
    // (a page's share of sessions, its order rate, a small segment) sit near that bar. With the plain lower end,
    // value − 1.96 sd, the intervals shown held the truth 92.6% of the time here (1,431 shown).
    const cells: [Estimate, number][] = []
    for (let seed = 1; seed <= 200; seed++) cells.push(...pagedShop(10_000, 1, seed))
    const all = shownCoverage(cells)
    expect(all.shown).toBeGreaterThan(1000)
    expect(all.coverage).toBeGreaterThan(0.94)
  }, 120_000)
})

const PAGE_KEYS = Array.from({ length: 10 }, (_, i) => `page/${i}`)
/** Views of the ten pages: Zipf (share ∝ 1/rank). */
const ZIPF = PAGE_KEYS.map((_, i) => 1 / (i + 1))
const ZIPF_TOTAL = ZIPF.reduce((a, b) => a + b, 0)
/** Conversion of segment leaves 0–3 and of sessions with no segment. */
const CONVERSION = [0.05, 0.1, 0.2, 0.3, 0.02]

/**
 * One simulated shop with pages: sessions of 1–7 Zipf page views whose browsers hold every page on their
 * `valuePages`, each reported by the SDK's encoder and read by the collector's parser and sums. Returns each
 * segment's share and conversion and each page's views per session, share of sessions and order rate, with the
 * exact statistic of those sessions it estimates.
 */
function pagedShop(reports: number, epsilon: number, seed: number): [Estimate, number][] {
  const rng = createRng(seed)
  const random = seededRandom(seed ^ 0x5eed)
  const sums = createInsightSums(context, epsilon, PAGE_KEYS)
  const sessions = new Float64Array(SEGMENTS.length)
  const orders = new Float64Array(SEGMENTS.length)
  const views = new Float64Array(PAGE_KEYS.length)
  const viewedIn = new Float64Array(PAGE_KEYS.length)
  const orderedAfter = new Float64Array(PAGE_KEYS.length)
  for (let i = 0; i < reports; i++) {
    const u = rng()
    let s = 0
    for (let c = SEGMENTS[0]; s < SEGMENTS.length - 1 && u >= c; c += SEGMENTS[++s]);
    const ordered = rng() < CONVERSION[s]
    sessions[s]++
    if (ordered) orders[s]++
    const length = rng() < 0.2 ? 1 : 2 + Math.floor(rng() * 6)
    const seen = new Set<number>()
    const pages: ReportPage[] = Array.from({ length }, (_, at) => {
      let k = 0
      for (let x = rng() * ZIPF_TOTAL - ZIPF[0]; x >= 0 && k < PAGE_KEYS.length - 1; x -= ZIPF[++k]);
      views[k]++
      seen.add(k)
      return { key: PAGE_KEYS[k], bounced: length === 1, exited: at === length - 1, orderFollowed: ordered }
    })
    for (const k of seen) {
      viewedIn[k]++
      if (ordered) orderedAfter[k]++
    }
    const truth: ReportTruth = { segmentLeaf: s === context.segmentLeaves ? null : s, valueSegment: null, ordered, orderValueBucket: ordered ? 1 : 0, arm: 'none', pages }
    addReport(sums, parseReport(JSON.stringify(encodeReport(truth, context, { epsilon, day: '2026-11-29', random, valuePages: PAGE_KEYS }))))
  }
  const insights = estimateInsights(sums)
  return [
    ...insights.segments.flatMap((x, i): [Estimate, number][] => [[x.share, sessions[i] / reports], [x.conversion, orders[i] / sessions[i]]]),
    ...insights.pages.flatMap((p, k): [Estimate, number][] => [
      [p.viewsPerSession, views[k] / reports],
      [p.sessionShare, viewedIn[k] / reports],
      [p.orderRate, orderedAfter[k] / viewedIn[k]],
    ]),
  ]
}
