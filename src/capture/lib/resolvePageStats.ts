import type { PageStats } from '../../events/types'
import type { PageStatsSource } from '../types'
import type { parsePageStats } from './parsePageStats'
import { readMeta } from './readMeta'
import { hasOwn } from '../../lib/hasOwn'

/**
 * Page statistics for the current page: `<meta name="seglet:page-stats">` first (read with `parse`, the
 * bridges' parser; skipped without it), then the `pageStats` option (a table keyed by path and query, then by
 * path; or a function). Validation happens with the page view.
 */
export function resolvePageStats(doc: Document, url: string, source: PageStatsSource | undefined, parse?: typeof parsePageStats): PageStats | undefined {
  const meta = parse && readMeta(doc, 'seglet:page-stats')
  if (meta) {
    const stats = parse(meta)
    if (stats) return stats
  }
  if (typeof source === 'function') return source(url)
  if (!source) return undefined
  if (hasOwn(source, url)) return source[url]
  const path = url.split('?')[0]
  return hasOwn(source, path) ? source[path] : undefined
}
