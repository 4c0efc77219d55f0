// What the scripted shoppers of shoppers.test.ts did, next to what the collector estimated from their private
// reports: the pairs of (estimate with its 95% interval, truth), and the rule that judges them. Pure code, so the
// rule can be checked against the SDK's own encoding and the collector's own estimators outside the browser
// (shoppersTruth.test.ts).
import { MAX_REPORT_PAGES, ORDER_VALUE_BUCKETS, orderValueBucket } from '../../src/reports/schema'

/** What one shopper's reported session was, as the test saw it (and the device recorded its decision). */
export interface SessionTruth {
  /** Page keys of the pages the session viewed, in order. */
  pages: string[]
  /** Order total in the shop's currency, or null without an order. */
  order: number | null
  /** Index (in `pages`) of the last page viewed before the order (-1 without an order). */
  orderAfter: number
  /** The device's record of the session's decision: leaf indexes (null: cold start / none) and arm. */
  segmentLeaf: number | null
  valueSegment: number | null
  arm: 'treatment' | 'holdout' | 'none'
}

/** An estimate as `/seglet/insights.json` carries it (NaN becomes null in JSON). */
export interface Estimate {
  value: number | null
  low: number | null
  high: number | null
  enough: boolean
}

/** The part of the insights the comparison reads. */
export interface InsightsShape {
  reports: number
  reportsByQuestion: Record<string, number>
  segments: { leaf: number | null; share: Estimate; conversion: Estimate; revenuePerSession: Estimate }[]
  valueSegments: { leaf: number | null; share: Estimate }[]
  overall?: Record<string, Estimate>
  lift?: Record<string, Estimate>
  pageViewsPerSession?: Estimate
  pages?: ({ key: string; published: boolean } & Record<string, Estimate | unknown>)[]
}

/** An estimate the dashboard shows next to what the shoppers actually did. */
export interface Comparison {
  name: string
  estimate: Estimate
  truth: number
}

/**
 * Pairs each estimate that the dashboard shows with an interval (marked enough: below its minimum of reports it
 * says "not enough reports yet" and shows no interval) and that has a plain truth, with that truth, computed from
 * the reporting shoppers' sessions alone. Estimates that rest on an assumption (a segment's revenue and a page's
 * value assume the overall average order value) are left out.
 */
export function compareWithTruth(insights: InsightsShape, sessions: readonly SessionTruth[]): Comparison[] {
  return comparisonsOf(insights, sessions, true)
}

/**
 * The key shares, whether shown or not: segment shares, conversion, and the shares of the two arms (value-segment
 * shares are left out: their question gets about one report in twenty, too few for a normal interval). Each comes from one randomized-response question whose interval does not depend on the estimate having
 * come out large, so over many of them about 95% hold their truth; among the estimates marked enough alone, the
 * large-by-chance ones are over-represented (an interval must be narrower than its estimate to be shown).
 */
export function compareKeyShares(insights: InsightsShape, sessions: readonly SessionTruth[]): Comparison[] {
  const keep = /^(segment \S+ share|conversion|treatment share|holdout share)$/
  return comparisonsOf(insights, sessions, false).filter((c) => keep.test(c.name))
}

function comparisonsOf(insights: InsightsShape, sessions: readonly SessionTruth[], onlyShown: boolean): Comparison[] {
  const n = sessions.length
  const out: Comparison[] = []
  const add = (name: string, estimate: Estimate | undefined, truth: number) => {
    if (estimate && (estimate.enough || !onlyShown) && typeof estimate.value === 'number' && typeof estimate.low === 'number' && typeof estimate.high === 'number' && Number.isFinite(truth)) out.push({ name, estimate, truth })
  }
  const mean = (f: (v: SessionTruth) => number, among: readonly SessionTruth[] = sessions) => (among.length === 0 ? Number.NaN : among.reduce((s, v) => s + f(v), 0) / among.length)
  const ordered = (v: SessionTruth) => (v.order === null ? 0 : 1)
  // The collector counts an order at its bucket's value (the report carries the bucket only).
  const bucketValue = (v: SessionTruth) => (v.order === null ? 0 : ORDER_VALUE_BUCKETS[orderValueBucket(v.order)]!.value)
  for (const s of insights.segments) {
    const inLeaf = sessions.filter((v) => v.segmentLeaf === s.leaf)
    add(`segment ${s.leaf} share`, s.share, inLeaf.length / n)
    add(`segment ${s.leaf} conversion`, s.conversion, mean(ordered, inLeaf))
  }
  for (const s of insights.valueSegments) add(`value segment ${s.leaf} share`, s.share, sessions.filter((v) => v.valueSegment === s.leaf).length / n)
  add('conversion', insights.overall?.conversion, mean(ordered))
  add('average order value', insights.overall?.averageOrderValue, mean(bucketValue, sessions.filter((v) => v.order !== null)))
  add('revenue per session', insights.overall?.revenuePerSession, mean(bucketValue))
  for (const arm of ['treatment', 'holdout'] as const) {
    const inArm = sessions.filter((v) => v.arm === arm)
    add(`${arm} share`, insights.lift?.[`${arm}Share`], inArm.length / n)
    add(`${arm} conversion`, insights.lift?.[`${arm}Conversion`], mean(ordered, inArm))
  }
  add('lift', insights.lift?.difference, mean(ordered, sessions.filter((v) => v.arm === 'treatment')) - mean(ordered, sessions.filter((v) => v.arm === 'holdout')))
  const reported = (v: SessionTruth) => v.pages.slice(-MAX_REPORT_PAGES)
  add('page views per session', insights.pageViewsPerSession, mean((v) => reported(v).length))
  const allViews = sessions.reduce((s, v) => s + reported(v).length, 0)
  for (const p of insights.pages ?? []) {
    const e = p as unknown as Record<string, Estimate>
    const views = sessions.reduce((s, v) => s + reported(v).filter((k) => k === p.key).length, 0)
    const exits = sessions.filter((v) => v.pages.at(-1) === p.key).length
    const bounces = sessions.filter((v) => v.pages.length === 1 && v.pages[0] === p.key).length
    const viewing = sessions.filter((v) => v.pages.includes(p.key))
    add(`page ${p.key} views per session`, e.viewsPerSession, views / n)
    add(`page ${p.key} view share`, e.viewShare, views / allViews)
    add(`page ${p.key} exits per session`, e.exitsPerSession, exits / n)
    add(`page ${p.key} session share`, e.sessionShare, viewing.length / n)
    // An order followed a view of the page: the page was seen at or before the last page before the order.
    add(`page ${p.key} order rate`, e.orderRate, mean((v) => (v.order !== null && v.pages.indexOf(p.key) <= v.orderAfter ? 1 : 0), viewing))
    if (views > 0) {
      add(`page ${p.key} bounce rate`, e.bounceRate, bounces / views)
      add(`page ${p.key} exit rate`, e.exitRate, exits / views)
    }
  }
  return out
}

/** The comparisons whose truth lies outside the 95% interval. */
export const outsideInterval = (comparisons: readonly Comparison[]): Comparison[] =>
  comparisons.filter((c) => c.truth < c.estimate.low! - 1e-9 || c.truth > c.estimate.high! + 1e-9)

/**
 * The verdict on a set of comparisons. A 95% interval misses its truth one time in twenty, so single misses prove
 * nothing. The rule: at most `allowed` misses, 5% of the estimates plus 3.72 binomial standard deviations (a tail
 * of about 1e-4 for independent estimates) plus one, because the shares of one question sum to one and so miss
 * together; and none off by more than three half-widths of its interval (about 6 standard deviations).
 * Measured with the key shares of simulated runs of the browser test's shape (test/unit/shoppersCriterion.test.ts,
 * 180 reports at ε = 2): 8 estimates a run, 6.5% of them outside their interval, no failing run in 3,000; and 46 of
 * 50 runs fail when the reports put every session in one segment and drop its order.
 */
export function judgeIntervals(comparisons: readonly Comparison[]): { pass: boolean; outside: Comparison[]; farOff: Comparison[]; allowed: number } {
  const outside = outsideInterval(comparisons)
  const k = comparisons.length
  const allowed = Math.ceil(0.05 * k + 3.72 * Math.sqrt(0.05 * 0.95 * k)) + 1
  const farOff = comparisons.filter((c) => Math.abs(c.estimate.value! - c.truth) > 1.5 * (c.estimate.high! - c.estimate.low!) + 1e-9)
  return { pass: outside.length <= allowed && farOff.length === 0, outside, farOff, allowed }
}
