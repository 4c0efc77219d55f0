import { sameOriginUrl } from '../lib/sameOriginUrl'
import { pageStatsTableCacheKey } from './loadPageStatsTable'
import { isValuePageList } from './lib/isValuePageList'

/**
 * The page keys the page-value question may ask about: the `valuePages` of the shop's page-statistics table
 * (`capture: { pageStatsUrl, pageStatsIntegrity }`) as this browser already holds it — the copy the table
 * loader verified against `pageStatsIntegrity`, validated and cached. Makes no request; an empty list when the
 * shop configures no table, the cached copy is of another integrity, or the table has no list.
 *
 * @example
 * encodeReport(truth, context, { valuePages: await readValuePages(store, options.capture) })
 */
export async function readValuePages(
  store: { getMeta(key: string): Promise<unknown> },
  capture: { pageStatsUrl?: string; pageStatsIntegrity?: string } | undefined,
): Promise<string[]> {
  const href = capture?.pageStatsUrl === undefined ? undefined : sameOriginUrl(capture.pageStatsUrl)
  if (!href) return []
  const cached = (await store.getMeta(pageStatsTableCacheKey(href)).catch(() => undefined)) as { integrity?: unknown; text?: unknown } | undefined
  if (!cached || cached.integrity !== capture!.pageStatsIntegrity || typeof cached.text !== 'string') return []
  try {
    const list: unknown = JSON.parse(cached.text).valuePages
    // The loader validated the table before caching it; this only keeps what encodeReport accepts.
    return isValuePageList(list) ? list : []
  } catch {
    return []
  }
}
