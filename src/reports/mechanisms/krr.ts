import type { Coins } from './coins'

/**
 * k-ary randomized response: report the true value with probability p, any other given value with
 * probability q, where p / q = e^ε. Best for small domains (k < 3e^ε + 2).
 */
export interface KrrParams {
  k: number
  epsilon: number
  /** Probability of reporting the true value. */
  p: number
  /** Probability of reporting one given other value. */
  q: number
}

/** Parameters of k-RR over k values at ε. */
export function krrParams(k: number, epsilon: number): KrrParams {
  const e = Math.exp(epsilon)
  return { k, epsilon, p: e / (e + k - 1), q: 1 / (e + k - 1) }
}

/** Probability that k-RR reports `y` for the true value `x` (the exact output distribution). */
export function krrProbability(params: KrrParams, x: number, y: number): number {
  return x === y ? params.p : params.q
}

/** Perturbs `x` (0 ≤ x < k). */
export function krrEncode(params: KrrParams, x: number, coins: Coins): number {
  if (params.k === 1) return 0
  if (coins.uniform() < params.p) return x
  // Any value but x, uniformly.
  const other = coins.below(params.k - 1)
  return other >= x ? other + 1 : other
}

/** Variance of one report's count estimate of a value of frequency f (for choosing mechanisms). */
export function krrVariance(params: KrrParams, f = 0): number {
  const { p, q } = params
  const s = f * p + (1 - f) * q
  return (s * (1 - s)) / ((p - q) * (p - q))
}
