import type { FeatureSpec, FeatureTransform } from '../src/pack/types'
import { applyFeatureSpec } from '../src/features/applyFeatureSpec'

/** Fits the featureSpec normalisation (mean and std after the transform) on training vectors only. */
export function fitFeatureSpec(version: string, names: readonly string[], transforms: readonly FeatureTransform[], raws: readonly number[][]): FeatureSpec {
  const d = names.length
  const mean = new Array(d).fill(0)
  const sq = new Array(d).fill(0)
  for (const raw of raws) {
    for (let j = 0; j < d; j++) {
      const v = transforms[j] === 'log1p' ? Math.log1p(Math.max(0, raw[j])) : raw[j]
      mean[j] += v
      sq[j] += v * v
    }
  }
  const n = Math.max(1, raws.length)
  const round = (v: number) => Number(v.toPrecision(7))
  return {
    version,
    names: [...names],
    transforms: [...transforms],
    mean: mean.map((m) => round(m / n)),
    std: mean.map((m, j) => {
      const s = Math.sqrt(Math.max(0, sq[j] / n - (m / n) ** 2))
      // A constant feature keeps std 1 so it maps to 0 instead of dividing by zero.
      return s > 1e-9 ? round(s) : 1
    }),
  }
}

/** Applies the spec to many raw vectors; returns a row-major matrix. */
export function toMatrix(raws: readonly number[][], spec: FeatureSpec): Float32Array {
  const d = spec.names.length
  const x = new Float32Array(raws.length * d)
  raws.forEach((raw, i) => x.set(applyFeatureSpec(raw, spec), i * d))
  return x
}

/** Selects columns of a row-major matrix into a Float64Array (for k-means). */
export function columns(x: Float32Array, d: number, cols: readonly number[]): Float64Array {
  const n = x.length / d
  const out = new Float64Array(n * cols.length)
  for (let i = 0; i < n; i++) for (let c = 0; c < cols.length; c++) out[i * cols.length + c] = x[i * d + cols[c]]
  return out
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0
  const s = [...values].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
