import { ReportError } from '../../errors'
import type { RandomSource } from '../types'

/** Uniform random draws for the privacy coins, read from a RandomSource in blocks. */
export interface Coins {
  /** A uniform 32-bit unsigned integer. */
  uint32(): number
  /** A uniform integer in [0, n), exactly (rejection sampling), for 1 ≤ n ≤ 2^32. */
  below(n: number): number
  /** A uniform number in [0, 1) with 53 random bits. */
  uniform(): number
}

const BLOCK = 256

/**
 * Wraps a RandomSource (by default `crypto.getRandomValues`) so that many coins cost one call. Each block the
 * source fills is checked before a coin is drawn from it: a source that leaves any of the 32 bits the same in all
 * 256 words, or more than one word 0 (one that fills nothing or an array of its own, part of the array, one value,
 * bytes, or numbers of [0, 1) such as `Math.random()`'s, which the array keeps as 0), or that throws when called,
 * is refused with a `ReportError` `report_random`, so that no answer is ever encoded with coins that hide nothing. A uniform source fails a block
 * with a probability below 10⁻¹⁴. A source that fills every word with weak but varied values (a seeded generator)
 * is not told apart: only simulations and tests pass one.
 *
 * @example
 * const coins = createCoins((a) => crypto.getRandomValues(a))
 * coins.below(6) // 0..5
 */
export function createCoins(random: RandomSource): Coins {
  const block = new Uint32Array(BLOCK)
  let used = BLOCK
  const uint32 = (): number => {
    if (used === BLOCK) {
      block.fill(0)
      let zeros = 0
      try {
        random(block)
      } catch {
        // A source that throws (a replaced getRandomValues, one called unbound) is as broken as one that fills nothing.
        zeros = 2
      }
      let any = 0
      let all = -1
      for (let i = 0; i < BLOCK; i++) {
        any |= block[i]
        all &= block[i]
        if (!block[i]) zeros++
      }
      if (~any || all || zeros > 1) throw new ReportError('report_random', 'the random source does not fill its array with uniform 32-bit words')
      used = 0
    }
    return block[used++]
  }
  return {
    uint32,
    below(n) {
      // Largest multiple of n that fits in 2^32: draws at or above it are redrawn, so every value is equally likely.
      const limit = 4294967296 - (4294967296 % n)
      let u = uint32()
      while (u >= limit) u = uint32()
      return u % n
    },
    uniform() {
      return ((uint32() >>> 5) * 67108864 + (uint32() >>> 6)) / 9007199254740992
    },
  }
}

/** The browser's cryptographic generator; looked up when called, never at import time. */
export function defaultRandom(): RandomSource {
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint32Array) => Uint32Array } }).crypto
  const getRandomValues = c?.getRandomValues
  if (typeof getRandomValues !== 'function') throw new ReportError('report_random', 'crypto.getRandomValues is not available')
  return (a) => getRandomValues.call(c, a)
}
