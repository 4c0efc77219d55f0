import type { LearnView } from './schema'

/** A feature bucket's main effect as one view's table estimates it, with the variance of that estimate. */
export interface ViewMainEffect {
  view: LearnView
  /** Log-odds of the bucket against its score bucket, pooled over the score buckets (unshrunk). */
  estimate: number
  /** Its variance: mechanism noise plus sampling. Infinity when the table says nothing about the bucket. */
  variance: number
}

/**
 * The main effects of one feature bucket in every view that has answers, shrunk together: each view's
 * effect is the feature's effect on the shop's sessions, common to the views (prior standard deviation
 * `tauMain`), plus the view's own departure from it (prior standard deviation `tau`), and each is the
 * posterior mean given every view's estimate. A view whose table is noisy, or whose bucket was left out as
 * empty, takes the effect the other view's answers show; with plenty of answers each view keeps its own
 * estimate. Returns the effects in the order of `views`.
 *
 * @example
 * sharedMainEffects([{ view: 'withStats', estimate: 1.2, variance: 1 }, { view: 'withoutStats', estimate: 0.9, variance: 0.05 }], 0.25, 0.8)
 * // ≈ [0.82, 0.86]: the noisy view takes what the precise one shows
 */
export function sharedMainEffects(views: readonly ViewMainEffect[], tau: number, tauMain: number): number[] {
  const departure = tau * tau
  // The common effect: each view's estimate is it plus the view's departure plus noise.
  let num = 0
  let precision = 1 / (tauMain * tauMain)
  for (const v of views) {
    if (!Number.isFinite(v.variance)) continue
    num += v.estimate / (v.variance + departure)
    precision += 1 / (v.variance + departure)
  }
  const common = num / precision
  // Given the common effect, a view's effect moves towards its own estimate as far as its variance allows.
  return views.map((v) => (Number.isFinite(v.variance) ? common + (v.estimate - common) * (departure / (departure + v.variance)) : common))
}
