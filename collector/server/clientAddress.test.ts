// @vitest-environment node
import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { rateLimitKeys } from '../ingest/rateLimitKey'
import { clientAddress } from './clientAddress'

const request = { socket: { remoteAddress: '10.0.0.2' } } as unknown as IncomingMessage
const forwarded = (value: string) => clientAddress(request, (name) => (name === 'x-forwarded-for' ? value : null), true)

describe('clientAddress behind the shop proxy', () => {
  it('takes the last address the proxy appended', () => {
    expect(forwarded('198.51.100.1, 203.0.113.9')).toBe('203.0.113.9')
    expect(forwarded('2001:db8:1:2::7')).toBe('2001:db8:1:2::7')
    expect(clientAddress(request, () => null, true)).toBe('10.0.0.2')
    expect(clientAddress(request, () => '203.0.113.9', false)).toBe('10.0.0.2')
  })

  // Some proxies (Azure Application Gateway, for one) append the client's port as well: each connection a shopper
  // opens would otherwise be a client of its own to the rate limit and the replay check.
  it('leaves out the port a proxy appends to the address', () => {
    expect(forwarded('198.51.100.1, 203.0.113.9:51234')).toBe('203.0.113.9')
    expect(forwarded('[2001:db8:1:2::7]:443')).toBe('2001:db8:1:2::7')
    expect(forwarded('[2001:db8:1:2::7]')).toBe('2001:db8:1:2::7')
    expect(rateLimitKeys(forwarded('[2001:db8:1:2::7]:443'))).toEqual(rateLimitKeys(forwarded('[2001:db8:1:2::8]:444')))
    expect(forwarded('203.0.113.9:51234')).toBe(forwarded('203.0.113.9:60001'))
  })

  // A CDN in front of the load balancer: the CDN appends the shopper, the load balancer the CDN edge. Trusting
  // one hop would give every shopper behind one edge the edge's address (one rate-limit bucket, one replay check).
  it('takes the address as many hops back as the proxies it is told to trust, and never one a client wrote', () => {
    const hops = (value: string, n: number) => clientAddress(request, (name) => (name === 'x-forwarded-for' ? value : null), n)
    expect(hops('198.51.100.1, 203.0.113.9', 1)).toBe('203.0.113.9')
    expect(hops('198.51.100.1, 203.0.113.9', 2)).toBe('198.51.100.1')
    // A shopper's own X-Forwarded-For stays to the left of what the proxies appended.
    expect(hops('6.6.6.6, 198.51.100.1:4431, 203.0.113.9', 2)).toBe('198.51.100.1')
    expect(hops('6.6.6.6, 198.51.100.1, 203.0.113.9', 3)).toBe('6.6.6.6')
    // Fewer addresses than hops (a request that reached a proxy past the first one): the farthest one given.
    expect(hops('203.0.113.9', 2)).toBe('203.0.113.9')
    expect(hops('203.0.113.9', 0)).toBe('10.0.0.2')
    expect(clientAddress(request, () => null, 2)).toBe('10.0.0.2')
  })
})
