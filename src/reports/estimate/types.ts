import type { LearnSums } from '../learn/learnSums'
import type { QuestionId } from '../types'

/** Counts of one finite question: reports that answered it and, per domain value, reports that chose it (k-RR) or set its bit (OUE). */
export interface FiniteSums {
  n: number
  counts: number[]
}

/**
 * Aggregate sums of reports of one context and ε. They are sums: two of them with the same key and
 * page keys add up (`mergeSums`), so they shard over days and machines. JSON-safe.
 */
export interface InsightSums {
  format: 'seglet-insight-sums'
  version: 1
  packId: string
  segmentLeaves: number
  valueLeaves: number
  epsilon: number
  /** The candidate page keys the page answers are decoded against (the shop's declared keys). */
  pageKeys: string[]
  /** All reports added. */
  reports: number
  segment: FiniteSums
  value: FiniteSums
  outcome: FiniteSums
  order: FiniteSums
  arm: FiniteSums
  pageView: PageSums
  pageExit: PageSums
  pageValue: PageValueSums
  /** Training answers (README, "Private training"). */
  learn: LearnSums
}

/** Hash matches of one page question against the candidate page keys. */
export interface PageSums {
  n: number
  /** Per page key, per bit (PAGE_CLASS_COUNT), reports whose hash value matched; the empty code last. */
  support: number[]
  /** Per page key, reports that matched both bits (for the variance). */
  both: number[]
}

/**
 * Randomized-response counts of the page-value question, per candidate page key: `support[3k + j]` counts the
 * reports about key k that answered class j (PAGE_VALUE_CLASSES); the last cell counts reports about a page
 * that is not a candidate. (Named `support` like the page questions' cells: both are stored per page key.)
 */
export interface PageValueSums {
  n: number
  support: number[]
}

/** An estimate with its uncertainty. */
export interface Estimate {
  /** Point estimate (unbiased for counts and shares; ratios are ratios of unbiased estimates). NaN when not computable. */
  value: number
  /** Estimated variance of `value`. */
  variance: number
  /**
   * 95% interval: value ± 1.96 √variance, but for a share of sessions or a rate of one question's counts (conversion,
   * a page's order rate; not the order-value bands' shares, which a rule reads), whose ends are those of a
   * proportion (the mid-p interval of its sampling part, the mechanism's noise added to it, each side apart: not
   * centred on `value`), and for the lift, the difference of its conversions' (Newcombe). For a figure shown because
   * its estimate came out at least its interval's width (`enough`), the lower end allows for that (never below 0,
   * and at most value − 1.96 √variance), so the intervals shown hold the truth 95% of the time, not only all
   * intervals.
   */
  low: number
  high: number
  /**
   * False means "not enough reports yet": too few reports for the cell, or an interval too wide to read (wider than
   * the estimate; for a rate, wider than the larger of the rate and 20 points).
   */
  enough: boolean
  /**
   * The most `EstimateInsightsOptions.forgedReports` well-formed but arbitrary reports, added to the
   * same sums, can move `value` (Infinity when they could swamp its denominator).
   */
  forgedBound: number
  /**
   * Set, with `enough` false, where more reports would not make the figure readable, in plain words: a figure built
   * on order value when the order-value bands cannot measure the shop's order values (`Insights.overall.orderValueBands`).
   */
  reason?: string
}

/**
 * One order-value band of the order question: orders whose total, in the shop's currency units as they are, lies in
 * [from, to) (`to` Infinity for the top band), each counted at `value` in the figures built on order value.
 */
export interface OrderValueBand {
  from: number
  to: number
  value: number
  /** Share of the estimated orders in the band (order question). */
  share: Estimate
}

/** Estimates of one segment leaf (`leaf` null: sessions without a segment). */
export interface SegmentInsight {
  leaf: number | null
  /** Share of reported sessions in the segment (segment question). */
  share: Estimate
  /** Share of the segment's sessions that ended in an order (outcome question: segment × ordered). */
  conversion: Estimate
  /**
   * Order value per session of the segment: its conversion × the shop's average order value. Order values
   * are not asked jointly with the segment, so this assumes the segment's orders have the average value.
   */
  revenuePerSession: Estimate
}

/** Page statistics of one candidate page key. */
export interface PageInsight {
  key: string
  /**
   * Expected views of the page per reported session (pageView question), among each session's last MAX_REPORT_PAGES (12)
   * keyed pages: views before those are not counted.
   */
  viewsPerSession: Estimate
  /** Share of all page views, of the last 12 keyed pages of each session (as `viewsPerSession`). */
  viewShare: Estimate
  /** Sessions that ended on the page, per reported session (pageExit question). */
  exitsPerSession: Estimate
  /** Share of the page's views that were a one-page session: bounces per session / views per session. */
  bounceRate: Estimate
  /** Share of the page's views that were the last of their session: exits per session / views per session. */
  exitRate: Estimate
  /** Page-value answers about this page (0 when the page is not on the published list the question draws from). */
  valueReports: number
  /** Share of all sessions that viewed the page at least once (page-value question). */
  sessionShare: Estimate
  /** Share of the sessions that viewed the page in which an order followed a view of it (page-value question). */
  orderRate: Estimate
  /**
   * Page value: order value per session that viewed the page, counting the orders placed after a view of it —
   * orderRate × the average order value (order question), i.e. assuming those orders have the average value.
   */
  pageValue: Estimate
  /** Views, bounce rate and exit rate are readable: they go into the page-statistics table. */
  ratesPublished: boolean
  /**
   * The page goes into the page-statistics table: its rates are readable (`ratesPublished`) or its page value
   * is, each going in with what is readable of it.
   */
  published: boolean
}

/** Everything the collector can say from a set of sums. */
export interface Insights {
  packId: string
  epsilon: number
  reports: number
  /** Reports per question. */
  reportsByQuestion: Record<QuestionId, number>
  /** Session segments (from the segment question), each with conversion and revenue (outcome question). */
  segments: SegmentInsight[]
  /** Value segments (`leaf` null: no value segment). */
  valueSegments: { leaf: number | null; share: Estimate }[]
  /**
   * All sessions: conversion, average order value, revenue per session (order question). Order values are estimated
   * from `orderValueBands`, each order counted at its band's value; where the bands cannot measure the shop's order
   * values (ORDER_VALUE_TOP_BAND_LIMIT, ORDER_VALUE_LOW_BAND_LIMIT), the average order value, revenue per session (of
   * the shop and of each segment) and page values say `enough: false` with a `reason`.
   */
  overall: { conversion: Estimate; averageOrderValue: Estimate; revenuePerSession: Estimate; orderValueBands: OrderValueBand[] }
  /** Personalisation against the holdout (arm question). */
  lift: {
    /** Share of sessions in each arm. */
    treatmentShare: Estimate
    holdoutShare: Estimate
    treatmentConversion: Estimate
    holdoutConversion: Estimate
    /**
     * Treatment conversion − holdout conversion (absolute lift, in conversion points): shown (`enough`) once both
     * conversions are, whatever its own interval.
     */
    difference: Estimate
    /**
     * Whether the lift's 95% interval lies wholly above or wholly below 0 (`low` > 0 or `high` < 0): false while it
     * spans 0, when the lift is not distinguishable from 0 yet, and while it is not computable.
     */
    distinguishableFromZero: boolean
  }
  /**
   * Expected page views per reported session (all keyed pages, known or not), of each session's last MAX_REPORT_PAGES
   * (12) keyed pages: a longer session counts 12, so this is at most 12, not the session's page views.
   */
  pageViewsPerSession: Estimate
  pages: PageInsight[]
}

/** Options of `estimateInsights`. */
export interface EstimateInsightsOptions {
  /**
   * Fewest reports of a question before any of its cells is shown.
   * @default DEFAULT_MIN_REPORTS (100)
   */
  minReports?: number
  /**
   * Fewest estimated sessions (or page views) behind a rate before it is shown.
   * @default DEFAULT_MIN_COUNT (20)
   */
  minCount?: number
  /**
   * How many forged reports `forgedBound` is computed for.
   * @default 1
   */
  forgedReports?: number
}
