import { SegletError } from '../errors'
import type { TextCache } from '../lib/loadVerifiedText'
import { loadVerifiedText } from '../lib/loadVerifiedText'
import type { PageStatsTable } from './pageStatsTable'
import { MAX_PAGE_STATS_TABLE_BYTES, PAGE_STATS_TABLE_VERSION, parsePageStatsTable } from './pageStatsTable'

/** Cache key of a page-statistics table URL, versioned with the table format. */
export const pageStatsTableCacheKey = (href: string): string => `page-stats@${PAGE_STATS_TABLE_VERSION}:${href}`

/**
 * Loads the collector's page-statistics table (`capture: { pageStatsUrl, pageStatsIntegrity }`) as a model
 * pack is loaded: same origin only, no redirect, at most `MAX_PAGE_STATS_TABLE_BYTES`, the bytes checked
 * against `integrity` before they are parsed, then validated and cached (the next page load makes no
 * request). Rejects with a `SegletError`: `table_origin`, `table_load_failed`, `table_integrity` or
 * `table_invalid`; an `OptionsError` for a malformed `integrity`.
 *
 * @example
 * const table = await loadPageStatsTable('/seglet/page-stats.json', { integrity: 'sha256-…', cache: store })
 */
export function loadPageStatsTable(url: string, options: { integrity: string; cache?: TextCache }): Promise<PageStatsTable> {
  return loadVerifiedText(url, {
    integrity: options.integrity,
    what: 'page-statistics table',
    cache: options.cache,
    cacheKey: pageStatsTableCacheKey,
    maxBytes: MAX_PAGE_STATS_TABLE_BYTES,
    parse: parsePageStatsTable,
    fail: (kind, message, cause) => new SegletError(`table_${kind}`, message, { cause }),
  })
}
