/** Lanczos coefficients (g = 7, 9 terms): log Γ to about 15 digits. */
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
]

/** log Γ(x) for x > 0. */
function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x)
  const y = x - 1
  let s = LANCZOS[0]
  for (let i = 1; i < LANCZOS.length; i++) s += LANCZOS[i] / (y + i)
  const t = y + 7.5
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(s)
}

const TINY = 1e-300

/** The continued fraction of the incomplete beta function (modified Lentz), for x < (a + 1)/(a + b + 2). */
function betaFraction(a: number, b: number, x: number): number {
  let c = 1
  let d = 1 - ((a + b) * x) / (a + 1)
  if (Math.abs(d) < TINY) d = TINY
  d = 1 / d
  let h = d
  for (let m = 1; m <= 1000; m++) {
    const m2 = 2 * m
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2))
    d = 1 + aa * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + aa / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    h *= d * c
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1))
    d = 1 + aa * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + aa / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    const step = d * c
    h *= step
    if (Math.abs(step - 1) < 1e-15) break
  }
  return h
}

/** The regularized incomplete beta function I_x(a, b): P(X ≤ x) for X ~ Beta(a, b). */
function betaCdf(x: number, a: number, b: number, logB: number): number {
  if (x <= 0) return 0
  if (x >= 1) return 1
  const front = Math.exp(a * Math.log(x) + b * Math.log1p(-x) - logB)
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(a, b, x)) / a : 1 - (front * betaFraction(b, a, 1 - x)) / b
}

const density = (p: number, a: number, b: number, logB: number) => Math.exp((a - 1) * Math.log(p) + (b - 1) * Math.log1p(-p) - logB)

/**
 * The mid-p bound of a binomial proportion: the p at which P(X > x) + ½P(X = x) = `q`, for X ~ Binomial(n, p), so
 * 0.025 gives the lower end of the 95% mid-p interval of x in n and 0.975 its upper end. x and n need not be whole
 * numbers (an estimated count among an estimated number of sessions): P(X > x) + ½P(X = x) is written as
 * ½(I_p(x, n − x + 1) + I_p(x + 1, n − x)), the regularized incomplete beta functions of the two tails, which is
 * defined for any 0 ≤ x ≤ n (x is held there) and increases with p. Solved by Newton's steps kept within a bracket
 * that halves when a step would leave it, to 1e-13. The lower end of x = 0 is 0, the upper end of x = n is 1.
 *
 * @example
 * midPBound(3, 12, 0.975) // ≈ 0.5412, the upper end of the mid-p interval of 3 in 12
 */
export function midPBound(x: number, n: number, q: number): number {
  if (!(n > 0) || !(q > 0 && q < 1) || Number.isNaN(x)) return Number.NaN
  const k = Math.min(Math.max(x, 0), n)
  // The two tails: I_p(k, n − k + 1) (absent at k = 0, where it is 1 for every p > 0) and I_p(k + 1, n − k)
  // (absent at k = n, where it is 0 for every p < 1).
  const a1 = k
  const b1 = n - k + 1
  const a2 = k + 1
  const b2 = n - k
  const logB1 = a1 > 0 ? logGamma(a1) + logGamma(b1) - logGamma(a1 + b1) : 0
  const logB2 = b2 > 0 ? logGamma(a2) + logGamma(b2) - logGamma(a2 + b2) : 0
  const tail = (p: number) => 0.5 * ((a1 > 0 ? betaCdf(p, a1, b1, logB1) : 1) + (b2 > 0 ? betaCdf(p, a2, b2, logB2) : 0))
  const slope = (p: number) => 0.5 * ((a1 > 0 ? density(p, a1, b1, logB1) : 0) + (b2 > 0 ? density(p, a2, b2, logB2) : 0))
  if (tail(Number.MIN_VALUE) >= q) return 0
  if (tail(1 - Number.EPSILON) <= q) return 1
  // Start at the normal approximation, inside (0, 1).
  const mean = (k + 0.5) / (n + 1)
  const sd = Math.sqrt((mean * (1 - mean)) / (n + 1))
  let p = Math.min(1 - 1e-12, Math.max(1e-12, mean + (q < 0.5 ? -2 : 2) * sd))
  let lo = 0
  let hi = 1
  for (let i = 0; i < 200; i++) {
    const f = tail(p) - q
    if (f < 0) lo = p
    else hi = p
    let next = p - f / slope(p)
    if (!(next > lo && next < hi)) next = (lo + hi) / 2
    if (Math.abs(next - p) < 1e-13 * Math.max(p, 1e-10) || hi - lo < 1e-15) return next
    p = next
  }
  return p
}
