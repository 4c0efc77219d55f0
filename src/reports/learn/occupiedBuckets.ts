import type { LearnTableEstimate } from './learnSums'
import { SCORE_BUCKETS } from './schema'

/** Standard deviations of noise above none that a feature bucket's estimated sessions must exceed to count. */
export const DEFAULT_EMPTY_BUCKET_SD = 3

/**
 * Which feature buckets of an estimated training table hold sessions: those whose estimated sessions (over
 * all their score buckets and both outcomes) are more than `sd` standard deviations of the mechanism's noise
 * above none. A bucket that holds (almost) no session — a month outside the window of answers, items in the
 * cart in a shop that sends no cart events — only adds noise to what it enters.
 *
 * @example
 * occupiedBuckets(estimateLearnTables(sums, olhParams(2))[1], 3) // month table: [false, …, true, true]
 */
export function occupiedBuckets(t: LearnTableEstimate, sd: number): boolean[] {
  const B = t.table.feature.buckets
  const spread = Math.sqrt(2 * SCORE_BUCKETS * t.variance)
  return Array.from({ length: B }, (_, b) => {
    let total = 0
    for (let s = 0; s < SCORE_BUCKETS; s++) total += t.counts[(s * B + b) * 2] + t.counts[(s * B + b) * 2 + 1]
    return total > sd * spread
  })
}
