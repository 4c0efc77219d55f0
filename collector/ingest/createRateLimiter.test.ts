// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { createRateLimiter } from './createRateLimiter'

describe('createRateLimiter', () => {
  it('forgets an address once its bucket has refilled, and limits exactly as if it had kept it', () => {
    let time = 1_000_000
    const limiter = createRateLimiter({ perMinute: 60, burst: 5, now: () => time })
    for (let i = 0; i < 5; i++) expect(limiter.take('198.51.100.1')).toBe(true)
    expect(limiter.take('198.51.100.1')).toBe(false)
    expect(limiter.take('198.51.100.2')).toBe(true)
    // 4 s later: 4 tokens back, not yet full, so still held and still limited.
    time += 4000
    expect(limiter.take('203.0.113.9')).toBe(true)
    expect(limiter.size).toBe(3)
    for (let i = 0; i < 4; i++) expect(limiter.take('198.51.100.1')).toBe(true)
    expect(limiter.take('198.51.100.1')).toBe(false)
    expect(limiter.retryAfter('198.51.100.1')).toBe(1)
    // Once every bucket but the newest is full again, the next request leaves only the addresses it still limits.
    time += 5000
    expect(limiter.take('192.0.2.1')).toBe(true)
    expect(limiter.size).toBe(1)
    for (let i = 0; i < 5; i++) expect(limiter.take('198.51.100.1')).toBe(true)
    expect(limiter.take('198.51.100.1')).toBe(false)
  })

  it('does not refuse an address because the server clock was set back (an NTP step, a restored VM)', () => {
    let time = 1_000_000_000
    const limiter = createRateLimiter({ perMinute: 60, burst: 5, now: () => time })
    expect(limiter.take('198.51.100.1')).toBe(true)
    time -= 10 * 60_000
    for (let i = 0; i < 4; i++) expect(limiter.take('198.51.100.1')).toBe(true)
    expect(limiter.take('198.51.100.1')).toBe(false)
    expect(limiter.retryAfter('198.51.100.1')).toBe(1)
    // From the new time on, tokens come back as before.
    time += 2000
    expect(limiter.take('198.51.100.1')).toBe(true)
    expect(limiter.take('198.51.100.1')).toBe(true)
    expect(limiter.take('198.51.100.1')).toBe(false)
  })
})
