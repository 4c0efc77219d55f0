import { isIPv6 } from 'node:net'

const MAPPED_IPV4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i

/**
 * Every bucket a report counts against, the narrowest first: an IPv4 address itself (also when a dual-stack socket
 * shows it as `::ffff:a.b.c.d`); for IPv6 its /64 (one host holds a whole /64: privacy addresses rotate within it, so
 * keyed by the full address one machine could send every report from a new one), then its /56 and /48, as one
 * customer holds many /64s (a home connection's /56 is 256 of them, a business's /48 65,536).
 *
 * @example
 * rateLimitKeys('2001:db8:1:2ab::7') // ['2001:db8:1:2ab::/64', '2001:db8:1:200::/56', '2001:db8:1::/48']
 */
export function rateLimitKeys(address: string): string[] {
  const mapped = MAPPED_IPV4.exec(address)
  if (mapped) return [mapped[1]!]
  const bare = address.split('%')[0]!
  if (!isIPv6(bare)) return [address]
  const [head = '', tail] = bare.toLowerCase().split('::')
  const groups = (part: string | undefined) => (part ? part.split(':') : [])
  const before = groups(head)
  // A trailing dotted IPv4 part stands for two groups; `::` fills whatever is missing with zeros.
  const after = groups(tail)
  const width = [...before, ...after].reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0)
  const full = tail === undefined ? before : [...before, ...Array<string>(8 - width).fill('0'), ...after]
  const [a, b, c, d] = full.slice(0, 4).map((g) => parseInt(g, 16))
  const hex = (...parts: number[]) => parts.map((p) => p!.toString(16)).join(':')
  return [`${hex(a!, b!, c!, d!)}::/64`, `${hex(a!, b!, c!, d! & 0xff00)}::/56`, `${hex(a!, b!, c!)}::/48`]
}
