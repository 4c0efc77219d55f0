import type { IncomingMessage } from 'node:http'

/** `a.b.c.d:port` or `[v6]:port` (or `[v6]`), as some proxies append the client to X-Forwarded-For. */
const WITH_PORT = /^(?:(\d{1,3}(?:\.\d{1,3}){3}):\d+|\[([^\]]+)\](?::\d+)?)$/

/**
 * The address a request came from, for the in-memory rate limit and replay guard only (never stored or logged).
 * Behind the shop's reverse proxy (`trustProxy`), the last address the proxy appended to X-Forwarded-For, without
 * the port some proxies append to it (each of a shopper's connections would otherwise count as another client).
 */
export function clientAddress(incoming: IncomingMessage | undefined, header: (name: string) => string | null, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = header('x-forwarded-for')
    const last = forwarded?.split(',').pop()?.trim()
    if (last) {
      const port = WITH_PORT.exec(last)
      return port ? (port[1] ?? port[2])! : last
    }
  }
  return incoming?.socket?.remoteAddress ?? 'unknown'
}
