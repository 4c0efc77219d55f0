/**
 * True when a browser fetches a signed-in read (`insights.json`) for a page of another site: `Sec-Fetch-Site`
 * `cross-site` or `same-site`, other than a top-level navigation (a link followed). No collector answer carries CORS
 * headers, so such a page can never read the answer; it could only make the shop's signed-in browser work out the
 * estimates (hundreds of milliseconds each, as often as it likes) and time them or watch their size. A request without
 * the header (a script, a server, a browser older than fetch metadata) is not one.
 *
 * @example
 * isCrossSiteRead((name) => ({ 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' })[name] ?? null) // true
 */
export function isCrossSiteRead(header: (name: string) => string | null): boolean {
  const site = header('sec-fetch-site')
  if (site !== 'cross-site' && site !== 'same-site') return false
  return !(header('sec-fetch-mode') === 'navigate' && header('sec-fetch-dest') === 'document')
}
