// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { midPBound } from './midPBound'

describe('midPBound', () => {
  // Reference values: the root in p of ½(I_p(x, n − x + 1) + I_p(x + 1, n − x)) = q with scipy.special.betainc and
  // scipy.optimize.brentq; for whole x and n, P(X > x) + ½P(X = x) = q.
  it.each([
    [3, 12, 0.975, 0.541234953763579],
    [3, 12, 0.025, 0.06785441038384382],
    [0, 80, 0.975, 0.036754197779982324],
    [12, 80, 0.025, 0.08389680992430407],
    [12, 80, 0.975, 0.2410674382737321],
    [80, 80, 0.025, 0.9632458022200177],
    [2.37, 41.6, 0.025, 0.011727280919250441],
    [2.37, 41.6, 0.975, 0.1627178812185643],
    [0.4, 109.3, 0.975, 0.03440632690914336],
    [2000, 20000, 0.025, 0.09589989473042956],
    [2000, 20000, 0.975, 0.10421587147528606],
    [1e6, 2.5e6, 0.025, 0.3993928433033968],
    [5e8, 1e9, 0.975, 0.5000309897515932],
    [1, 1e6, 0.975, 4.931850413305227e-6],
    [5, 7, 0.5, 0.7053414900413123],
  ])('of %s in %s at %s is %s', (x, n, q, expected) => {
    expect(Math.abs(midPBound(x, n, q) - expected)).toBeLessThan(1e-9 * expected)
  })

  it('is 0 below none and 1 above all, and holds x within 0 to n', () => {
    expect(midPBound(0, 80, 0.025)).toBe(0)
    expect(midPBound(80, 80, 0.975)).toBe(1)
    expect(midPBound(-1.5, 80, 0.975)).toBe(midPBound(0, 80, 0.975))
    expect(midPBound(81, 80, 0.025)).toBe(midPBound(80, 80, 0.025))
  })

  it('is not a number without sessions or a probability', () => {
    expect(midPBound(0, 0, 0.5)).toBeNaN()
    expect(midPBound(1, 10, 1)).toBeNaN()
  })
})
