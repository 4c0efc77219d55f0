/** Options of `createRateLimiter`. */
export interface RateLimiterOptions {
  /**
   * Requests one client address may make per minute, sustained.
   * @default 60
   */
  perMinute?: number
  /**
   * Requests one client address may make at once before the rate applies.
   * @default 20
   */
  burst?: number
  /**
   * Most addresses held at once; past it the idlest buckets are forgotten first. A bucket that has refilled is
   * forgotten at the next request (a full bucket limits nothing), so an address is held only while its bucket refills.
   * @default 100000
   */
  maxClients?: number
  /** Clock, for tests. @default Date.now */
  now?: () => number
}

/** A token bucket per client address, held in memory only: addresses are never stored or logged. */
export interface RateLimiter {
  /** Takes one token for `client`; false when its bucket is empty (answer 429). */
  take(client: string): boolean
  /** Seconds until `client` has a token again (for Retry-After). */
  retryAfter(client: string): number
  /** Clients held now. */
  readonly size: number
}

/**
 * Creates the per-client token bucket that keeps one client's flood from crowding out everyone else.
 *
 * @example
 * const limiter = createRateLimiter({ perMinute: 60, burst: 20 })
 * if (!limiter.take(address)) return c.body(null, 429)
 */
export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  const perMinute = options.perMinute ?? 60
  const burst = options.burst ?? 20
  const maxClients = options.maxClients ?? 100_000
  const now = options.now ?? Date.now
  const perMs = perMinute / 60_000
  // Map keeps insertion order; a bucket is re-inserted on use, so the first entries are the idlest.
  const buckets = new Map<string, { tokens: number; at: number }>()

  const refill = (client: string) => {
    const time = now()
    const bucket = buckets.get(client)
    if (!bucket) return { tokens: burst, at: time }
    // Only forward in time: a clock set back must not take tokens away (nor give any).
    return { tokens: Math.min(burst, bucket.tokens + Math.max(0, time - bucket.at) * perMs), at: time }
  }

  return {
    take(client) {
      const bucket = refill(client)
      buckets.delete(client)
      // The idlest first: drop the buckets that are full again (the same as none), so no address stays in memory
      // once it is not limited. The first one not yet full stops the sweep; the next requests take up from it.
      for (const [key, idle] of buckets) {
        if (idle.tokens + Math.max(0, bucket.at - idle.at) * perMs < burst) break
        buckets.delete(key)
      }
      if (bucket.tokens < 1) {
        buckets.set(client, bucket)
        return false
      }
      bucket.tokens -= 1
      buckets.set(client, bucket)
      while (buckets.size > maxClients) buckets.delete(buckets.keys().next().value as string)
      return true
    },
    retryAfter(client) {
      const bucket = refill(client)
      return bucket.tokens >= 1 ? 0 : Math.ceil((1 - bucket.tokens) / perMs / 1000)
    },
    get size() {
      return buckets.size
    },
  }
}
