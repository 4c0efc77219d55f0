import type { FeatureSpec } from '../pack/types'

/**
 * Turns a raw vector (in the order of `spec.names`, see `selectFeatures()`) into the network input: `(transform(x) − mean) / std` per feature, with
 * `log1p` applied to `max(0, x)` so a stray negative never yields NaN.
 *
 * @example
 * const input = applyFeatureSpec(selectFeatures(sessionVector(agg), SESSION_FEATURE_NAMES, pack.featureSpec.names), pack.featureSpec)
 */
export function applyFeatureSpec(raw: readonly number[], spec: FeatureSpec): Float32Array {
  const n = spec.names.length
  const out = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    let x = raw[i]
    if (!Number.isFinite(x)) x = 0
    if (spec.transforms[i] === 'log1p') x = Math.log1p(Math.max(0, x))
    const std = spec.std[i]
    out[i] = (x - spec.mean[i]) / (std > 0 ? std : 1)
  }
  return out
}
