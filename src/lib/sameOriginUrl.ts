/**
 * The absolute form of `url` when it is on the page's own origin and carries no user name or password;
 * `undefined` otherwise, and always without a page (no origin to compare with: refuse rather than guess).
 * The one check behind every request Seglet may make: the shop's model packs, its page-statistics table and
 * its private-report endpoint.
 *
 * @example
 * sameOriginUrl('/seglet/reports') // 'https://shop.example/seglet/reports' on https://shop.example/…
 * sameOriginUrl('https://collector.example/r') // undefined
 */
export function sameOriginUrl(url: unknown): string | undefined {
  const page = typeof location !== 'undefined' ? location : undefined
  if (!page || typeof url !== 'string' || url.trim() === '') return undefined
  try {
    const parsed = new URL(url, page.href)
    return parsed.origin === page.origin && !parsed.username && !parsed.password ? parsed.href : undefined
  } catch {
    return undefined
  }
}
