import { DEFAULT_MIN_CONTRIBUTION, DEFAULT_TOP_FEATURES } from './constants'
import type { Contribution, ContributionInput, PredictionForExplain } from './types'

/**
 * Which features moved a decision most, by occlusion: each feature in turn is set to the
 * baseline (0 = the training mean after normalisation) and the change in the target probability
 * is measured. Costs one prediction per non-zero feature, on the device; no gradients needed.
 *
 * @example
 * const top = computeContributions({
 *   names: spec.names, normalised: input, raw,
 *   predict: (v) => { const out = predict(loaded, v); return { segmentProbs: out.segment, intent: out.intent[0] } },
 *   target: sessionLabels.indexOf(segment.id),
 * })
 * const reasons = explainFeatures(top)
 */
export function computeContributions(input: ContributionInput): Contribution[] {
  const { names, normalised, raw, predict, target } = input
  const top = input.top ?? DEFAULT_TOP_FEATURES
  const minDelta = input.minDelta ?? DEFAULT_MIN_CONTRIBUTION
  const baseline = input.baseline ?? 0
  const pick = (out: PredictionForExplain) => (target === 'intent' ? out.intent : out.segmentProbs[target])

  const vector = Float32Array.from(normalised as ArrayLike<number>)
  const reference = pick(predict(vector))
  const found: Contribution[] = []
  for (let i = 0; i < names.length && i < vector.length; i++) {
    const original = vector[i]
    // Occluding a feature that already sits at the baseline changes nothing: skip the prediction.
    if (original === baseline) continue
    vector[i] = baseline
    const delta = reference - pick(predict(vector))
    vector[i] = original
    if (Number.isFinite(delta) && Math.abs(delta) >= minDelta) found.push({ name: names[i], raw: raw[i], delta })
  }
  // Array.prototype.sort is stable, so ties keep the feature order.
  return found.sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta)).slice(0, Math.max(0, top))
}
