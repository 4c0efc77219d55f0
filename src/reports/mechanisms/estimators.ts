import type { KrrParams } from './krr'
import type { OueParams } from './oue'
import type { OlhParams } from './olh'

/**
 * Unbiased count estimate of one value from k-RR or OUE: `observed` reports chose it (k-RR) or set
 * its bit (OUE) among `n` reports.
 */
export function finiteCount(params: KrrParams | OueParams, observed: number, n: number): number {
  return (observed - n * params.q) / (params.p - params.q)
}

/**
 * Variance of the linear estimate Σ_j w_j ĉ_j from k-RR, exact given the true counts, with the
 * estimated counts put in for the true ones (the formula is linear in them, so it stays unbiased).
 */
export function krrLinearVariance(params: KrrParams, w: ArrayLike<number>, counts: ArrayLike<number>): number {
  const { p, q } = params
  let g1 = 0
  let g2 = 0
  for (let j = 0; j < params.k; j++) {
    g1 += w[j]
    g2 += w[j] * w[j]
  }
  let v = 0
  for (let x = 0; x < params.k; x++) {
    // Given the true value x, the output is categorical with probability p at x and q elsewhere.
    const mean = q * g1 + (p - q) * w[x]
    v += counts[x] * (q * g2 + (p - q) * w[x] * w[x] - mean * mean)
  }
  return v / ((p - q) * (p - q))
}

/** Variance of Σ_j w_j ĉ_j from OUE (bits are independent given the truth), estimated counts put in. */
export function oueLinearVariance(params: OueParams, w: ArrayLike<number>, counts: ArrayLike<number>, n: number): number {
  const { p, q } = params
  const qq = q * (1 - q)
  let g2 = 0
  let gx = 0
  for (let j = 0; j < params.k; j++) {
    g2 += w[j] * w[j]
    gx += counts[j] * w[j] * w[j]
  }
  return (n * qq * g2 + (p * (1 - p) - qq) * gx) / ((p - q) * (p - q))
}

/** Unbiased count estimate of one value from OLH: `support` reports' hash values matched it among `n`. */
export function olhCount(params: OlhParams, support: number, n: number): number {
  return (support - n * params.beta) / ((1 - params.kappa) * (params.p - params.q))
}

/**
 * Largest |Σ_j w_j (o_j − q)| / (p − q) one report can contribute, for outputs o_j ∈ {0, 1}: any pattern
 * (OUE bits, OLH matches) when `anyPattern`, else exactly one o_j = 1 (k-RR).
 */
export function maxContribution(w: ArrayLike<number>, k: number, p: number, q: number, anyPattern: boolean): number {
  let best = 0
  if (anyPattern) {
    let up = 0
    let down = 0
    for (let j = 0; j < k; j++) {
      up += Math.max(w[j] * (1 - q), -w[j] * q)
      down += Math.max(-w[j] * (1 - q), w[j] * q)
    }
    best = Math.max(up, down)
  } else {
    let total = 0
    for (let j = 0; j < k; j++) total += w[j]
    for (let y = 0; y < k; y++) best = Math.max(best, Math.abs(w[y] - q * total))
  }
  return best / (p - q)
}
