import { createRateLimiter, type RateLimiterOptions } from './createRateLimiter'
import { rateLimitKeys } from './rateLimitKey'

/** How many times the rate and burst of one /64 the /56 and the /48 holding it get. */
export const WIDER_NETWORK_TIMES = [4, 16] as const

/** The rate limit of report senders, by address (see {@link createClientLimiter}). */
export interface ClientLimiter {
  /** Takes a token for a report from `address`; false when one of its buckets is empty (answer 429). */
  take(address: string): boolean
  /** Seconds until a report from `address` would be taken again (for Retry-After). */
  retryAfter(address: string): number
}

/**
 * Token buckets of report senders, held in memory only: one per IPv4 address and per IPv6 /64 at `perMinute` and
 * `burst`, and, as one IPv6 customer holds many /64s, one per /56 at 4 times that and one per /48 at 16 times, which
 * a report from IPv6 also takes a token from. A home connection's 256 /64s then send as 4 addresses, not 256; a
 * carrier's shoppers, each on a /64 of a shared range, are far below that, as each browser sends one report a day.
 * The narrowest bucket is taken from first: a report refused by it takes nothing from its neighbours' wider ones.
 *
 * @example
 * const limiter = createClientLimiter({ perMinute: 60, burst: 20 })
 * if (!limiter.take(address)) return { status: 429, retryAfter: limiter.retryAfter(address) }
 */
export function createClientLimiter(options: RateLimiterOptions = {}): ClientLimiter {
  const perMinute = options.perMinute ?? 60
  const burst = options.burst ?? 20
  const levels = [1, ...WIDER_NETWORK_TIMES].map((times) => createRateLimiter({ ...options, perMinute: perMinute * times, burst: burst * times }))
  return {
    take: (address) => rateLimitKeys(address).every((key, level) => levels[level]!.take(key)),
    retryAfter: (address) => Math.max(...rateLimitKeys(address).map((key, level) => levels[level]!.retryAfter(key))),
  }
}
