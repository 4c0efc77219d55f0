import type { RandomSource } from '../src/reports/types'
import { createRng } from '../training/rng'

/**
 * A seeded RandomSource (mulberry32, the generator of the training code) for simulations and tests:
 * the same seed gives the same reports. Never used for real reports, which use `crypto.getRandomValues`.
 */
export function seededRandom(seed: number): RandomSource {
  const rng = createRng(seed)
  return (array) => {
    for (let i = 0; i < array.length; i++) array[i] = rng() * 4294967296
    return array
  }
}
