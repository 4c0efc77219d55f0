import { DEFAULT_MIN_CONTRIBUTION, DEFAULT_TOP_FEATURES } from './constants'
import type { Contribution, ContributionInput, PredictionForExplain } from './types'

/**
 * Which features moved a decision most, by occlusion: each feature in turn is set to the
 * baseline (0 = the training mean after normalisation) and the change in the target probability
 * is measured; the features of a group (`groups`) are set to it together, and give one contribution. Costs
 * one prediction per non-zero feature or group, on the device; no gradients needed.
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
  const logOdds = input.scale === 'log-odds'
  const segment = (out: PredictionForExplain, k: number) => {
    if (!('segmentLogits' in out)) return logOdds ? toLogOdds(out.segmentProbs[k]) : out.segmentProbs[k]
    const z = classLogOdds(out.segmentLogits, k)
    return logOdds ? z : 1 / (1 + Math.exp(-z))
  }
  const pick = (out: PredictionForExplain) => (target !== 'intent' ? segment(out, target) : logOdds ? toLogOdds(out.intent) : out.intent)

  const vector = Float32Array.from(normalised as ArrayLike<number>)
  const n = Math.min(names.length, vector.length)
  // What is occluded together: a group in place of its first member the pack reads, every other feature alone.
  type Unit = { name: string; raw: number; says?: string; features: number[] }
  const units: Unit[] = []
  const grouped = new Map<number, Unit>()
  for (const group of input.groups ?? []) {
    const features: number[] = []
    for (let i = 0; i < n; i++) if (group.members.includes(names[i]) && !grouped.has(i)) features.push(i)
    const unit = { name: group.name, raw: group.raw, says: group.says, features }
    for (const i of features) grouped.set(i, unit)
  }
  for (let i = 0; i < n; i++) {
    const unit = grouped.get(i)
    if (!unit) units.push({ name: names[i], raw: raw[i], features: [i] })
    else if (unit.features[0] === i) units.push(unit)
  }
  // Occluding features that already sit at the baseline changes nothing: no row for them.
  const occluded = units.filter((unit) => unit.features.some((i) => vector[i] !== baseline))
  const found: Contribution[] = []
  const keep = (unit: Unit, delta: number) => {
    if (Number.isFinite(delta) && Math.abs(delta) >= minDelta) found.push({ name: unit.name, raw: unit.raw, delta, ...(unit.says ? { says: unit.says } : {}) })
  }
  if (input.predictMany) {
    // One batched inference: row 0 is the vector itself, then one row per occluded feature or group.
    const rows = new Float32Array((occluded.length + 1) * vector.length)
    rows.set(vector)
    occluded.forEach((unit, r) => {
      rows.set(vector, (r + 1) * vector.length)
      for (const i of unit.features) rows[(r + 1) * vector.length + i] = baseline
    })
    const outputs = input.predictMany(rows, occluded.length + 1)
    const reference = pick(outputs[0])
    occluded.forEach((unit, r) => keep(unit, reference - pick(outputs[r + 1])))
  } else {
    const reference = pick(predict!(vector))
    for (const unit of occluded) {
      const original = unit.features.map((i) => vector[i])
      for (const i of unit.features) vector[i] = baseline
      const delta = reference - pick(predict!(vector))
      unit.features.forEach((i, k) => (vector[i] = original[k]))
      keep(unit, delta)
    }
  }
  // Array.prototype.sort is stable, so ties keep the feature order.
  return found.sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta)).slice(0, Math.max(0, top))
}

/** ln(p / (1 - p)), with p kept inside [1e-7, 1 - 1e-7] (float32 probabilities saturate). */
function toLogOdds(p: number): number {
  const q = Math.min(1 - 1e-7, Math.max(1e-7, p))
  return Math.log(q / (1 - q))
}

/**
 * ln(p_k / (1 - p_k)) of softmax(logits) without forming p_k: z_k − ln Σ_{j≠k} e^{z_j}, in float64, so it
 * stays exact where the float32 softmax gives exactly 1.
 */
function classLogOdds(logits: ArrayLike<number>, k: number): number {
  let max = -Infinity
  for (let j = 0; j < logits.length; j++) if (j !== k) max = Math.max(max, logits[j])
  let sum = 0
  for (let j = 0; j < logits.length; j++) if (j !== k) sum += Math.exp(logits[j] - max)
  return logits[k] - max - Math.log(sum)
}
