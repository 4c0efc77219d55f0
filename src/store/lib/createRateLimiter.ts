/**
 * A token bucket: the returned function says whether one more event may go now. `burst` events may go at
 * once; after that `perSecond` (either may be `Infinity`). Reads the clock on each call, no timers.
 *
 * @example
 * const allow = createRateLimiter(1000, 20)
 * if (!allow()) dropped++
 */
export function createRateLimiter(burst: number, perSecond: number, now: () => number = Date.now): () => boolean {
  let tokens = burst
  let last = now()
  return () => {
    const t = now()
    // Only forward in time: a clock set back must not refill the bucket, nor `0 * Infinity` make it NaN.
    if (t > last) tokens = Math.min(burst, tokens + ((t - last) * perSecond) / 1000)
    last = t
    if (tokens < 1) return false
    tokens--
    return true
  }
}
