import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../../sim/seededRandom'
import { createCoins, defaultRandom } from './coins'
import { finiteCount, krrLinearVariance, maxContribution, olhCount, oueLinearVariance } from './estimators'
import { finiteMechanism } from './finite'
import { krrEncode, krrParams, krrProbability } from './krr'
import { mulAddMod, OLH_PRIME, olhEncode, olhHash, olhParams, olhParamsFor, olhProbability, olhVariance } from './olh'
import { oueEncode, oueParams, oueProbability } from './oue'

const EPSILONS = [0.5, 1, 2, 4]
/** The likelihood-ratio bound is checked across the ε a shop may set (`reports.epsilonPerDay`, 0.1 to 8), its ends included. */
const BOUND_EPSILONS = [0.1, ...EPSILONS, 8]
const TOL = 1e-9

describe('k-ary randomized response', () => {
  it.each(BOUND_EPSILONS)('likelihood ratio between any two inputs is at most e^ε (ε = %s)', (epsilon) => {
    for (const k of [2, 3, 5, 6, 17]) {
      const params = krrParams(k, epsilon)
      let worst = 0
      for (let y = 0; y < k; y++) {
        let total = 0
        for (let x = 0; x < k; x++) total += krrProbability(params, x, y)
        for (let x = 0; x < k; x++)
          for (let x2 = 0; x2 < k; x2++) worst = Math.max(worst, krrProbability(params, x, y) / krrProbability(params, x2, y))
        expect(total).toBeGreaterThan(0)
      }
      for (let x = 0; x < k; x++) {
        let sum = 0
        for (let y = 0; y < k; y++) sum += krrProbability(params, x, y)
        expect(sum).toBeCloseTo(1, 12)
      }
      expect(worst).toBeLessThanOrEqual(Math.exp(epsilon) * (1 + TOL))
      expect(worst).toBeGreaterThan(Math.exp(epsilon) * (1 - TOL))
    }
  })

  it('the estimator is exactly unbiased over the output distribution', () => {
    const truth = [40, 0, 7, 13, 140]
    const n = truth.reduce((a, b) => a + b)
    for (const epsilon of EPSILONS) {
      const params = krrParams(truth.length, epsilon)
      for (let j = 0; j < truth.length; j++) {
        let expected = 0
        for (let x = 0; x < truth.length; x++) expected += truth[x] * krrProbability(params, x, j)
        expect(finiteCount(params, expected, n)).toBeCloseTo(truth[j], 9)
      }
    }
  })

  it('the sampler follows the stated distribution and the estimate lands within its variance bound', () => {
    const truth = [30_000, 5_000, 0, 15_000, 50_000]
    const n = truth.reduce((a, b) => a + b)
    const params = krrParams(truth.length, 2)
    const coins = createCoins(seededRandom(11))
    const observed = new Array(truth.length).fill(0)
    for (let x = 0; x < truth.length; x++) for (let i = 0; i < truth[x]; i++) observed[krrEncode(params, x, coins)]++
    for (let j = 0; j < truth.length; j++) {
      const w = truth.map((_, i) => (i === j ? 1 : 0))
      const sd = Math.sqrt(krrLinearVariance(params, w, truth))
      // 4.5 standard deviations: a bias of a few hundred reports (e.g. dropping q) fails.
      expect(Math.abs(finiteCount(params, observed[j], n) - truth[j])).toBeLessThan(4.5 * sd)
    }
  })

  it('the linear variance matches the exact variance of the output distribution', () => {
    const truth = [3, 9, 1, 0]
    const params = krrParams(4, 1)
    const w = [1, -2, 0.5, 3]
    // Exact: Σ_x n_x Var(w·z | x), z = (e_y − q)/(p − q).
    let exact = 0
    for (let x = 0; x < 4; x++) {
      let m1 = 0
      let m2 = 0
      for (let y = 0; y < 4; y++) {
        const prob = krrProbability(params, x, y)
        let v = 0
        for (let j = 0; j < 4; j++) v += w[j] * ((j === y ? 1 : 0) - params.q) / (params.p - params.q)
        m1 += prob * v
        m2 += prob * v * v
      }
      exact += truth[x] * (m2 - m1 * m1)
    }
    expect(krrLinearVariance(params, w, truth)).toBeCloseTo(exact, 9)
  })
})

describe('optimized unary encoding', () => {
  it.each(BOUND_EPSILONS)('likelihood ratio between any two inputs is at most e^ε over every bit vector (ε = %s)', (epsilon) => {
    const k = 6
    const params = oueParams(k, epsilon)
    let worst = 0
    const bits = new Uint8Array(k)
    for (let mask = 0; mask < 1 << k; mask++) {
      for (let j = 0; j < k; j++) bits[j] = (mask >> j) & 1
      for (let x = 0; x < k; x++)
        for (let x2 = 0; x2 < k; x2++) worst = Math.max(worst, oueProbability(params, x, bits) / oueProbability(params, x2, bits))
    }
    expect(worst).toBeLessThanOrEqual(Math.exp(epsilon) * (1 + TOL))
    expect(worst).toBeGreaterThan(Math.exp(epsilon) * (1 - TOL))
  })

  it('the estimator is exactly unbiased over the output distribution', () => {
    const truth = [12, 0, 3, 30, 1, 4]
    const n = truth.reduce((a, b) => a + b)
    const params = oueParams(6, 1.5)
    for (let j = 0; j < 6; j++) {
      // E[bit j set] over the exact distribution of the vectors.
      let expected = 0
      const bits = new Uint8Array(6)
      for (let x = 0; x < 6; x++)
        for (let mask = 0; mask < 64; mask++) {
          for (let i = 0; i < 6; i++) bits[i] = (mask >> i) & 1
          expected += truth[x] * oueProbability(params, x, bits) * bits[j]
        }
      expect(finiteCount(params, expected, n)).toBeCloseTo(truth[j], 9)
    }
  })

  it('the sampler follows the stated distribution and the estimate lands within its variance bound', () => {
    const truth = [20_000, 0, 5_000, 1_000, 30_000, 4_000, 0, 10_000]
    const k = truth.length
    const n = truth.reduce((a, b) => a + b)
    const params = oueParams(k, 1)
    const coins = createCoins(seededRandom(12))
    const ones = new Array(k).fill(0)
    const bits = new Uint8Array(k)
    for (let x = 0; x < k; x++)
      for (let i = 0; i < truth[x]; i++) {
        oueEncode(params, x, coins, bits)
        for (let j = 0; j < k; j++) ones[j] += bits[j]
      }
    for (let j = 0; j < k; j++) {
      const w = truth.map((_, i) => (i === j ? 1 : 0))
      const sd = Math.sqrt(oueLinearVariance(params, w, truth, n))
      expect(Math.abs(finiteCount(params, ones[j], n) - truth[j])).toBeLessThan(4.5 * sd)
    }
  })

  it('is chosen over k-RR exactly when its variance is smaller', () => {
    expect(finiteMechanism(5, 2).kind).toBe('krr')
    expect(finiteMechanism(35, 2).kind).toBe('oue')
    expect(finiteMechanism(35, 4).kind).toBe('krr')
    expect(finiteMechanism(6, 0.5).kind).toBe('krr')
    expect(finiteMechanism(8, 0.5).kind).toBe('oue')
  })
})

describe('optimized local hashing', () => {
  it('computes (a·x + b) mod P exactly', () => {
    const rng = createCoins(seededRandom(3))
    for (let i = 0; i < 2000; i++) {
      const a = 1 + rng.below(OLH_PRIME - 1)
      const b = rng.below(OLH_PRIME)
      const x = rng.below(OLH_PRIME)
      const exact = Number((BigInt(a) * BigInt(x) + BigInt(b)) % BigInt(OLH_PRIME))
      expect(mulAddMod(a, x, b, OLH_PRIME)).toBe(exact)
    }
  })

  it('picks the prime hash range of smallest variance, near e^ε + 1', () => {
    expect(olhParams(1).g).toBe(3)
    expect(olhParams(2).g).toBe(7)
    expect(olhParams(4).g).toBe(53)
    expect(olhVariance(olhParams(2))).toBeLessThan(olhVariance(olhParamsFor(2, 3)))
  })

  // A small prime makes the whole hash-and-perturb distribution enumerable: every (a, b, y).
  const SMALL_PRIME = 13

  it.each(BOUND_EPSILONS)('likelihood ratio between any two inputs is at most e^ε over the hash-and-perturb distribution (ε = %s)', (epsilon) => {
    const params = olhParamsFor(epsilon, 5, SMALL_PRIME)
    let worst = 0
    const probability = (x: number, a: number, b: number, y: number) =>
      (1 / ((SMALL_PRIME - 1) * SMALL_PRIME)) * olhProbability(params, olhHash(params, a, b, x), y)
    for (let a = 1; a < SMALL_PRIME; a++)
      for (let b = 0; b < SMALL_PRIME; b++)
        for (let y = 0; y < params.g; y++)
          for (let x = 0; x < SMALL_PRIME; x++)
            for (let x2 = 0; x2 < SMALL_PRIME; x2++) worst = Math.max(worst, probability(x, a, b, y) / probability(x2, a, b, y))
    expect(worst).toBeLessThanOrEqual(Math.exp(epsilon) * (1 + TOL))
  })

  it.each([3, 5, 7])('the estimator is exactly unbiased over the hash-and-perturb distribution (g = %s)', (g) => {
    const params = olhParamsFor(1.3, g, SMALL_PRIME)
    const truth = [5, 0, 2, 9, 0, 0, 1, 4, 0, 0, 0, 3, 7]
    const n = truth.reduce((s, v) => s + v)
    for (let j = 0; j < SMALL_PRIME; j++) {
      let support = 0
      for (let x = 0; x < SMALL_PRIME; x++)
        for (let a = 1; a < SMALL_PRIME; a++)
          for (let b = 0; b < SMALL_PRIME; b++) {
            const h = olhHash(params, a, b, x)
            for (let y = 0; y < g; y++)
              if (olhHash(params, a, b, j) === y)
                support += (truth[x] / ((SMALL_PRIME - 1) * SMALL_PRIME)) * olhProbability(params, h, y)
          }
      expect(olhCount(params, support, n)).toBeCloseTo(truth[j], 9)
    }
  })

  it('the sampler and the estimate land within the variance bound, values outside the candidates included', () => {
    const params = olhParams(2)
    const coins = createCoins(seededRandom(5))
    const counts = new Map<number, number>([[1001, 20_000], [77_777, 3_000], [5, 0], [123_456_789, 8_000]])
    // Values nobody decodes still have to leave the candidates unbiased.
    for (let v = 0; v < 200; v++) counts.set(900_000 + v * 7919, 100)
    const reports: number[][] = []
    const out = [0, 0, 0]
    for (const [x, c] of counts) for (let i = 0; i < c; i++) { olhEncode(params, x, coins, out); reports.push([...out]) }
    const n = reports.length
    for (const x of [1001, 77_777, 5, 123_456_789]) {
      let support = 0
      for (const [a, b, y] of reports) if (olhHash(params, a, b, x) === y) support++
      const f = counts.get(x)! / n
      const sd = Math.sqrt(n * ((f * params.p * (1 - params.p)) + (1 - f) * params.beta * (1 - params.beta))) / ((1 - params.kappa) * (params.p - params.q))
      expect(Math.abs(olhCount(params, support, n) - counts.get(x)!)).toBeLessThan(4.5 * sd)
    }
  })
})

describe('largest contribution of one report', () => {
  it('bounds every possible output', () => {
    const w = [1, -0.5, 2, 0]
    const p = 0.6
    const q = 0.1
    let worstOne = 0
    for (let y = 0; y < 4; y++) {
      let v = 0
      for (let j = 0; j < 4; j++) v += w[j] * ((j === y ? 1 : 0) - q)
      worstOne = Math.max(worstOne, Math.abs(v) / (p - q))
    }
    expect(maxContribution(w, 4, p, q, false)).toBeCloseTo(worstOne, 12)
    let worstAny = 0
    for (let mask = 0; mask < 16; mask++) {
      let v = 0
      for (let j = 0; j < 4; j++) v += w[j] * (((mask >> j) & 1) - q)
      worstAny = Math.max(worstAny, Math.abs(v) / (p - q))
    }
    expect(maxContribution(w, 4, p, q, true)).toBeCloseTo(worstAny, 12)
  })
})

describe('the privacy coins', () => {
  const words = (fill: (array: Uint32Array) => void) => (array: Uint32Array) => (fill(array), array)
  it.each([
    ['fills nothing', words(() => {})],
    ['fills zeros', words((a) => a.fill(0))],
    ['fills one value', words((a) => a.fill(0xdeadbeef))],
    ['fills numbers of [0, 1) (Math.random), which a Uint32Array keeps as 0', words((a) => a.forEach((_, i) => (a[i] = (i + 0.5) / a.length)))],
    ['fills bytes only', words((a) => a.forEach((_, i) => (a[i] = (i * 37) & 255)))],
    ['fills a quarter of the array', words((a) => seededRandom(1)(a.subarray(0, a.length / 4)))],
    ['fills an array of its own', (a: Uint32Array) => seededRandom(1)(new Uint32Array(a.length))],
    ['throws (crypto.getRandomValues called unbound)', words((a) => crypto.getRandomValues.call(undefined, a))],
    ['fills every word, then throws', words((a) => (seededRandom(1)(a), JSON.parse('{')))],
  ])('refuses a random source that %s, before any coin is drawn from it', (_name, source) => {
    const coins = createCoins(source)
    for (const draw of [() => coins.uint32(), () => coins.below(6), () => coins.uniform()]) {
      expect(draw).toThrow(expect.objectContaining({ code: 'report_random' }))
    }
  })

  it('takes a source of uniform 32-bit words, block after block', () => {
    const coins = createCoins(seededRandom(2))
    const seen = new Set<number>()
    for (let i = 0; i < 100_000; i++) seen.add(coins.below(1000))
    expect(seen.size).toBe(1000)
  })

  it('refuses, with the same code, a browser without crypto.getRandomValues', () => {
    const crypto = globalThis.crypto
    try {
      Object.defineProperty(globalThis, 'crypto', { value: {}, configurable: true })
      expect(() => defaultRandom()).toThrow(expect.objectContaining({ code: 'report_random' }))
    } finally {
      Object.defineProperty(globalThis, 'crypto', { value: crypto, configurable: true })
    }
  })
})
