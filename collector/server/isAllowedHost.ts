/** An IPv4 loopback address (127.0.0.0/8), as is or IPv4-mapped. */
const LOOPBACK_V4 = /^(?:::ffff:)?127(?:\.\d{1,3}){3}$/i

/** True when `address` (a connection's local address, as Node.js gives it) is one of this machine's loopback addresses. */
export function isLoopbackAddress(address: string | undefined): boolean {
  return address !== undefined && (address === '::1' || LOOPBACK_V4.test(address))
}

/**
 * True when a connection comes from this machine over an address a page of another site can make its own name
 * resolve to: a loopback address, or this machine's own network address (listening on all addresses, a browser
 * on this machine reaches it there too, its connection then coming from that same address).
 */
export function isFromThisMachine(socket: { localAddress?: string; remoteAddress?: string } | undefined): boolean {
  const local = socket?.localAddress
  return isLoopbackAddress(local) || (local !== undefined && socket?.remoteAddress === local)
}

/** `name` or `[v6]`, then an optional port: the parts of a Host header. */
const HOST = /^(\[[^\]]*\]|[^:[\]]*)(?::\d*)?$/

/**
 * True when a `Host` header names a host this collector answers for: a loopback name or address (`localhost`,
 * `*.localhost`, `127.x.x.x`, `[::1]`, any port), one of `allowed` (`toAllowedHost`'s form), or `local`, the address
 * the connection reached (`192.0.2.2`, `[fd00::2]`; an IPv4-mapped one as IPv4), which a proxy on this machine
 * forwarding to that address names by default. The names no page of another site can make resolve to this machine
 * after it loaded: DNS rebinding gives the attacker's own name, never an address.
 * A request without a Host (HTTP/1.0, an empty one) is taken: a browser always sends the host it connected to.
 *
 * @example
 * isAllowedHost('192.0.2.2:8787', [], '::ffff:192.0.2.2') // true
 */
export function isAllowedHost(header: string | undefined, allowed: readonly string[], local?: string): boolean {
  if (header === undefined || header === '') return true
  const match = HOST.exec(header.toLowerCase())
  if (!match) return false
  const host = match[1].replace(/\.$/, '')
  return (
    host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host) || allowed.includes(host) ||
    (local !== undefined && host === hostOfAddress(local.toLowerCase()))
  )
}

/** A connection's address as a Host names it: IPv4 as is (an IPv4-mapped one unmapped), IPv6 in brackets. */
const hostOfAddress = (address: string): string => {
  const v4 = /^(?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address)
  return v4 ? v4[1] : `[${address}]`
}
