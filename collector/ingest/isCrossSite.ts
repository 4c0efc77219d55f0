/**
 * True when a request to the report endpoint comes from another site. The SDK posts to a same-origin path, so
 * the browser marks its requests `Sec-Fetch-Site: same-origin` (or sends no Origin at all for a beacon from
 * older browsers); a page elsewhere posting reports into this shop's statistics is refused. `allowedOrigins`
 * names the shop's public origins when the collector sits behind a proxy under another host name.
 */
export function isCrossSite(header: (name: string) => string | null, allowedOrigins: readonly string[]): boolean {
  const origin = header('origin')
  const site = header('sec-fetch-site')
  if (origin !== null && origin !== 'null' && allowedOrigins.includes(origin)) return false
  // A browser's own statement; pages cannot set it. Behind the shop's proxy the Host may differ from the Origin.
  if (site !== null) return site !== 'same-origin' && site !== 'none'
  if (origin === null) return false
  if (origin === 'null') return true
  try {
    return new URL(origin).host !== header('host')
  } catch {
    return true
  }
}
