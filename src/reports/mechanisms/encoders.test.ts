import { describe, expect, it } from 'vitest'
import type { Coins } from './coins'
import { finiteCount, olhCount } from './estimators'
import { krrEncode, krrParams, krrProbability } from './krr'
import { olhEncode, olhHash, olhParamsFor, olhProbability } from './olh'
import { oueEncode, oueParams, oueProbability, type OueParams } from './oue'
import { questionMechanism } from '../lib/questionMechanism'
import { isPageQuestion, MAX_LEAVES, QUESTIONS } from '../schema'

/**
 * The exact output distribution of an encoder, read from the encoder itself: every draw it makes is enumerated.
 * `below(n)` branches over its n values; `uniform()` over the intervals between `cuts` (the thresholds the
 * mechanism's parameters give), at a point `at` of the interval (0 near its start, 0.5 its middle, 1 near its end).
 * An encoder that compared a uniform with any other threshold gives different distributions for different `at`.
 */
function outputDistribution<T>(encode: (coins: Coins) => T, cuts: readonly number[], at: number): Map<string, number> {
  const edges = [...new Set([0, ...cuts.filter((c) => c > 0 && c < 1), 1])].sort((a, b) => a - b)
  const out = new Map<string, number>()
  const path: number[] = []
  for (;;) {
    let depth = 0
    let weight = 1
    const sizes: number[] = []
    const choose = (n: number) => {
      if (depth === path.length) path.push(0)
      sizes.push(n)
      return path[depth++]
    }
    const coins: Coins = {
      uint32: () => {
        throw new Error('the encoders draw through below() and uniform()')
      },
      below(n) {
        weight /= n
        return choose(n)
      },
      uniform() {
        const i = choose(edges.length - 1)
        const [from, to] = [edges[i], edges[i + 1]]
        weight *= to - from
        return from + (to - from) * Math.min(Math.max(at, 1e-9), 1 - 1e-9)
      },
    }
    const key = JSON.stringify(encode(coins))
    out.set(key, (out.get(key) ?? 0) + weight)
    // The next path: odometer over the choices this run made.
    path.length = depth
    let d = depth - 1
    while (d >= 0 && path[d] === sizes[d] - 1) d--
    if (d < 0) return out
    path.length = d + 1
    path[d]++
  }
}

/** The same distribution wherever in its interval each uniform falls, and it sums to 1. */
function exactDistribution<T>(encode: (coins: Coins) => T, cuts: readonly number[]): Map<string, number> {
  const middle = outputDistribution(encode, cuts, 0.5)
  for (const at of [0, 1]) {
    const other = outputDistribution(encode, cuts, at)
    expect([...other.keys()].sort()).toEqual([...middle.keys()].sort())
    for (const [key, p] of middle) expect(other.get(key)).toBeCloseTo(p, 12)
  }
  expect([...middle.values()].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12)
  return middle
}

/** Largest ratio between two inputs' probabilities of one output, over every output either can give. */
function worstRatio(distributions: readonly Map<string, number>[]): number {
  const outputs = new Set(distributions.flatMap((d) => [...d.keys()]))
  let worst = 0
  for (const y of outputs) {
    const probabilities = distributions.map((d) => d.get(y) ?? 0)
    worst = Math.max(worst, Math.max(...probabilities) / Math.min(...probabilities))
  }
  return worst
}

const EPSILONS = [0.1, 0.5, 1, 2, 4, 8]
const TOL = 1e-9

describe('the encoders the report sends, enumerated draw by draw', () => {
  it.each(EPSILONS)('k-RR: krrEncode gives the stated distribution, a likelihood ratio of at most e^ε, and an unbiased count (ε = %s)', (epsilon) => {
    for (const k of [2, 3, 5, 7, 10, 17]) {
      const params = krrParams(k, epsilon)
      const distributions = Array.from({ length: k }, (_, x) => exactDistribution((coins) => krrEncode(params, x, coins), [params.p, params.q]))
      distributions.forEach((d, x) => {
        for (let y = 0; y < k; y++) expect(d.get(String(y)) ?? 0).toBeCloseTo(krrProbability(params, x, y), 12)
      })
      expect(worstRatio(distributions)).toBeLessThanOrEqual(Math.exp(epsilon) * (1 + TOL))
      // The collector's estimate at the expected counts of any mix of inputs is that mix.
      const truth = Array.from({ length: k }, (_, x) => (x * 37) % 11)
      const n = truth.reduce((a, b) => a + b, 0)
      for (let j = 0; j < k; j++) {
        const observed = truth.reduce((s, count, x) => s + count * (distributions[x].get(String(j)) ?? 0), 0)
        expect(finiteCount(params, observed, n)).toBeCloseTo(truth[j], 9)
      }
    }
  })

  it.each(EPSILONS)('OUE: oueEncode gives the stated distribution, a likelihood ratio of at most e^ε, and unbiased counts (ε = %s)', (epsilon) => {
    const k = 5
    const params = oueParams(k, epsilon)
    const bits = new Uint8Array(k)
    const distributions = Array.from({ length: k }, (_, x) => exactDistribution((coins) => [...oueEncode(params, x, coins, bits)], [params.p, params.q]))
    distributions.forEach((d, x) => {
      expect(d.size).toBe(2 ** k)
      for (const [y, p] of d) expect(p).toBeCloseTo(oueProbability(params, x, JSON.parse(y)), 12)
    })
    expect(worstRatio(distributions)).toBeLessThanOrEqual(Math.exp(epsilon) * (1 + TOL))
    const truth = [9, 0, 4, 21, 2]
    const n = truth.reduce((a, b) => a + b, 0)
    for (let j = 0; j < k; j++) {
      let ones = 0
      distributions.forEach((d, x) => d.forEach((p, y) => (ones += truth[x] * p * JSON.parse(y)[j])))
      expect(finiteCount(params, ones, n)).toBeCloseTo(truth[j], 9)
    }
  })

  /**
   * OUE over a domain too large to enumerate its 2^k outputs: each bit is checked to be drawn from its own uniform
   * alone, against the threshold of its own value (p for the true value's bit, q for the others), wherever the other
   * uniforms fall. The bits are then independent, so an output's probability is the product of its bits', and the
   * worst ratio between two inputs is the product of each bit's worst ratio.
   */
  function oueBitwiseRatio(params: OueParams): number {
    const { k, p, q } = params
    const bits = new Uint8Array(k)
    // A point in each interval between the thresholds, and the interval's length.
    const edges = [0, q, p, 1]
    const points = [0, 1, 2].map((i) => [(edges[i] + edges[i + 1]) / 2, edges[i + 1] - edges[i]] as const)
    const chance = Array.from({ length: k }, () => new Array<number>(k).fill(0))
    for (let x = 0; x < k; x++) {
      for (let j = 0; j < k; j++) {
        for (const [at, length] of points) {
          const seen = [points[0][0], points[2][0]].map((others) => {
            let drawn = 0
            const coins: Coins = {
              uint32: () => {
                throw new Error('OUE draws through uniform()')
              },
              below: () => {
                throw new Error('OUE draws through uniform()')
              },
              uniform: () => (drawn++ === j ? at : others),
            }
            oueEncode(params, x, coins, bits)
            expect(drawn).toBe(k)
            return bits[j]
          })
          // Bit j follows its own draw only: the same whichever way the others fall.
          expect(seen[1]).toBe(seen[0])
          chance[x][j] += seen[0] * length
        }
        expect(chance[x][j]).toBeCloseTo(j === x ? p : q, 12)
      }
    }
    let worst = 0
    for (let x = 0; x < k; x++)
      for (let z = 0; z < k; z++) {
        let ratio = 1
        for (let j = 0; j < k; j++) ratio *= Math.max(chance[x][j] / chance[z][j], (1 - chance[x][j]) / (1 - chance[z][j]))
        worst = Math.max(worst, ratio)
      }
    return worst
  }

  it('every finite mechanism a report can use (each question, 1 to 16 leaves, every ε above) keeps a likelihood ratio of at most e^ε', () => {
    const used = new Map<string, { kind: string; k: number; epsilon: number }>()
    for (const epsilon of EPSILONS)
      for (let segmentLeaves = 1; segmentLeaves <= MAX_LEAVES; segmentLeaves++)
        for (const { id } of QUESTIONS) {
          if (isPageQuestion(id)) continue
          const m = questionMechanism(id, { segmentLeaves, valueLeaves: segmentLeaves }, epsilon)
          if (m.kind !== 'olh') used.set(`${m.kind} ${m.k} ${epsilon}`, { kind: m.kind, k: m.k, epsilon })
        }
    // Both kinds, small and large domains: the outcome question of a 16-leaf pack has 34 values.
    expect([...used.values()].some((m) => m.kind === 'oue' && m.k > 10)).toBe(true)
    expect(Math.max(...[...used.values()].map((m) => m.k))).toBe(2 * (MAX_LEAVES + 1))
    for (const { kind, k, epsilon } of used.values()) {
      let worst: number
      if (kind === 'krr') {
        const params = krrParams(k, epsilon)
        worst = worstRatio(Array.from({ length: k }, (_, x) => exactDistribution((coins) => krrEncode(params, x, coins), [params.p, params.q])))
      } else if (k <= 8) {
        const params = oueParams(k, epsilon)
        const bits = new Uint8Array(k)
        worst = worstRatio(Array.from({ length: k }, (_, x) => exactDistribution((coins) => [...oueEncode(params, x, coins, bits)], [params.p, params.q])))
      } else worst = oueBitwiseRatio(oueParams(k, epsilon))
      expect(worst, `${kind} over ${k} values at ε ${epsilon}`).toBeLessThanOrEqual(Math.exp(epsilon) * (1 + TOL))
    }
  })

  // A small prime makes every (a, b) of the hash family enumerable; the encoder is the one reports use.
  const SMALL_PRIME = 13

  it.each(EPSILONS)('OLH: olhEncode gives the stated distribution, a likelihood ratio of at most e^ε, and unbiased counts (ε = %s)', (epsilon) => {
    for (const g of [2, 3, 7]) {
      const params = olhParamsFor(epsilon, g, SMALL_PRIME)
      const out = [0, 0, 0]
      const distributions = Array.from({ length: SMALL_PRIME }, (_, x) => exactDistribution((coins) => (olhEncode(params, x, coins, out), out), [params.p, params.q]))
      distributions.forEach((d, x) => {
        for (const [y, p] of d) {
          const [a, b, value] = JSON.parse(y) as number[]
          expect(a).toBeGreaterThanOrEqual(1)
          expect(p).toBeCloseTo(olhProbability(params, olhHash(params, a, b, x), value) / ((SMALL_PRIME - 1) * SMALL_PRIME), 12)
        }
      })
      expect(distributions[0].size).toBe((SMALL_PRIME - 1) * SMALL_PRIME * g)
      expect(worstRatio(distributions)).toBeLessThanOrEqual(Math.exp(epsilon) * (1 + TOL))
      const truth = Array.from({ length: SMALL_PRIME }, (_, x) => (x * 5) % 7)
      const n = truth.reduce((a, b) => a + b, 0)
      for (let j = 0; j < SMALL_PRIME; j++) {
        let support = 0
        distributions.forEach((d, x) =>
          d.forEach((p, y) => {
            const [a, b, value] = JSON.parse(y) as number[]
            if (olhHash(params, a, b, j) === value) support += truth[x] * p
          }),
        )
        expect(olhCount(params, support, n)).toBeCloseTo(truth[j], 9)
      }
    }
  })

  it('tells an encoder that draws its answer from another threshold than its parameters give', () => {
    const params = krrParams(5, 0.5)
    // Keeps the true value twice as often as it should: an enumeration at the stated cuts sees the extra threshold.
    const skewed = (coins: Coins) => (coins.uniform() < Math.min(1, 2 * params.p) ? 0 : 1 + coins.below(4))
    expect(() => exactDistribution(skewed, [params.p, params.q])).toThrow()
  })
})
