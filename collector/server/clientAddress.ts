import type { IncomingMessage } from 'node:http'

/** `a.b.c.d:port` or `[v6]:port` (or `[v6]`), as some proxies append the client to X-Forwarded-For. */
const WITH_PORT = /^(?:(\d{1,3}(?:\.\d{1,3}){3}):\d+|\[([^\]]+)\](?::\d+)?)$/

/**
 * The address a request came from, for the in-memory rate limit and replay guard only (never stored or logged).
 * Behind the shop's reverse proxies (`trustProxy`: `true` or a number of hops), the address the farthest trusted
 * proxy appended to X-Forwarded-For: the last one behind one proxy, the one before it behind two (a CDN, then a load
 * balancer that appends the CDN edge), the first one given when there are fewer; without the port some proxies
 * append to it (each of a shopper's connections would otherwise count as another client).
 */
export function clientAddress(incoming: IncomingMessage | undefined, header: (name: string) => string | null, trustProxy: boolean | number): string {
  const hops = trustProxy === true ? 1 : trustProxy === false ? 0 : trustProxy
  if (hops > 0) {
    const forwarded = header('x-forwarded-for')?.split(',') ?? []
    const address = forwarded[Math.max(0, forwarded.length - hops)]?.trim()
    if (address) {
      const port = WITH_PORT.exec(address)
      return port ? (port[1] ?? port[2])! : address
    }
  }
  return incoming?.socket?.remoteAddress ?? 'unknown'
}
