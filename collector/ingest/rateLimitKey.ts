import { isIPv6 } from 'node:net'

const MAPPED_IPV4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i

/**
 * The client a report counts against for the rate limit: an IPv4 address itself (also when a dual-stack socket
 * shows it as `::ffff:a.b.c.d`), and for IPv6 its /64 network. One host holds a whole /64 (privacy addresses
 * rotate within it), so keyed by the full address a single machine could send every report from a new one.
 *
 * @example
 * rateLimitKey('2001:db8:1:2::7') // '2001:db8:1:2::/64'
 */
export function rateLimitKey(address: string): string {
  const mapped = MAPPED_IPV4.exec(address)
  if (mapped) return mapped[1]!
  const bare = address.split('%')[0]!
  if (!isIPv6(bare)) return address
  const [head = '', tail] = bare.toLowerCase().split('::')
  const groups = (part: string | undefined) => (part ? part.split(':') : [])
  const before = groups(head)
  // A trailing dotted IPv4 part stands for two groups; `::` fills whatever is missing with zeros.
  const after = groups(tail)
  const width = [...before, ...after].reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0)
  const full = tail === undefined ? before : [...before, ...Array<string>(8 - width).fill('0'), ...after]
  return `${full.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`
}
