// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { createClientLimiter } from './createClientLimiter'
import { rateLimitKeys } from './rateLimitKey'

describe('rateLimitKeys', () => {
  it('keys an IPv4 address alone, and an IPv6 one by its /64, /56 and /48, however it is written', () => {
    expect(rateLimitKeys('198.51.100.7')).toEqual(['198.51.100.7'])
    expect(rateLimitKeys('::ffff:198.51.100.7')).toEqual(['198.51.100.7'])
    expect(rateLimitKeys('2001:db8:1:2ab::7')).toEqual(['2001:db8:1:2ab::/64', '2001:db8:1:200::/56', '2001:db8:1::/48'])
    expect(rateLimitKeys('2001:0DB8:0001:02AB:0:0:0:7%eth0')).toEqual(['2001:db8:1:2ab::/64', '2001:db8:1:200::/56', '2001:db8:1::/48'])
    expect(rateLimitKeys('2001:db8::1')).toEqual(['2001:db8:0:0::/64', '2001:db8:0:0::/56', '2001:db8:0::/48'])
  })
})

describe('createClientLimiter', () => {
  it('refuses past a /64\'s burst without taking from its /56, and tells when a report is taken again', () => {
    let time = 0
    const limiter = createClientLimiter({ perMinute: 60, burst: 2, now: () => time })
    const take = (address: string) => limiter.take(address)
    // One /64 floods: 2 taken, the rest refused, and those refusals leave its /56 (burst 8) 6 tokens.
    expect(['a', 'b', 'c', 'd', 'e'].map((h) => take(`2001:db8:1:200::${h}`))).toEqual([true, true, false, false, false])
    expect(Array.from({ length: 7 }, (_, i) => take(`2001:db8:1:2${(i + 1).toString(16).padStart(2, '0')}::1`))).toEqual([true, true, true, true, true, true, false])
    // The /56 is empty: 1 s for its next token (60 a minute × 4), against the /64's own.
    expect(limiter.retryAfter('2001:db8:1:2ff::1')).toBe(1)
    time += 1000
    expect(take('2001:db8:1:2ff::1')).toBe(true)
  })
})
