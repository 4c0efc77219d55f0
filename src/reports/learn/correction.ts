import type { LearnSession } from './types'
import { LEARN_FEATURES, LEARN_VIEWS, SCORE_BUCKETS, scoreBucket, type LearnView } from './schema'

/**
 * The part of a pack that private training fits: per view (with or without page statistics), a calibration
 * of the pack's intent logit and, per training feature, an additive term by (score bucket, feature bucket).
 * The browser adds it to the network's logit; with no correction the pack scores as trained.
 */
export interface IntentCorrection {
  /** The tables it was fitted from: answers per view (for provenance and the panel). */
  answers: Record<LearnView, number>
  views: Record<LearnView, IntentCorrectionView>
}

/** The correction of one view. */
export interface IntentCorrectionView {
  /** Calibrated logit = scale × logit + shift, before the feature terms. */
  scale: number
  shift: number
  /** Per LEARN_FEATURES entry (same order), `SCORE_BUCKETS × buckets` terms, row-major by score bucket. */
  terms: number[][]
}

/** A correction that changes nothing (the pack as trained). */
export function identityCorrection(): IntentCorrection {
  const view = (): IntentCorrectionView => ({ scale: 1, shift: 0, terms: LEARN_FEATURES.map((f) => new Array<number>(SCORE_BUCKETS * f.buckets).fill(0)) })
  return { answers: { withStats: 0, withoutStats: 0 }, views: { withStats: view(), withoutStats: view() } }
}

/**
 * The corrected intent logit of a session: `logit` is the pack network's logit in `view` (with page
 * statistics when the session has them), `session` the session's aggregate (the fields the tables read).
 *
 * @example
 * const p = 1 / (1 + Math.exp(-correctIntentLogit(pack.intentCorrection, logit, 'withStats', aggregate)))
 */
export function correctIntentLogit(correction: IntentCorrection, logit: number, view: LearnView, session: LearnSession): number {
  const v = correction.views[view]
  const s = scoreBucket(logit, view)
  let out = v.scale * logit + v.shift
  LEARN_FEATURES.forEach((feature, f) => {
    out += v.terms[f][s * feature.buckets + feature.bucket(session)] ?? 0
  })
  return out
}

/** True when `value` has the shape of an IntentCorrection for the current training features. */
export function isIntentCorrection(value: unknown): value is IntentCorrection {
  const c = value as IntentCorrection
  if (!c || typeof c !== 'object' || !c.views || !c.answers) return false
  return LEARN_VIEWS.every((view) => {
    const v = c.views[view]
    return (
      !!v && Number.isFinite(v.scale) && Number.isFinite(v.shift) && Array.isArray(v.terms) && v.terms.length === LEARN_FEATURES.length &&
      LEARN_FEATURES.every((f, i) => Array.isArray(v.terms[i]) && v.terms[i].length === SCORE_BUCKETS * f.buckets && v.terms[i].every(Number.isFinite))
    )
  })
}
