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
  const probability = (out: PredictionForExplain) => (target === 'intent' ? out.intent : out.segmentProbs[target])
  const pick = input.scale === 'log-odds' ? (out: PredictionForExplain) => logOdds(probability(out)) : probability

  const vector = Float32Array.from(normalised as ArrayLike<number>)
  const n = Math.min(names.length, vector.length)
  const found: Contribution[] = []
  const keep = (i: number, delta: number) => {
    if (Number.isFinite(delta) && Math.abs(delta) >= minDelta) found.push({ name: names[i], raw: raw[i], delta })
  }
  if (input.predictMany) {
    // One batched inference: row 0 is the vector itself, then one row per occluded feature.
    const occluded: number[] = []
    // Occluding a feature that already sits at the baseline changes nothing: no row for it.
    for (let i = 0; i < n; i++) if (vector[i] !== baseline) occluded.push(i)
    const rows = new Float32Array((occluded.length + 1) * vector.length)
    rows.set(vector)
    occluded.forEach((feature, r) => {
      rows.set(vector, (r + 1) * vector.length)
      rows[(r + 1) * vector.length + feature] = baseline
    })
    const outputs = input.predictMany(rows, occluded.length + 1)
    const reference = pick(outputs[0])
    occluded.forEach((feature, r) => keep(feature, reference - pick(outputs[r + 1])))
  } else {
    const reference = pick(predict!(vector))
    for (let i = 0; i < n; i++) {
      const original = vector[i]
      if (original === baseline) continue
      vector[i] = baseline
      const delta = reference - pick(predict!(vector))
      vector[i] = original
      keep(i, delta)
    }
  }
  // Array.prototype.sort is stable, so ties keep the feature order.
  return found.sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta)).slice(0, Math.max(0, top))
}

/** ln(p / (1 - p)), with p kept inside [1e-7, 1 - 1e-7] (float32 probabilities saturate). */
function logOdds(p: number): number {
  const q = Math.min(1 - 1e-7, Math.max(1e-7, p))
  return Math.log(q / (1 - q))
}
