import type { PageStats } from '../../events/types'
import type { PageStatsSource } from '../types'
import { hasOwn } from '../../lib/hasOwn'

/**
 * Page statistics for the current page: `<meta name="seglet:page-stats">` first (read with `read`, the
 * bridges' reader; skipped without it), then the `pageStats` option (a table keyed by path and query, then by
 * path; or a function). Validation happens with the page view.
 */
export function resolvePageStats(doc: Document, url: string, source: PageStatsSource | undefined, read?: (doc: Document) => PageStats | undefined): PageStats | undefined {
  const stats = read?.(doc)
  if (stats) return stats
  if (typeof source === 'function') return source(url)
  if (!source) return undefined
  if (hasOwn(source, url)) return source[url]
  const path = url.split('?')[0]
  return hasOwn(source, path) ? source[path] : undefined
}
