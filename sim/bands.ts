import { ORDER_VALUE_LOW_BAND_LIMIT, ORDER_VALUE_TOP_BAND_LIMIT } from '../src/reports/estimate/constants'
import type { Insights } from '../src/reports/estimate/types'
import { simulateInsights } from './insights'
import type { Population } from './population'
import type { Shop } from './shop'

/** How the order-value band rule judged one simulated shop's insights (see {@link judgeBands}). */
export interface BandJudgement {
  /** The average order value passed its own rules (so the band rule was applied). */
  measured: boolean
  /** The band shares' point estimates alone are over a limit: what a rule on the estimate would refuse. */
  refusedOnEstimate: boolean
  /** The collector refused the shop's order values: the whole 95% interval of a band's share over its limit. */
  refusedOnInterval: boolean
}

/**
 * How the collector's order-value band rule (`bandProblem` in estimateInsights) judged `insights`, and how a rule on
 * the band shares' point estimates would have: judged only where the average order value passed its own rules, as
 * the collector judges it.
 *
 * @example
 * judgeBands(simulateInsights(population, shop, { devices: 20_000, epsilon: 2, seed: 1 }).insights)
 * // { measured: true, refusedOnEstimate: false, refusedOnInterval: false }
 */
export function judgeBands(insights: Insights): BandJudgement {
  const { averageOrderValue, orderValueBands: bands } = insights.overall
  // The band rule's reason replaces the average's own verdict: an average refused by it passed its own rules.
  const refusedOnInterval = !averageOrderValue.enough && /^an estimated \d+% of orders are in the (top|lowest) order-value band/.test(averageOrderValue.reason ?? '')
  const measured = averageOrderValue.enough || refusedOnInterval
  const top = bands[bands.length - 1]!
  const low = bands[0]!
  const refusedOnEstimate = measured && (top.share.value > ORDER_VALUE_TOP_BAND_LIMIT || low.share.value > ORDER_VALUE_LOW_BAND_LIMIT)
  return { measured, refusedOnEstimate, refusedOnInterval }
}

/** What {@link measureBandRule} counted over its runs of one size. */
export interface BandRuleCounts {
  devices: number
  epsilon: number
  runs: number
  /** Runs whose average order value passed its own rules. */
  measured: number
  /** Of those, runs a rule on the band shares' point estimates would have refused. */
  refusedOnEstimate: number
  /** Of those, runs the collector's rule (on the interval) refused. */
  refusedOnInterval: number
  /** The simulated shoppers' true shares of orders in the top band (500 and above) and the lowest (under 25), over all runs. */
  topBandShare: number
  lowBandShare: number
}

/**
 * Runs the insights simulation `runs` times with `devices` browsers at `epsilon` (the SDK's `encodeReport`, the
 * collector's `estimateInsights`), and counts how often the order-value band rule refused the simulated shop, whose
 * orders fit the bands: on the interval, as the collector judges it, and on the point estimates alone.
 *
 * @example
 * measureBandRule(population, shop, { devices: 20_000, epsilon: 2, runs: 40, seed: 1 })
 */
export function measureBandRule(population: Population, shop: Shop, options: { devices: number; epsilon: number; runs: number; seed: number }): BandRuleCounts {
  const { devices, epsilon, runs, seed } = options
  const counts: BandRuleCounts = { devices, epsilon, runs, measured: 0, refusedOnEstimate: 0, refusedOnInterval: 0, topBandShare: 0, lowBandShare: 0 }
  let orders = 0
  let topOrders = 0
  let lowOrders = 0
  for (let r = 0; r < runs; r++) {
    const run = simulateInsights(population, shop, { devices, epsilon, seed: seed * 1_000_003 + r * 7919 + devices + Math.round(epsilon * 100) })
    const judged = judgeBands(run.insights)
    if (judged.measured) counts.measured++
    if (judged.refusedOnEstimate) counts.refusedOnEstimate++
    if (judged.refusedOnInterval) counts.refusedOnInterval++
    orders += run.truth.orders
    topOrders += run.truth.topBandOrders
    lowOrders += run.truth.lowBandOrders
  }
  counts.topBandShare = orders > 0 ? topOrders / orders : 0
  counts.lowBandShare = orders > 0 ? lowOrders / orders : 0
  return counts
}
