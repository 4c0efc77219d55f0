import { finiteCount, krrLinearVariance, maxContribution, olhCount, oueLinearVariance } from '../mechanisms/estimators'
import type { FiniteMechanism } from '../mechanisms/finite'
import type { OlhParams } from '../mechanisms/olh'
import { midPBound } from '../lib/midPBound'
import { questionMechanism } from '../lib/questionMechanism'
import { ARMS, MAX_REPORT_PAGES, ORDER_VALUE_BUCKETS, PAGE_VALUE_CLASSES, type FiniteQuestionId, type PageQuestionId } from '../schema'
import {
  DEFAULT_MIN_COUNT, DEFAULT_MIN_REPORTS, ORDER_VALUE_LOW_BAND_LIMIT, ORDER_VALUE_TOP_BAND_LIMIT, RATE_INTERVAL_LIMIT, RATIO_DENOMINATOR_LIMIT, Z95,
} from './constants'
import { shownLow } from './shownLow'
import type { Estimate, EstimateInsightsOptions, InsightSums, Insights, OrderValueBand, PageInsight } from './types'

type Vector = ArrayLike<number>

interface Settings {
  minReports: number
  minCount: number
  /** Forged reports the bounds are for. */
  m: number
  /** All reports of the sums (the population the estimates describe). */
  total: number
}

const INFINITE = Number.POSITIVE_INFINITY
const notComputable = (): Estimate => ({ value: Number.NaN, variance: Number.NaN, low: Number.NaN, high: Number.NaN, enough: false, forgedBound: INFINITE })

/**
 * The least estimate at which an interval of this width is readable: for a share, count or amount (none of them
 * negative in truth), the width itself; for a rate, none once the interval is at most RATE_INTERVAL_LIMIT wide, else
 * the width too ("no wider than the estimate" alone would hide every small rate for ever).
 */
type Bar = (width: number) => number
const valueBar: Bar = (width) => width
const rateBar: Bar = (width) => (width <= RATE_INTERVAL_LIMIT ? -INFINITE : width)
const noBar: Bar = () => -INFINITE

/**
 * An estimate with its 95% interval, shown (`enough`) when `ready` (its reports) and the estimate is at least the
 * `bar` its interval's width sets. Where the bar decided it, the rule has read the estimate itself, so the figures
 * it shows lean high: their lower end is then the one that allows for it (`shownLow`), which keeps the intervals
 * shown at their 95%.
 */
function estimate(value: number, variance: number, ready: boolean, bar: Bar, forgedBound: number, ends: Ends | null = null): Estimate {
  if (!Number.isFinite(value) || !Number.isFinite(variance)) return notComputable()
  const v = Math.max(variance, 0)
  const sd = Math.sqrt(v)
  const half = Z95 * sd
  const at = bar(2 * half)
  // A zero variance is a sample too small to show its spread (every report alike), never a certain estimate.
  const enough = v > 0 && ready && value >= at
  const plainLow = ends ? ends.low : value - half
  const low = enough && Number.isFinite(at) ? Math.min(shownLow(value, sd, at), plainLow) : plainLow
  return { value, variance: v, low, high: ends ? ends.high : value + half, enough, forgedBound }
}

/** The ends of a 95% interval where they are not value ± 1.96 sd. */
interface Ends {
  low: number
  high: number
}

/**
 * The 95% interval of a proportion estimated at `value` whose error is the sampling error of a proportion among
 * `answers` sessions drawn from all reported sessions (`unsampled` the finite-population factor) plus the
 * mechanism's, of variance `mechanism`. Each part has its own interval, and the two combine as independent errors do
 * (MOVER: on each side, the distances from the estimate to the two parts' ends add in squares). The sampling part's
 * is the mid-p interval of x = value × size in an effective sample of size = `answers`/`unsampled` sessions
 * (`midPBound`), which misses the truth about as often on each side. value ± 1.96 sd takes the sampling variance at
 * the estimate, so the further an estimate of a rare proportion falls below its truth, the narrower its interval,
 * and it lies below the truth more often than above; Wilson's score interval pulls toward ½, so above. In 2,000
 * simulated shops of 20,000 reports at ε = 8, the holdout conversion's (about 70 sessions, ten orders) lay wholly
 * below the truth 4.2% of the time and above it 1.3% with value ± 1.96 sd, 1.9% and 2.5% with Wilson's, 2.5% and
 * 1.8% with this one (`coverage.test.ts` checks each side). At a small ε it is about value ± 1.96 √mechanism, as
 * before. Null without answers or a finite estimate: the caller keeps value ± 1.96 sd.
 */
function proportionEnds(value: number, mechanism: number, unsampled: number, answers: number): Ends | null {
  if (!(answers > 0) || !Number.isFinite(value) || !Number.isFinite(mechanism)) return null
  const noise = Z2 * Math.max(0, mechanism)
  let below = 0
  let above = 0
  if (unsampled > 0) {
    const size = answers / unsampled
    const p = clamp01(value)
    const x = p * size
    below = Math.max(0, p - midPBound(x, size, 0.025))
    above = Math.max(0, midPBound(x, size, 0.975) - p)
  }
  return { low: value - Math.sqrt(below * below + noise), high: value + Math.sqrt(above * above + noise) }
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x))
const Z2 = Z95 * Z95
/**
 * Finite-population sampling variance of a proportion x/y of the y answering sessions, with the proportion and
 * size of Agresti–Coull (z²/2 sessions added each way): at a large ε the mechanism adds hardly any noise, and
 * x(y − x)/y³ of a cell with 0–3 orders among a few dozen sessions claimed a certainty the sample does not have.
 */
function proportionVariance(x: number, y: number, unsampled: number): number {
  const p = clamp01((x + Z2 / 2) / (y + Z2))
  return (p * (1 - p) * unsampled) / (y + Z2)
}
const dot = (w: Vector, c: Vector) => {
  let s = 0
  for (let i = 0; i < w.length; i++) s += w[i] * c[i]
  return s
}

/** |Δ(x/y)| when x and y each move by at most dx, dy. */
function ratioBound(x: number, y: number, dx: number, dy: number): number {
  const ay = Math.abs(y)
  return ay > dy ? (ay * dx + Math.abs(x) * dy) / (ay * (ay - dy)) : INFINITE
}

/**
 * The ends of the 95% interval of a difference t − h of two rates from their own intervals (Newcombe's
 * method, MOVER): low = d − √((t − t.low)² + (h.high − h)²), high = d + √((t.high − t)² + (h − h.low)²), with z² ×
 * `covariance` added under each root: what the mechanism's noise shared by the two rates (one question's counts)
 * adds to the variance of the difference beyond theirs, −2 cov. Null (value ± 1.96 sd) without both intervals.
 */
function moverEnds(t: { r: number; ends: Ends | null }, h: { r: number; ends: Ends | null }, covariance: number): Ends | null {
  if (!t.ends || !h.ends) return null
  const d = t.r - h.r
  const shared = Z2 * covariance
  const below = (t.r - t.ends.low) ** 2 + (h.ends.high - h.r) ** 2 + shared
  const above = (t.ends.high - t.r) ** 2 + (h.r - h.ends.low) ** 2 + shared
  if (!(below >= 0 && above >= 0)) return null
  return { low: d - Math.sqrt(below), high: d + Math.sqrt(above) }
}

/** Product of two independent estimates (different questions). */
function product(a: Estimate, b: Estimate, enough: boolean): Estimate {
  if (!Number.isFinite(a.value) || !Number.isFinite(b.value)) return notComputable()
  const value = a.value * b.value
  return estimate(
    value,
    b.value * b.value * a.variance + a.value * a.value * b.variance + a.variance * b.variance,
    enough,
    noBar,
    Math.abs(b.value) * a.forgedBound + Math.abs(a.value) * b.forgedBound + a.forgedBound * b.forgedBound,
  )
}

/** Quotient of two independent estimates (different questions), as a rate. */
function quotient(a: Estimate, b: Estimate, ready: boolean): Estimate {
  if (!Number.isFinite(a.value) || !Number.isFinite(b.value) || !(b.value > 0)) return notComputable()
  const r = a.value / b.value
  return estimate(r, (a.variance + r * r * b.variance) / (b.value * b.value), ready, rateBar, ratioBound(a.value, b.value, a.forgedBound, b.forgedBound))
}

/** One finite question: estimated counts and the exact mechanism variance of linear estimates. */
function finiteModel(sums: InsightSums, question: FiniteQuestionId, settings: Settings) {
  const { n, counts } = sums[question]
  return finiteModelOf(questionMechanism(question, sums, sums.epsilon) as FiniteMechanism, n, counts, settings)
}

/** Estimates from `n` answers of one finite mechanism with observed `counts` (a question, or one page of the page-value question). */
function finiteModelOf(mechanism: FiniteMechanism, n: number, counts: Vector, settings: Settings) {
  const c = Array.from(counts, (observed) => finiteCount(mechanism, observed, n))
  const linearVariance = (w: Vector) =>
    mechanism.kind === 'krr' ? krrLinearVariance(mechanism, w, c) : oueLinearVariance(mechanism, w, c, n)
  const dx = (w: Vector) => settings.m * maxContribution(w, mechanism.k, mechanism.p, mechanism.q, mechanism.kind === 'oue')
  // The sessions that answered this question are a random part of all reported sessions: the finite-population
  // sampling variance of that part adds to the mechanism's.
  const unsampled = settings.total > 0 ? Math.max(0, 1 - n / settings.total) : 1
  const enoughReports = n >= settings.minReports

  /** Share of all sessions with a value weighted 1 in `w`, with the interval of a proportion (`proportionEnds`). */
  const share = (w: Vector): Estimate => {
    if (n === 0) return notComputable()
    const p = dot(w, c) / n
    const mechanismVariance = linearVariance(w) / (n * n)
    const variance = mechanismVariance + proportionVariance(dot(w, c), n, unsampled)
    const bound = (dx(w) + settings.m * Math.abs(p)) / (n + settings.m)
    return estimate(p, variance, enoughReports, valueBar, bound, proportionEnds(p, mechanismVariance, unsampled, n))
  }

  /**
   * (a·c)/(b·c), linearised; `a2` weights squared values for the sampling term. A rate (`a` weights 0 or 1, `a2`
   * the same) has the sampling variance of a proportion.
   */
  const ratioParts = (a: Vector, b: Vector, a2: Vector) => {
    const x = dot(a, c)
    const y = dot(b, c)
    const r = x / y
    const g = Array.from(a, (ai, i) => (ai - r * b[i]) / y)
    const isRate = Array.from(a).every((ai, i) => (ai === 0 || ai === 1) && a2[i] === ai)
    const sampling = isRate ? proportionVariance(x, y, unsampled) : (Math.max(0, dot(a2, c) / y - r * r) * unsampled) / y
    const mechanismVariance = linearVariance(g)
    const variance = mechanismVariance + sampling
    // A rate's interval (`proportionEnds`): the proportion r among the y sessions behind it.
    const ends = isRate && y > 0 ? proportionEnds(r, mechanismVariance, unsampled, y) : null
    return { x, y, r, g, sampling, mechanismVariance, variance, ends, bound: ratioBound(x, y, dx(a), dx(b)) }
  }
  /**
   * (a·c)/(b·c) as an estimate; a rate's interval is that of a proportion (`proportionEnds`), but with `plain`,
   * value ± 1.96 sd, for a rate whose interval a rule reads (the order-value bands' shares, `bandProblem`).
   */
  const ratio = (a: Vector, b: Vector, a2: Vector, isRate: boolean, plain = false): Estimate => {
    if (n === 0) return notComputable()
    const { y, r, variance, ends, bound } = ratioParts(a, b, a2)
    if (!(y > 0)) return notComputable()
    const settled = Z95 * Math.sqrt(Math.max(0, linearVariance(b))) <= RATIO_DENOMINATOR_LIMIT * y
    return estimate(r, variance, enoughReports && y >= settings.minCount && settled, isRate ? rateBar : valueBar, bound, plain ? null : ends)
  }
  return { n, c, share, ratio, ratioParts, linearVariance, unsampled }
}

/** One page question: per candidate key, two hash-decoded counts (bit 0 and bit 1) with their empirical variance. */
function pageModel(sums: InsightSums, question: PageQuestionId, settings: Settings) {
  const mechanism = questionMechanism(question, sums, sums.epsilon) as { kind: 'olh' } & OlhParams
  const { n, support, both } = sums[question]
  const { beta } = mechanism
  const d = (1 - mechanism.kappa) * (mechanism.p - mechanism.q)
  const keys = sums.pageKeys.length
  const count = (k: number, bit: number) => olhCount(mechanism, support[2 * k + bit], n)
  const empty = olhCount(mechanism, support[2 * keys], n)
  // Largest contribution of one report to a weighted sum of a key's two counts: both hash values can match.
  const dx = (w: Vector) => settings.m * maxContribution(w, w.length, beta + d, beta, true)
  /**
   * Variance of w0·ĉ0 + w1·ĉ1 for key k (weights 0 or 1): the spread of the per-report terms (w·(match − β))/d,
   * never below the mechanism's variance at an Agresti–Coull count (`eventsVariance`).
   */
  const variance = (k: number, w0: number, w1: number) => {
    if (n < 2) return Number.NaN
    const s0 = support[2 * k]
    const s1 = support[2 * k + 1]
    const W = w0 + w1
    const second = (w0 * w0 * s0 + w1 * w1 * s1 + 2 * w0 * w1 * both[k] - 2 * beta * W * (w0 * s0 + w1 * s1) + n * beta * beta * W * W) / (d * d)
    const l = w0 * count(k, 0) + w1 * count(k, 1)
    return Math.max((n / (n - 1)) * (second - (l * l) / n), eventsVariance(n * clamp01((l + Z2 / 2) / (n + Z2)), W))
  }
  /**
   * The variance of a count estimate over `codes` codes when c of the n answers hold one of them: each such answer
   * matches its code with probability p and each other code with β, the rest of the answers each code with β,
   * and which answers hold one is binomial. Taken at an Agresti–Coull count (z²/2 answers added each way), it is a
   * floor under the spread: at a large ε, where OLH keeps the true hash only about half of the time and hardly any
   * other, a page with no or a few exits among its answers would otherwise get an interval far too narrow.
   */
  const eventsVariance = (c: number, codes: number) => {
    const other = beta * (1 - beta)
    return (c * (mechanism.p * (1 - mechanism.p) + (codes - 1) * other) + (n - c) * codes * other) / (d * d) + c * (1 - c / n)
  }
  const emptyVariance = n < 2 ? Number.NaN : (n / (n - 1)) * ((support[2 * keys] * (1 - 2 * beta) + n * beta * beta) / (d * d) - (empty * empty) / n)
  return { n, count, empty, dx, variance, emptyVariance, enoughReports: n >= settings.minReports }
}

const BUCKETS = ORDER_VALUE_BUCKETS.length + 1
const bucketValue = (b: number) => (b === 0 ? 0 : ORDER_VALUE_BUCKETS[b - 1].value)
/** An amount as the README writes the bands: 500, 12.5. */
const amount = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 1 })

/**
 * Why the order-value bands cannot measure this shop's order values, or null when they can: too large a share of
 * orders in the top band (open above its lower edge, every order counted at one value) or in the lowest, the whole
 * 95% interval of that share above its limit. Judged only once the average order value passes its own rules, so the
 * band shares behind it are settled. Judged on the point estimate alone, a shop whose orders fit the bands can be told
 * they do not: of 200 simulated shops of 50,000 sessions at ε = 2 (the simulation's shop: 0.9% of orders at 500 or
 * more), 47 had an average order value that passed its rules, and the estimate would have refused 1 of them; the
 * interval, none (`npm run simulate -- --scenario bands`, which also runs 200 of 20,000 sessions: 1 measured, neither
 * rule refused it).
 */
function bandProblem(bands: readonly OrderValueBand[], averageOrderValue: Estimate): string | null {
  if (!averageOrderValue.enough) return null
  const top = bands[bands.length - 1]
  const low = bands[0]
  const said = (share: number) => `${Math.round(share * 100)}%`
  if (top.share.low > ORDER_VALUE_TOP_BAND_LIMIT) {
    return `an estimated ${said(top.share.value)} of orders are in the top order-value band (${amount(top.from)} and above, counted as ${amount(top.value)} each), over the ${said(ORDER_VALUE_TOP_BAND_LIMIT)} it can stand: this shop's order values cannot be measured with these bands`
  }
  if (low.share.low > ORDER_VALUE_LOW_BAND_LIMIT) {
    return `an estimated ${said(low.share.value)} of orders are in the lowest order-value band (under ${amount(low.to)}, counted as ${amount(low.value)} each), over the ${said(ORDER_VALUE_LOW_BAND_LIMIT)} it can stand: this shop's order values cannot be measured with these bands`
  }
  return null
}
/** `e` not shown, for `reason`, where there is one. */
const unmeasurable = (e: Estimate, reason: string | null): Estimate => (reason === null ? e : { ...e, enough: false, reason })

/**
 * Turns sums into estimates: shares of segments and value segments, conversion by segment, order value,
 * lift of personalisation against the holdout, and page statistics per candidate page key, each with its
 * variance, 95% interval, "not enough reports yet" flag and the bound on what forged reports can move.
 *
 * @example
 * const insights = estimateInsights(sums)
 * for (const s of insights.segments) if (s.share.enough) console.log(s.leaf, s.share.value, s.share.low, s.share.high)
 */
export function estimateInsights(sums: InsightSums, options: EstimateInsightsOptions = {}): Insights {
  const settings: Settings = {
    minReports: options.minReports ?? DEFAULT_MIN_REPORTS,
    minCount: options.minCount ?? DEFAULT_MIN_COUNT,
    m: options.forgedReports ?? 1,
    total: sums.reports,
  }
  const S = sums.segmentLeaves + 1
  const leafOf = (i: number, leaves: number) => (i === leaves ? null : i)
  const unit = (k: number, i: number) => Array.from({ length: k }, (_, j) => (j === i ? 1 : 0))

  // Order question: no order, or 1 + value bucket.
  const order = finiteModel(sums, 'order', settings)
  const ordered = Array.from({ length: BUCKETS }, (_, b) => (b > 0 ? 1 : 0))
  const revenue = Array.from({ length: BUCKETS }, (_, b) => bucketValue(b))
  const revenue2 = revenue.map((v) => v * v)
  const bandAverage = order.ratio(revenue, ordered, revenue2, false)
  const orderValueBands: OrderValueBand[] = ORDER_VALUE_BUCKETS.map((band, i) => {
    const inBand = unit(BUCKETS, i + 1)
    return { from: band.from, to: band.to, value: band.value, share: order.ratio(inBand, ordered, inBand, true, true) }
  })
  const problem = bandProblem(orderValueBands, bandAverage)
  const averageOrderValue = unmeasurable(bandAverage, problem)
  const overall = {
    conversion: order.share(ordered),
    averageOrderValue,
    revenuePerSession: unmeasurable(order.ratio(revenue, new Array<number>(BUCKETS).fill(1), revenue2, false), problem),
    orderValueBands,
  }

  // Segment question for shares; outcome question (segment × ordered) for conversion.
  const segment = finiteModel(sums, 'segment', settings)
  const outcome = finiteModel(sums, 'outcome', settings)
  const segments = Array.from({ length: S }, (_, s) => {
    const inSegment = Array.from({ length: 2 * S }, (_, j) => (Math.floor(j / 2) === s ? 1 : 0))
    const orderedInSegment = Array.from({ length: 2 * S }, (_, j) => (j === 2 * s + 1 ? 1 : 0))
    const conversion = outcome.ratio(orderedInSegment, inSegment, orderedInSegment, true)
    return {
      leaf: leafOf(s, sums.segmentLeaves),
      share: segment.share(unit(S, s)),
      conversion,
      revenuePerSession: unmeasurable(product(conversion, bandAverage, conversion.enough && bandAverage.enough), problem),
    }
  })
  const value = finiteModel(sums, 'value', settings)
  const valueSegments = Array.from({ length: sums.valueLeaves + 1 }, (_, i) => ({
    leaf: leafOf(i, sums.valueLeaves),
    share: value.share(unit(sums.valueLeaves + 1, i)),
  }))

  // Arm question: arm × ordered.
  const arm = finiteModel(sums, 'arm', settings)
  const A = ARMS.length * 2
  const armCells = (armIndex: number, onlyOrdered: boolean) =>
    Array.from({ length: A }, (_, j) => (Math.floor(j / 2) === armIndex && (!onlyOrdered || j % 2 === 1) ? 1 : 0))
  const T = ARMS.indexOf('treatment')
  const H = ARMS.indexOf('holdout')
  // The arm's conversions, like every share and rate here, take the interval of a proportion (`proportionEnds`): the
  // holdout's is of a tenth of the arm answers (about 80 holdout sessions at 20,000 reports, a dozen orders among
  // them), where value ± 1.96 sd is skewed; the lift's ends combine its conversions' (`moverEnds`).
  const treatmentConversion = arm.ratio(armCells(T, true), armCells(T, false), armCells(T, true), true)
  const holdoutConversion = arm.ratio(armCells(H, true), armCells(H, false), armCells(H, true), true)
  let difference = notComputable()
  if (arm.n > 0) {
    const t = arm.ratioParts(armCells(T, true), armCells(T, false), armCells(T, true))
    const h = arm.ratioParts(armCells(H, true), armCells(H, false), armCells(H, true))
    if (t.y > 0 && h.y > 0) {
      const mechanismVariance = arm.linearVariance(t.g.map((gi, i) => gi - h.g[i]))
      const variance = mechanismVariance + t.sampling + h.sampling
      const ends = moverEnds(t, h, mechanismVariance - t.mechanismVariance - h.mechanismVariance)
      difference = estimate(t.r - h.r, variance, treatmentConversion.enough && holdoutConversion.enough, noBar, t.bound + h.bound, ends)
    }
  }

  const { pages, pageViewsPerSession } = estimatePages(sums, settings, bandAverage, problem)
  return {
    packId: sums.packId,
    epsilon: sums.epsilon,
    reports: sums.reports,
    reportsByQuestion: {
      segment: sums.segment.n, value: sums.value.n, outcome: sums.outcome.n, order: sums.order.n, arm: sums.arm.n,
      pageView: sums.pageView.n, pageExit: sums.pageExit.n, pageValue: sums.pageValue.n, learn: sums.learn.n,
    },
    segments,
    valueSegments,
    overall,
    lift: {
      treatmentShare: arm.share(armCells(T, false)),
      holdoutShare: arm.share(armCells(H, false)),
      treatmentConversion,
      holdoutConversion,
      difference,
      distinguishableFromZero: difference.low > 0 || difference.high < 0,
    },
    pageViewsPerSession,
    pages,
  }
}

/**
 * Page statistics. Views come from the pageView question (one of the session's last MAX_REPORT_PAGES keyed pages per
 * report, so views and page views per session are of those pages only); exits
 * and bounces from the pageExit question (the last page, one per session), so the rare events are not diluted
 * by the slot draw; sessions that viewed a page and whether an order followed, from the page-value question
 * (one page of the published list per report, asked about the whole session).
 */
function estimatePages(sums: InsightSums, settings: Settings, averageOrderValue: Estimate, bandProblem: string | null) {
  const M = MAX_REPORT_PAGES
  const view = pageModel(sums, 'pageView', settings)
  const exit = pageModel(sums, 'pageExit', settings)
  const m = settings.m
  const nv = view.n
  const ne = exit.n
  const totalViews = (M * (nv - view.empty)) / nv
  const pageViewsPerSession = nv > 1
    ? estimate(totalViews, (M * M * view.emptyVariance) / (nv * nv), view.enoughReports, valueBar, (M * (view.dx([1]) + m * Math.abs(view.empty / nv))) / (nv + m))
    : notComputable()

  const C = PAGE_VALUE_CLASSES.length
  const valueMechanism = questionMechanism('pageValue', sums, sums.epsilon) as FiniteMechanism
  const viewedCells = [0, 1, 1]
  const orderedCells = [0, 0, 1]
  const pages: PageInsight[] = sums.pageKeys.map((key, k) => {
    // Page-value answers about this page: a random part of all sessions, since the page was drawn
    // independently of them; k-RR over (not viewed, viewed, viewed then ordered).
    const counts = sums.pageValue.support.slice(k * C, k * C + C)
    const valueReports = counts.reduce((a, b) => a + b, 0)
    const asked = finiteModelOf(valueMechanism, valueReports, counts, settings)
    const sessionShare = asked.share(viewedCells)
    const orderRate = asked.ratio(orderedCells, viewedCells, orderedCells, true)
    const pageValue = unmeasurable(product(orderRate, averageOrderValue, orderRate.enough && averageOrderValue.enough), bandProblem)
    if (nv < 2 || ne < 2) {
      const none = notComputable()
      return { key, viewsPerSession: none, viewShare: none, exitsPerSession: none, bounceRate: none, exitRate: none, valueReports, sessionShare, orderRate, pageValue, ratesPublished: false, published: pageValue.enough }
    }
    const views = view.count(k, 0) + view.count(k, 1)
    const vps = (M * views) / nv
    const viewsPerSession = estimate(
      vps,
      (M * M * view.variance(k, 1, 1)) / (nv * nv),
      view.enoughReports,
      valueBar,
      (M * (view.dx([1, 1]) + m * Math.abs(views / nv))) / (nv + m),
    )
    const viewShare = estimate(
      vps / totalViews,
      viewsPerSession.variance / (totalViews * totalViews),
      view.enoughReports,
      valueBar,
      ratioBound(vps, totalViews, viewsPerSession.forgedBound, pageViewsPerSession.forgedBound),
    )
    // Enough views behind a rate: views in the pageView answers and sessions in the pageExit answers, and the views
    // estimated within RATIO_DENOMINATOR_LIMIT, as the sessions behind a ratio of one question's counts are: of a
    // page viewed rarely, a views estimate that came out far too high gives a rate near 0 with an interval narrow
    // enough to show, around the wrong rate.
    const viewsSettled = Z95 * Math.sqrt(viewsPerSession.variance) <= RATIO_DENOMINATOR_LIMIT * vps
    const enoughBehind = view.enoughReports && exit.enoughReports && views * M >= settings.minCount && viewsSettled
    const exits = exit.count(k, 0) + exit.count(k, 1)
    const eps = exits / ne
    const exitsPerSession = estimate(eps, exit.variance(k, 1, 1) / (ne * ne), exit.enoughReports, valueBar, (exit.dx([1, 1]) + m * Math.abs(eps)) / (ne + m))
    const bps = exit.count(k, 1) / ne
    const bouncesPerSession = estimate(bps, exit.variance(k, 0, 1) / (ne * ne), false, noBar, (exit.dx([0, 1]) + m * Math.abs(bps)) / (ne + m))
    const exitRate = quotient(exitsPerSession, viewsPerSession, enoughBehind)
    const bounceRate = quotient(bouncesPerSession, viewsPerSession, enoughBehind)
    const ratesPublished = viewsPerSession.enough && bounceRate.enough && exitRate.enough
    return {
      key,
      viewsPerSession,
      viewShare,
      exitsPerSession,
      bounceRate,
      exitRate,
      valueReports,
      sessionShare,
      orderRate,
      pageValue,
      ratesPublished,
      published: ratesPublished || pageValue.enough,
    }
  })
  return { pages, pageViewsPerSession }
}
