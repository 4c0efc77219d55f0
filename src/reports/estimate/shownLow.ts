import { logNormalTail } from '../lib/logNormalTail'
import { Z95 } from './constants'

const STEPS = 60
const LOG_TAIL = Math.log(0.025)

/**
 * The lower end of the 95% interval of a normal estimate of standard deviation `sd` that is shown only because it
 * came out at least `bar`: the least truth μ ≥ 0 at which an estimate as high as `value` is not in the top 2.5% of
 * the estimates that clear the bar, P(estimate ≥ value | estimate ≥ bar; μ) ≥ 2.5%. A rule that reads the estimate
 * lets through the estimates that came out high; from a truth well below the bar those are all that is shown, and
 * their plain lower ends (value − 1.96 sd) lie above it. With this end, and the plain upper end, the interval holds
 * the truth at least 95% of the time among the figures shown, whatever the truth. Far above the bar it is the plain
 * one (and never above it); just above it, it reaches down to 0. The truth is never negative here (a share, count,
 * amount or rate).
 *
 * @example
 * shownLow(0.5, 0.1, 0.392) // ≈ 0.13, where the plain interval would say 0.304
 */
export function shownLow(value: number, sd: number, bar: number): number {
  // log P(estimate ≥ value | estimate ≥ bar; μ), increasing in μ.
  const logShare = (mu: number) => logNormalTail((value - mu) / sd) - logNormalTail((bar - mu) / sd)
  if (logShare(0) >= LOG_TAIL) return 0
  // Exactly, the answer is at most the plain lower end (the share past `value` among the estimates over the bar is at
  // least its share of all of them, 2.5% there): searched below it, so that the tail's fit (within 1.2e-7) cannot
  // put it above, and so narrow the interval of a figure far past the bar.
  let lo = 0
  let hi = Math.max(0, value - Z95 * sd)
  for (let i = 0; i < STEPS; i++) {
    const mid = (lo + hi) / 2
    if (logShare(mid) < LOG_TAIL) lo = mid
    else hi = mid
  }
  return hi
}
