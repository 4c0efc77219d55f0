// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { createRng } from '../../../training/rng'
import { logNormalTail } from '../lib/logNormalTail'
import { Z95 } from './constants'
import { shownLow } from './shownLow'

describe('logNormalTail', () => {
  it.each([
    [0, Math.log(0.5)],
    [Z95, Math.log(0.025)],
    [-Z95, Math.log(0.975)],
    [5, Math.log(2.866515718791939e-7)],
    // Far past the smallest double: φ(x)/x (the Mills ratio, within 1/x²).
    [40, -800 - Math.log(40 * Math.sqrt(2 * Math.PI))],
  ])('log P(Z ≥ %s) = %s', (x, logTail) => {
    expect(Math.abs(logNormalTail(x) - logTail)).toBeLessThan(1e-3)
  })
})

describe('shownLow', () => {
  it('is the plain lower end far above the bar, 0 at the bar, and lower than the plain end between', () => {
    expect(shownLow(10, 1, 3.92)).toBeCloseTo(10 - Z95, 4)
    expect(shownLow(3.92, 1, 3.92)).toBe(0)
    const low = shownLow(5, 1, 3.92)
    expect(low).toBeGreaterThan(0)
    expect(low).toBeLessThan(5 - Z95)
  })

  it('is never above the plain lower end, nor below 0, from the bar to far past it and at any scale', () => {
    // Exactly, the least truth it finds is at most value − 1.96 sd (the share past the value, among the estimates
    // over the bar, is at least the share past it of all estimates); the fit of the tail must not push it over.
    for (const sd of [1e-9, 0.01, 1, 1e6]) {
      for (const z of [3.92, 4, 5, 8, 10, 12, 20, 40, 100, 1e4, 1e8]) {
        const low = shownLow(z * sd, sd, 2 * Z95 * sd)
        expect(low).toBeGreaterThanOrEqual(0)
        expect(low).toBeLessThanOrEqual(z * sd - Z95 * sd)
      }
    }
  })

  it.each([0.5, 1, 2, 3, 4, 6])('with the plain upper end, holds a truth of %s sd at least 95% of the time among the estimates over a bar of 3.92 sd', (truth) => {
    // Normal estimates of sd 1 around the truth, shown when at least 2 × 1.96 (an interval no wider than the figure).
    const rng = createRng(Math.round(truth * 10))
    let shown = 0
    let held = 0
    const bar = 2 * Z95
    while (shown < 4000) {
      const value = truth + Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng())
      if (value < bar) continue
      shown++
      if (shownLow(value, 1, bar) <= truth && truth <= value + Z95) held++
    }
    expect(held / shown).toBeGreaterThan(0.94)
  })
})
