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
 * Wraps a RandomSource (by default `crypto.getRandomValues`) so that many coins cost one call.
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
      random(block)
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
  if (typeof getRandomValues !== 'function') throw new Error('crypto.getRandomValues is not available')
  return (a) => getRandomValues.call(c, a)
}
