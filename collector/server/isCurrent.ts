/**
 * True when an `If-None-Match` header (of a GET or HEAD) names `etag` among its entity tags, weak (`W/"…"`) or
 * strong, or is `*` (any current file): the client's copy is the current file (RFC 9110, 13.1.2, the weak
 * comparison). Each tag is read whole, quotes and all, so a comma inside one does not split it.
 *
 * @example
 * isCurrent('W/"sha256-x", "other"', '"sha256-x"') // true
 */
export function isCurrent(ifNoneMatch: string | null | undefined, etag: string | null | undefined): boolean {
  if (ifNoneMatch === undefined || ifNoneMatch === null || !etag) return false
  if (ifNoneMatch.trim() === '*') return true
  const opaque = etag.replace(/^W\//, '')
  for (const [, tag] of ifNoneMatch.matchAll(/(?:W\/)?("[^"]*")/g)) if (tag === opaque) return true
  return false
}
