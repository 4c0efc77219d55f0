// The seeded uniform [0, 1) generator (mulberry32) of the benchmarks, scripts and browser tests: the same
// seed gives the same sequence on every run. training/rng.ts is the same generator for the training code.

/** @param {number} seed @returns {() => number} */
export function mulberry32(seed) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
