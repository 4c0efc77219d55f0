import type { Coins } from './coins'

/**
 * Optimized unary encoding: one bit per value; the true value's bit is 1 with probability p = 1/2,
 * every other bit with probability q = 1 / (e^ε + 1). Best for mid-sized domains (k ≥ 3e^ε + 2).
 */
export interface OueParams {
  k: number
  epsilon: number
  p: number
  q: number
}

/** Parameters of OUE over k values at ε. */
export function oueParams(k: number, epsilon: number): OueParams {
  return { k, epsilon, p: 0.5, q: 1 / (Math.exp(epsilon) + 1) }
}

/** Probability that OUE outputs the bit vector `bits` for the true value `x` (bits are independent). */
export function oueProbability(params: OueParams, x: number, bits: ArrayLike<number>): number {
  let prob = 1
  for (let j = 0; j < params.k; j++) {
    const one = j === x ? params.p : params.q
    prob *= bits[j] ? one : 1 - one
  }
  return prob
}

/** Perturbs `x` (0 ≤ x < k) into `out` (length ≥ k), one 0/1 per value. */
export function oueEncode(params: OueParams, x: number, coins: Coins, out: Uint8Array): Uint8Array {
  for (let j = 0; j < params.k; j++) out[j] = coins.uniform() < (j === x ? params.p : params.q) ? 1 : 0
  return out
}

/** Variance of one report's count estimate of a value of frequency f. */
export function oueVariance(params: OueParams, f = 0): number {
  const { p, q } = params
  return (f * p * (1 - p) + (1 - f) * q * (1 - q)) / ((p - q) * (p - q))
}
