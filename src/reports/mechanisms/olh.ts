import type { Coins } from './coins'

/**
 * Optimized local hashing over an open domain (page keys): the device draws a public hash
 * h(x) = ((a·x + b) mod P) mod g from a pairwise-independent family, and reports (a, b) with its hash
 * value perturbed by g-ary randomized response (p / q = e^ε). Any two different values collide with the
 * same probability κ, computed exactly, so the estimator is exactly unbiased even for values the
 * collector does not know.
 */
export interface OlhParams {
  epsilon: number
  /** Hash range (a prime, chosen for the smallest variance at ε). */
  g: number
  /** The prime of the hash family; values x are integers in [0, prime). */
  prime: number
  /** Probability of reporting the true hash value. */
  p: number
  /** Probability of reporting one given other hash value. */
  q: number
  /** Exact probability that two different values get the same hash value. */
  kappa: number
  /** Exact probability that a report supports a value other than the true one. */
  beta: number
}

/** The prime of the hash family used by reports: 2^31 − 1. */
export const OLH_PRIME = 2147483647

function isPrime(n: number): boolean {
  if (n < 2) return false
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false
  return true
}

/** Exact parameters of OLH with hash range g over the family modulo `prime`. */
export function olhParamsFor(epsilon: number, g: number, prime = OLH_PRIME): OlhParams {
  const e = Math.exp(epsilon)
  const p = e / (e + g - 1)
  const q = 1 / (e + g - 1)
  // (h(x), h(v)) is uniform over ordered pairs of distinct residues mod prime; count pairs equal mod g.
  let same = 0
  for (let c = 0; c < g; c++) {
    const n = Math.floor((prime - 1 - c) / g) + 1
    same += n * (n - 1)
  }
  const kappa = same / (prime * (prime - 1))
  return { epsilon, g, prime, p, q, kappa, beta: kappa * p + (1 - kappa) * q }
}

/** Variance of one report's count estimate of a rare value, for OLH parameters. */
export function olhVariance(params: OlhParams): number {
  const { p, q, kappa, beta } = params
  const d = (1 - kappa) * (p - q)
  return (beta * (1 - beta)) / (d * d)
}

/**
 * OLH at ε with the prime hash range g of smallest variance (g ≈ e^ε + 1).
 *
 * @example
 * olhParams(2).g // 7
 */
export function olhParams(epsilon: number, prime = OLH_PRIME): OlhParams {
  let best: OlhParams | undefined
  const top = Math.max(3, Math.ceil(3 * (Math.exp(epsilon) + 1)))
  for (let g = 2; g <= top; g++) {
    if (!isPrime(g) || g >= prime) continue
    const params = olhParamsFor(epsilon, g, prime)
    if (!best || olhVariance(params) < olhVariance(best)) best = params
  }
  return best as OlhParams
}

/** (a·x + b) mod prime, exactly, for a, x, b < prime ≤ 2^31 (no product exceeds 2^53). */
export function mulAddMod(a: number, x: number, b: number, prime: number): number {
  // a < 2^31, so its halves come from bit operations; every product stays below 2^53.
  const hi = a >>> 16
  const lo = a & 0xffff
  return (((hi * x) % prime) * 65536 + lo * x + b) % prime
}

/** The public hash of value x under (a, b). */
export function olhHash(params: OlhParams, a: number, b: number, x: number): number {
  return mulAddMod(a, x, b, params.prime) % params.g
}

/** Probability that the hash value `y` is reported given the true hash value `h`. */
export function olhProbability(params: OlhParams, h: number, y: number): number {
  return h === y ? params.p : params.q
}

/** Perturbs value x (0 ≤ x < prime); writes a, b, y into out[0..2]. */
export function olhEncode(params: OlhParams, x: number, coins: Coins, out: Uint32Array | number[]): void {
  const a = 1 + coins.below(params.prime - 1)
  const b = coins.below(params.prime)
  const h = olhHash(params, a, b, x)
  let y = h
  if (coins.uniform() >= params.p) {
    const other = coins.below(params.g - 1)
    y = other >= h ? other + 1 : other
  }
  out[0] = a
  out[1] = b
  out[2] = y
}
