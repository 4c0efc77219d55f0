import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Estimate, Insights } from '../src/reports/estimate/types'
import { DEFAULT_DATA_DIR, SHOPPERS_FILE } from '../training/data'
import { createRng } from '../training/rng'
import { judgeBands, measureBandRule } from './bands'
import { loadPopulation } from './population'
import { createShop, SHOP_SEED } from './shop'

const file = join(DEFAULT_DATA_DIR, SHOPPERS_FILE)
const present = existsSync(file)

/** Insights whose average order value and band shares are as given (the rest is not read). */
function insightsWith(averageOrderValue: Partial<Estimate>, top: number, low: number): Insights {
  const band = (value: number) => ({ share: { value, low: value - 0.02, high: value + 0.02 } })
  const bands = [band(low), band(0.2), band(0.2), band(0.1), band(0.1), band(top)]
  return { overall: { averageOrderValue: { value: 60, enough: true, ...averageOrderValue }, orderValueBands: bands } } as unknown as Insights
}

describe('the order-value band rule, judged', () => {
  it('tells a rule on the estimate from the collector\'s rule on the interval, only where the average passed its own rules', () => {
    // Shown: the interval rule let it through, though the estimate of the top band's share is over its limit.
    expect(judgeBands(insightsWith({}, 0.11, 0.3))).toEqual({ measured: true, refusedOnEstimate: true, refusedOnInterval: false })
    expect(judgeBands(insightsWith({}, 0.05, 0.3))).toEqual({ measured: true, refusedOnEstimate: false, refusedOnInterval: false })
    expect(judgeBands(insightsWith({}, 0.05, 0.75))).toMatchObject({ refusedOnEstimate: true })
    // Refused by the band rule, in the collector's own words.
    const refused = { enough: false, reason: 'an estimated 96% of orders are in the top order-value band (500 and above, counted as 750 each), over the 10% it can stand: this shop\'s order values cannot be measured with these bands' }
    expect(judgeBands(insightsWith(refused, 0.96, 0))).toEqual({ measured: true, refusedOnEstimate: true, refusedOnInterval: true })
    // Not shown for a reason of its own: the band rule was never applied.
    expect(judgeBands(insightsWith({ enough: false, reason: 'not enough reports yet' }, 0.5, 0.9))).toEqual({ measured: false, refusedOnEstimate: false, refusedOnInterval: false })
  })

  it.skipIf(!present)('does not refuse the simulated shop, whose orders fit the bands, in runs of the collector\'s own estimates', () => {
    const counts = measureBandRule(loadPopulation(file), createShop(createRng(SHOP_SEED)), { devices: 100_000, epsilon: 2, runs: 4, seed: 1 })
    expect(counts).toMatchObject({ devices: 100_000, epsilon: 2, runs: 4, refusedOnInterval: 0 })
    // Judged at all: at 100,000 sessions the average order value passes its own rules in most runs.
    expect(counts.measured).toBeGreaterThanOrEqual(2)
    expect(counts.refusedOnEstimate).toBeLessThanOrEqual(counts.measured)
    // The shop's orders: about 1% at 500 or more, a sixth under 25; both far within their limits.
    expect(counts.topBandShare).toBeGreaterThan(0.005)
    expect(counts.topBandShare).toBeLessThan(0.02)
    expect(counts.lowBandShare).toBeGreaterThan(0.1)
    expect(counts.lowBandShare).toBeLessThan(0.25)
  }, 120_000)
})
