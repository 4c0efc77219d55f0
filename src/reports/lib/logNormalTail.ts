/**
 * log P(Z ≥ x) for a standard normal Z, accurate to a relative 1.2e-7 of the tail however far out: from the
 * Chebyshev fit of erfc (Numerical Recipes' erfcc), which is a product with exp(−z²) and so stays finite in logs
 * where the tail itself is below the smallest double.
 *
 * @example
 * Math.exp(logNormalTail(1.959963984540054)) // 0.025
 */
export function logNormalTail(x: number): number {
  if (x < 0) return Math.log1p(-Math.exp(logNormalTail(-x)))
  const z = x / Math.SQRT2
  const t = 1 / (1 + 0.5 * z)
  const poly =
    -1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
  return Math.log(t / 2) - z * z + poly
}
