import type { IncomingMessage } from 'node:http'

/**
 * The address a request came from, for the in-memory rate limit and replay guard only (never stored or logged).
 * Behind the shop's reverse proxy (`trustProxy`), the last address the proxy appended to X-Forwarded-For.
 */
export function clientAddress(incoming: IncomingMessage | undefined, header: (name: string) => string | null, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = header('x-forwarded-for')
    const last = forwarded?.split(',').pop()?.trim()
    if (last) return last
  }
  return incoming?.socket?.remoteAddress ?? 'unknown'
}
