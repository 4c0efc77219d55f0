import { encodeReport } from '../src/reports/encodeReport'
import { addReport, createInsightSums, estimateInsights, type Estimate, type Insights, type InsightSums } from '../src/reports/estimate'
import { RATIO_DENOMINATOR_LIMIT, Z95 } from '../src/reports/estimate/constants'
import { parseReport } from '../src/reports/parseReport'
import { DEFAULT_MIN_PAGE_VIEWS } from '../src/segments/constants'
import { ARMS, MAX_REPORT_PAGES, ORDER_VALUE_BUCKETS, orderValueBucket } from '../src/reports/schema'
import type { ReportBody, ReportContext, ReportPage, ReportTruth } from '../src/reports/types'
import type { LearnTruth } from '../src/reports/learn/types'
import { createRng, type Rng } from '../training/rng'
import type { Population } from './population'
import { seededRandom } from './seededRandom'
import { draw, type Shop } from './shop'

/**
 * Share of browsers in the holdout arm (the rest get personalisation). A session with no segment decided is reported
 * in neither: its arm is 'none', as the browser reports a session with no recorded decision.
 */
export const HOLDOUT = 0.1
/** Of the orders the data set records, the share a holdout session with a segment does not place (the simulated lift). */
export const HOLDOUT_LOST_ORDERS = 0.1
/**
 * Share of the sessions long enough for a decision that still report none (consent given late, say). Shorter
 * sessions (fewer than DEFAULT_MIN_PAGE_VIEWS pages: the bounces) are reported as the cold start they were.
 */
export const NO_SEGMENT = 0.05
/** Order values: log-normal with this median (shop currency) and σ. */
export const ORDER_VALUE_MEDIAN = 60
export const ORDER_VALUE_SIGMA = 0.9
/** The day every simulated report carries. */
const DAY = '2026-11-29'

/** The exact statistics of the simulated sessions, as the reports describe them. */
export interface SimTruth {
  devices: number
  segment: Float64Array
  segmentOrders: Float64Array
  value: Float64Array
  armSessions: Float64Array
  armOrders: Float64Array
  views: Float64Array
  bounces: Float64Array
  exits: Float64Array
  /** Sessions that viewed each page (among the pages a report keeps). */
  viewSessions: Float64Array
  /**
   * Order value of the sessions that placed an order after viewing each page: the orders' real values, not the values
   * their bands count for, so the page-value error includes what the order-value bands put it off by.
   */
  followedValue: Float64Array
  /** Orders, the sum of their real values, and the sum of the values their order-value bands count them at. */
  orders: number
  orderValue: number
  bandOrderValue: number
  /** Orders in the top order-value band (500 and above), and in the lowest (under 25). */
  topBandOrders: number
  lowBandOrders: number
}

export interface SimRun {
  devices: number
  epsilon: number
  sums: InsightSums
  insights: Insights
  truth: SimTruth
}

function normal(rng: Rng): number {
  // Box–Muller.
  const u = 1 - rng()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng())
}

/**
 * Simulates `devices` browsers, one closed session each: the session is a UCI Online Shoppers row drawn at
 * random (its segment leaf, none when it is shorter than a decision needs; its page count; whether it
 * bought), its pages come from the synthetic shop, and its report is made by `encodeReport`, sent as JSON,
 * read by `parseReport` and added by `addReport` — the code the SDK and the collector run. Returns the collector's estimates and the exact truth.
 */
export function simulateInsights(
  population: Population,
  shop: Shop,
  options: { devices: number; epsilon: number; seed: number; valuePages?: readonly string[] },
): SimRun {
  const sums = createInsightSums(reportContext(population), options.epsilon, shop.keys)
  const truth = simulateReports(population, shop, options, (body) => addReport(sums, parseReport(JSON.stringify(body))))
  return { devices: options.devices, epsilon: options.epsilon, sums, insights: estimateInsights(sums), truth }
}

/** The pack the simulated browsers report under: the shipped session and lifetime packs' id and leaf counts. */
function reportContext(population: Population): ReportContext {
  return { packId: population.packId, segmentLeaves: population.segmentLabels.length, valueLeaves: population.valueLabels.length }
}

/**
 * The browsers of {@link simulateInsights}, each report made by `encodeReport` and handed to `send` (with the
 * browser's number) as the SDK would post it; `dayOf` gives the UTC day each report is of (all of one day unless
 * given). Returns the exact truth of the sessions.
 *
 * @example
 * const truth = simulateReports(population, shop, { devices: 1000, epsilon: 2, seed: 1 }, (body) => bodies.push(JSON.stringify(body)))
 */
export function simulateReports(
  population: Population,
  shop: Shop,
  options: {
    devices: number
    epsilon: number
    seed: number
    valuePages?: readonly string[]
    dayOf?: (device: number) => string
    /** Share of reports that answer the training question (`reports.learnShare`). @default 0 */
    learnShare?: number
    /** The training answer's truth of each row of the population (`learnTruths`); needed with a `learnShare`. */
    learn?: readonly LearnTruth[]
  },
  send: (body: ReportBody, device: number) => void,
): SimTruth {
  const { devices, epsilon, seed } = options
  const valuePages = options.valuePages ?? []
  const dayOf = options.dayOf ?? (() => DAY)
  const learnShare = options.learnShare ?? 0
  const learn = learnShare > 0 ? options.learn : undefined
  if (learnShare > 0 && learn?.length !== population.rows.length) throw new Error('a learnShare needs the training truth of every row (learnTruths)')
  const rng = createRng(seed)
  const random = seededRandom(seed ^ 0x5eed)
  const context = reportContext(population)
  const S = context.segmentLeaves
  const V = context.valueLeaves
  const P = shop.keys.length
  const truth: SimTruth = {
    devices,
    segment: new Float64Array(S + 1),
    segmentOrders: new Float64Array(S + 1),
    value: new Float64Array(V + 1),
    armSessions: new Float64Array(ARMS.length),
    armOrders: new Float64Array(ARMS.length),
    views: new Float64Array(P),
    bounces: new Float64Array(P),
    exits: new Float64Array(P),
    viewSessions: new Float64Array(P),
    followedValue: new Float64Array(P),
    orders: 0,
    orderValue: 0,
    bandOrderValue: 0,
    topBandOrders: 0,
    lowBandOrders: 0,
  }
  // Per page, the last device that viewed it and whether an order followed a view of it in that session.
  const seenBy = new Int32Array(P).fill(-1)
  const followedBy = new Int32Array(P).fill(-1)
  const valueCdf = new Float64Array(V)
  population.valueShares.reduce((s, v, i) => (valueCdf[i] = s + v), 0)
  valueCdf[V - 1] = 1
  // One truth object and page pool, refilled for every device: the encoder only reads them.
  const pool: ReportPage[] = Array.from({ length: MAX_REPORT_PAGES }, () => ({ key: '', bounced: false, exited: false, orderFollowed: false }))
  const pageIndex = new Int32Array(MAX_REPORT_PAGES)
  const truthObject: ReportTruth = { segmentLeaf: null, valueSegment: null, ordered: false, orderValueBucket: 0, arm: 'none', pages: [] }
  const rows = population.rows

  for (let d = 0; d < devices; d++) {
    const r = Math.floor(rng() * rows.length)
    const row = rows[r]
    const undecided = rng() < NO_SEGMENT
    const value = row.visitorType === 'Returning_Visitor' ? draw(valueCdf, rng()) : null
    const length = Math.max(1, row.administrative + row.informational + row.productRelated)
    const segment = undecided || length < DEFAULT_MIN_PAGE_VIEWS ? null : population.leaf[r]
    // The browser's arm is drawn for every browser, but a session is reported in it only when a decision was recorded
    // for it: a session without one (a bounce, a decision it never made) is reported with arm 'none', as
    // `buildReportTruth()` does. It was personalised in neither arm, so it loses no orders to the holdout.
    const drawn = rng() < HOLDOUT ? 'holdout' : 'treatment'
    const arm = segment === null ? 'none' : drawn
    const lost = drawn === 'holdout' && row.revenue && rng() < HOLDOUT_LOST_ORDERS
    const ordered = row.revenue && !(lost && arm === 'holdout')
    const orderValue = ordered ? ORDER_VALUE_MEDIAN * Math.exp(ORDER_VALUE_SIGMA * normal(rng)) : 0
    const bucket = ordered ? orderValueBucket(orderValue) : 0
    if (ordered) {
      truth.orders++
      truth.orderValue += orderValue
      truth.bandOrderValue += ORDER_VALUE_BUCKETS[bucket].value
      if (bucket === ORDER_VALUE_BUCKETS.length - 1) truth.topBandOrders++
      if (bucket === 0) truth.lowBandOrders++
    }
    const kept = Math.min(length, MAX_REPORT_PAGES)
    // The order is placed after a page in the second half of the session.
    const orderAfter = ordered ? Math.floor(length / 2) + Math.floor(rng() * (length - Math.floor(length / 2))) : -1
    const pages = truthObject.pages
    pages.length = kept
    for (let i = 0; i < kept; i++) {
      const at = length - kept + i
      const u = rng()
      const k =
        length === 1 ? draw(shop.bounce, u)
        : at === 0 ? draw(shop.landing, u)
        : at === length - 1 ? draw(shop.exit, u)
        : at <= orderAfter ? draw(shop.buying, u)
        : draw(shop.middle, u)
      const page = pool[i]
      page.key = shop.keys[k]
      page.bounced = length === 1
      page.exited = at === length - 1
      page.orderFollowed = at <= orderAfter
      pages[i] = page
      pageIndex[i] = k
      truth.views[k]++
      if (page.bounced) truth.bounces[k]++
      if (page.exited) truth.exits[k]++
      if (seenBy[k] !== d) {
        seenBy[k] = d
        truth.viewSessions[k]++
      }
      if (page.orderFollowed && followedBy[k] !== d) {
        followedBy[k] = d
        truth.followedValue[k] += orderValue
      }
    }
    truthObject.segmentLeaf = segment
    truthObject.valueSegment = value
    truthObject.ordered = ordered
    truthObject.orderValueBucket = bucket
    truthObject.arm = arm
    const s = segment ?? S
    truth.segment[s]++
    if (ordered) truth.segmentOrders[s]++
    truth.value[value ?? V]++
    const a = ARMS.indexOf(arm)
    truth.armSessions[a]++
    if (ordered) truth.armOrders[a]++

    if (learn) truthObject.learn = learn[r]
    send(encodeReport(truthObject, context, { epsilon, day: dayOf(d), random, valuePages, learnShare }), d)
  }
  return truth
}

const covers = (e: Estimate, truth: number) => Number.isFinite(e.value) && e.low <= truth && truth <= e.high

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  if (s.length === 0) return Number.NaN
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/** The measures the simulation prints for one run. */
export interface RunMeasures {
  devices: number
  epsilon: number
  segmentShareMaxAbsError: number
  valueShareMaxAbsError: number
  conversionBySegmentMaxAbsError: number
  liftAbsError: number
  /** Intervals of segment and value-segment shares that hold the truth, and how many. */
  covered: number
  intervals: number
  /** The same for the ratio estimates: conversion by segment and lift. */
  ratioCovered: number
  ratioIntervals: number
  /**
   * Average order value: relative error of the estimate against the orders' real average (infinite when not
   * computable), and what the order-value bands alone put it off by (the average of the values the bands count the
   * orders at over their real average, minus 1: exact, no privacy noise).
   */
  averageOrderValueRelError: number
  orderValueBandBias: number
  /** Top pages by views: median absolute error of bounce and exit rate, median relative error of page value. */
  bounceMedianAbsError: number
  exitMedianAbsError: number
  pageValueMedianRelError: number
  pageIntervalsCovered: number
  pageIntervals: number
  /**
   * Of all the estimates above, those shown (`enough`) and how many of their intervals hold the truth: which
   * cells are shown depends on their estimate, which a shown figure's lower end allows for (`shownLow`).
   */
  shownCovered: number
  shown: number
  /** The same for the top pages' statistics alone (bounce rate, exit rate, page value). */
  pageShownCovered: number
  pageShown: number
  /** Pages whose rates are published (views, bounce and exit rates shown); a page value is published on its own. */
  publishedPages: number
  /** Per page: share of views and the sessions from which its statistics would be published. */
  pagesNeed: { share: number; sessions: number; valueSessions: number }[]
}

export const TOP_PAGES = 20

/** Indexes of the TOP_PAGES most viewed pages of the simulated sessions. */
export function topPages(truth: SimTruth): number[] {
  return Array.from(truth.views.keys()).sort((a, b) => truth.views[b] - truth.views[a]).slice(0, TOP_PAGES)
}

export function measureRun(run: SimRun): RunMeasures {
  const { insights, truth, devices } = run
  let covered = 0
  let intervals = 0
  let ratioCovered = 0
  let ratioIntervals = 0
  // Coverage is of the intervals the estimates state: an estimate too noisy to have one (not computable, shown
  // as "not enough reports yet") is neither a hit nor a miss; its error still counts as infinite.
  let shownCovered = 0
  let shown = 0
  let pageShownCovered = 0
  let pageShown = 0
  const countShown = (e: Estimate, t: number, page = false) => {
    if (!e.enough) return
    shown++
    if (page) pageShown++
    if (!covers(e, t)) return
    shownCovered++
    if (page) pageShownCovered++
  }
  const check = (e: Estimate, t: number, ratio = false) => {
    if (!Number.isFinite(e.value)) return Number.POSITIVE_INFINITY
    countShown(e, t)
    if (ratio) {
      ratioIntervals++
      if (covers(e, t)) ratioCovered++
    } else {
      intervals++
      if (covers(e, t)) covered++
    }
    return Number.isFinite(e.value) ? Math.abs(e.value - t) : Number.POSITIVE_INFINITY
  }
  let segmentShareMaxAbsError = 0
  let conversionBySegmentMaxAbsError = 0
  insights.segments.forEach((s, i) => {
    segmentShareMaxAbsError = Math.max(segmentShareMaxAbsError, check(s.share, truth.segment[i] / devices))
    if (truth.segment[i] > 0) conversionBySegmentMaxAbsError = Math.max(conversionBySegmentMaxAbsError, check(s.conversion, truth.segmentOrders[i] / truth.segment[i], true))
  })
  let valueShareMaxAbsError = 0
  insights.valueSegments.forEach((s, i) => (valueShareMaxAbsError = Math.max(valueShareMaxAbsError, check(s.share, truth.value[i] / devices))))
  const T = ARMS.indexOf('treatment')
  const H = ARMS.indexOf('holdout')
  const liftTruth = truth.armOrders[T] / truth.armSessions[T] - truth.armOrders[H] / truth.armSessions[H]
  const liftAbsError = check(insights.lift.difference, liftTruth, true)
  const averageOrderValue = truth.orderValue / truth.orders
  const aov = insights.overall.averageOrderValue
  const averageOrderValueRelError = Number.isFinite(aov.value) ? Math.abs(aov.value - averageOrderValue) / averageOrderValue : Number.POSITIVE_INFINITY

  const order = topPages(truth)
  const bounce: number[] = []
  const exit: number[] = []
  const value: number[] = []
  let pageIntervalsCovered = 0
  let pageIntervals = 0
  for (const k of order) {
    const p = insights.pages[k]
    const views = truth.views[k]
    const tb = truth.bounces[k] / views
    const te = truth.exits[k] / views
    const tv = truth.followedValue[k] / truth.viewSessions[k]
    // A rate that is not computable (its page's views estimated at or below zero) sorts as the worst error.
    const rateError = (e: Estimate, t: number) => (Number.isFinite(e.value) ? Math.abs(e.value - t) : Number.POSITIVE_INFINITY)
    bounce.push(rateError(p.bounceRate, tb))
    exit.push(rateError(p.exitRate, te))
    // A page the page-value question does not ask about has no estimate: it counts as a 100% error.
    value.push(Number.isFinite(p.pageValue.value) ? Math.abs(p.pageValue.value - tv) / tv : 1)
    for (const [e, t] of [[p.bounceRate, tb], [p.exitRate, te], [p.pageValue, tv]] as const) {
      if (!Number.isFinite(e.value)) continue
      countShown(e, t, true)
      pageIntervals++
      if (covers(e, t)) pageIntervalsCovered++
    }
  }
  const totalViews = truth.views.reduce((a, b) => a + b, 0)
  // Interval widths shrink as 1/√sessions: the sessions at which each statistic's interval meets its rule. The
  // width the rule reads is ±1.96 sd (a shown figure's lower end then also allows for its having been shown).
  const limit = (e: Estimate) => Math.max(Math.abs(e.value), 0.2)
  const need = (e: Estimate) => devices * ((2 * Z95 * Math.sqrt(e.variance)) / limit(e)) ** 2
  // A rate is also shown only once what it divides by is estimated within ±20% (RATIO_DENOMINATOR_LIMIT): the page's
  // views per session for its bounce and exit rates, the sessions that viewed it for its order rate. Against the
  // true figure, which a noisy estimate near 0 would not give.
  const settledNeed = (e: Estimate, truthPerSession: number) => devices * ((Z95 * Math.sqrt(e.variance)) / (RATIO_DENOMINATOR_LIMIT * truthPerSession)) ** 2
  const finiteOr = (x: number) => (Number.isFinite(x) ? x : Number.POSITIVE_INFINITY)
  const pagesNeed = insights.pages.map((p, k) => ({
    share: truth.views[k] / totalViews,
    // Published: bounce and exit rate shown; page value shown: its order rate's interval meets the rate rule, and
    // the sessions behind it are settled.
    sessions: finiteOr(Math.max(need(p.bounceRate), need(p.exitRate), settledNeed(p.viewsPerSession, truth.views[k] / devices))),
    valueSessions: finiteOr(Math.max(need(p.orderRate), settledNeed(p.sessionShare, truth.viewSessions[k] / devices))),
  }))
  return {
    devices,
    epsilon: run.epsilon,
    segmentShareMaxAbsError,
    valueShareMaxAbsError,
    conversionBySegmentMaxAbsError,
    liftAbsError,
    averageOrderValueRelError,
    orderValueBandBias: truth.bandOrderValue / truth.orderValue - 1,
    covered,
    intervals,
    ratioCovered,
    ratioIntervals,
    bounceMedianAbsError: median(bounce),
    exitMedianAbsError: median(exit),
    pageValueMedianRelError: median(value),
    pageIntervalsCovered,
    pageIntervals,
    shownCovered,
    shown,
    pageShownCovered,
    pageShown,
    publishedPages: insights.pages.filter((p) => p.ratesPublished).length,
    pagesNeed,
  }
}
