import type { IntentCorrection } from '../../src/reports/learn/correction'
import { fitIntentCorrection } from '../../src/reports/learn/fitIntentCorrection'
import { estimateLearnTables, type LearnSums, type LearnTableEstimate } from '../../src/reports/learn/learnSums'
import type { OlhParams } from '../../src/reports/mechanisms/olh'
import { createRng } from '../../training/rng'
import { tableAuc } from './tableAuc'

/** Smallest margin by which the candidate's held-out AUC may be lower and still count as "not worse". */
export const RETRAIN_TOLERANCE = 0.002

/** How many times the check redraws the check days' noise to measure how far its own estimate can move. */
export const CHECK_NOISE_DRAWS = 16

/** What the held-out check of a retrain found. */
export interface HeldOutCheck {
  /** Held-out AUC (estimated from the check days' tables) of the correction in use. */
  current: number
  /** Held-out AUC of the candidate fitted on the fit days. */
  candidate: number
  /**
   * How much lower the candidate may score and still count as not worse: twice the standard deviation of
   * the estimated difference under the mechanism's noise, and at least `RETRAIN_TOLERANCE`.
   */
  tolerance: number
  /** Whether the candidate is not worse than the correction in use (within `tolerance`). */
  accepted: boolean
}

/**
 * The check by which a retrain publishes only a correction that is not worse: a candidate fitted on the
 * answers of the fit days (`fitSums`) against the correction in use, both scored on the tables of the check
 * days (`checkSums`), which the candidate never saw. The held-out AUCs are estimates from noisy tables: with
 * few answers they move by more than what separates a good candidate from a bad one. So the check redraws
 * the tables' noise (Gaussian at each cell's known variance, seeded: a rerun decides the same) and refuses
 * the candidate only when it is lower by more than twice the spread this gives (and by more than
 * `RETRAIN_TOLERANCE`): a candidate refused is then worse, not unlucky.
 *
 * @example
 * const check = heldOutCheck(evenDays, oddDays, pack.intentCorrection ?? identityCorrection(), olhParams(2))
 * if (!check.accepted) keepPackInUse()
 */
export function heldOutCheck(fitSums: LearnSums, checkSums: LearnSums, current: IntentCorrection, params: OlhParams): HeldOutCheck {
  const checkTables = estimateLearnTables(checkSums, params)
  const fitted = fitIntentCorrection(estimateLearnTables(fitSums, params))
  const before = tableAuc(checkTables, current)
  const candidate = tableAuc(checkTables, fitted)
  const spread = differenceSpread(checkTables, fitted, current)
  const tolerance = Math.max(RETRAIN_TOLERANCE, 2 * spread)
  return { current: before, candidate, tolerance, accepted: candidate >= before - tolerance }
}

/** Standard deviation of (candidate − current) held-out AUC over redraws of the check tables' noise. */
function differenceSpread(tables: readonly LearnTableEstimate[], candidate: IntentCorrection, current: IntentCorrection): number {
  const rng = createRng(0x5e61e7)
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng())
  const differences: number[] = []
  for (let d = 0; d < CHECK_NOISE_DRAWS; d++) {
    const redrawn = tables.map((t) => ({ ...t, counts: t.counts.map((c) => c + gaussian() * Math.sqrt(t.variance)) }))
    const difference = tableAuc(redrawn, candidate) - tableAuc(redrawn, current)
    if (Number.isFinite(difference)) differences.push(difference)
  }
  if (differences.length < 2) return 0
  const mean = differences.reduce((a, b) => a + b, 0) / differences.length
  return Math.sqrt(differences.reduce((a, b) => a + (b - mean) ** 2, 0) / (differences.length - 1))
}
