// @vitest-environment node
// The statistics every benchmark prints (bench/lib/stats.mjs): the figures in README.md and docs/performance.md.
import { describe, expect, it } from 'vitest'
// @ts-expect-error: plain ES module without types
import { summarize } from '../../bench/lib/stats.mjs'

describe('summarize', () => {
  it('gives the middle value of an odd count', () => {
    expect(summarize([5, 1, 3])).toMatchObject({ n: 3, median: 3, min: 1, max: 5 })
  })

  it('gives the mean of the two middle values of an even count', () => {
    // 10 batches of a tracking call, 2 rounds of `--quick`, 50 page loads: even counts, not the lower half's top.
    expect(summarize([4, 1, 3, 2]).median).toBe(2.5)
    expect(summarize([20, 10]).median).toBe(15)
    expect(summarize(Array.from({ length: 50 }, (_, i) => i + 1)).median).toBe(25.5)
  })

  it('takes percentiles by nearest rank: with fewer than 100 samples p99 is the largest', () => {
    const s = summarize(Array.from({ length: 50 }, (_, i) => 50 - i))
    expect(s).toMatchObject({ n: 50, p90: 45, p99: 50, max: 50, mean: 25.5 })
    expect(summarize(Array.from({ length: 200 }, (_, i) => i + 1)).p99).toBe(198)
  })

  it('sorts numerically and leaves out missing values', () => {
    expect(summarize([10, -2, 9, NaN, undefined, 100])).toMatchObject({ n: 4, median: 9.5, min: -2, max: 100 })
    expect(summarize([])).toEqual({ n: 0 })
  })
})
