// Why the order-value band limits are where they are: for log-normal order values, how far the band values alone (no
// privacy noise) put the average order value from the truth, against the share of orders in the top and lowest band.
import { describe, expect, it } from 'vitest'
import { ORDER_VALUE_BUCKETS } from '../schema'
import { ORDER_VALUE_LOW_BAND_LIMIT, ORDER_VALUE_TOP_BAND_LIMIT } from './constants'

/** Standard normal CDF (Abramowitz and Stegun 7.1.26, error under 1.5e-7). */
function phi(z: number): number {
  const x = Math.abs(z) / Math.SQRT2
  const t = 1 / (1 + 0.3275911 * x)
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x)
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2
}

/** A shop whose order values are log-normal (median, σ): its true average, the band-valued one and its band shares. */
function shop(median: number, sigma: number) {
  const below = (x: number) => (x === Infinity ? 1 : phi(Math.log(x / median) / sigma))
  const shares = ORDER_VALUE_BUCKETS.map((b) => below(b.to) - below(b.from === 0 ? 0 : b.from))
  const banded = shares.reduce((sum, p, i) => sum + p * ORDER_VALUE_BUCKETS[i]!.value, 0)
  const truth = median * Math.exp((sigma * sigma) / 2)
  return { median, sigma, bias: banded / truth - 1, low: shares[0]!, top: shares[shares.length - 1]! }
}

const SHOPS = [0.5, 0.9, 1.2].flatMap((sigma) => [5, 9, 12, 20, 30, 60, 100, 150, 200, 250, 300, 400, 600, 1200].map((median) => shop(median, sigma)))

describe('order-value bands', () => {
  it('the bands and the value each counts for are the ones the README and the dashboard name', () => {
    expect(ORDER_VALUE_BUCKETS.map((b) => [b.from, b.to, b.value])).toEqual([
      [0, 25, 12.5], [25, 50, 37.5], [50, 100, 75], [100, 250, 175], [250, 500, 375], [500, Infinity, 750],
    ])
  })

  it('the limits let through only log-normal shops whose band-valued average is within 14% of the truth', () => {
    const through = SHOPS.filter((s) => s.top <= ORDER_VALUE_TOP_BAND_LIMIT && s.low <= ORDER_VALUE_LOW_BAND_LIMIT)
    expect(through.length).toBeGreaterThan(15)
    for (const s of through) expect(Math.abs(s.bias), `median ${s.median}, σ ${s.sigma}`).toBeLessThan(0.14)
    // The simulation's own shop (median 60, σ 0.9) is let through, 9% high.
    expect(shop(60, 0.9).bias).toBeCloseTo(0.094, 2)
  })

  it('past the top band limit the band values put the average up to 74% low', () => {
    const past = SHOPS.filter((s) => s.top > ORDER_VALUE_TOP_BAND_LIMIT)
    // Just past it (15–16% of orders at 500 or more): between 17% low and 6% high.
    const just = past.filter((s) => s.top < 0.17)
    expect(Math.min(...just.map((s) => s.bias))).toBeLessThan(-0.16)
    // Mostly above 500: 11% to 74% low; orders around 1,200 (a furniture shop): 46–74% low.
    const mostly = past.filter((s) => s.top > 0.5)
    for (const s of mostly) expect(s.bias).toBeLessThan(-0.1)
    expect(Math.min(...mostly.map((s) => s.bias))).toBeLessThan(-0.73)
    for (const s of past.filter((s) => s.median === 1200)) expect(s.bias).toBeLessThan(-0.45)
  })

  it('past the lowest band limit the band values put the average up to 121% high', () => {
    const past = SHOPS.filter((s) => s.low > ORDER_VALUE_LOW_BAND_LIMIT)
    // 73–80% of orders under 25: 15–26% high.
    for (const s of past.filter((s) => s.low < 0.81)) expect(s.bias).toBeGreaterThan(0.15)
    expect(Math.max(...past.map((s) => s.bias))).toBeGreaterThan(1.2)
  })
})
