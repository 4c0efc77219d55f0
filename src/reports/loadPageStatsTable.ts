import { CACHE_META_PREFIX } from '../store/constants'
import { SegletError } from '../errors'
import type { TextCache, VerifiedTextFailure } from '../lib/loadVerifiedText'
import { loadVerifiedText } from '../lib/loadVerifiedText'
import type { PageStatsTable } from './pageStatsTable'
import { MAX_PAGE_STATS_TABLE_BYTES, PAGE_STATS_TABLE_VERSION, parsePageStatsTable } from './pageStatsTable'

/**
 * Cache key of the page-statistics table, versioned with the table format. One entry whatever the table's URL:
 * a shop that publishes each day's table at a new URL (a date or content hash in its name or query string)
 * replaces the old one instead of keeping every table it ever published. The integrity hash, not the key,
 * decides whether the entry is the table asked for.
 */
// A cache, not data about the shopper: the prefix keeps it out of `exportData()`.
export const pageStatsTableCacheKey = (): string => `${CACHE_META_PREFIX}page-stats@${PAGE_STATS_TABLE_VERSION}`

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
  return loadVerifiedText(url, { ...PAGE_STATS_TABLE_SOURCE, ...options, parse: parsePageStatsTable })
}

/**
 * How the page-statistics table is loaded, whoever reads it: its cache key, size cap and error codes. The report
 * part reads only its `valuePages` with these (loadValuePages()), without the full table parser.
 */
export const PAGE_STATS_TABLE_SOURCE = {
  what: 'page-statistics table',
  cacheKey: pageStatsTableCacheKey,
  maxBytes: MAX_PAGE_STATS_TABLE_BYTES,
  fail: (kind: VerifiedTextFailure, message: string, cause?: unknown) => new SegletError(`table_${kind}`, message, { cause }),
}
