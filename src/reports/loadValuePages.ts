import { SegletError } from '../errors'
import type { TextCache } from '../lib/loadVerifiedText'
import { loadVerifiedText } from '../lib/loadVerifiedText'
import { isValuePageList } from './lib/isValuePageList'
import { PAGE_STATS_TABLE_SOURCE } from './loadPageStatsTable'

/**
 * The page keys the page-value question may ask about: the `valuePages` of the shop's page-statistics table
 * (`capture: { pageStatsUrl, pageStatsIntegrity }`), loaded as the model part loads the table: the verified
 * copy this browser cached, else one same-origin request checked against `pageStatsIntegrity` (and cached).
 * The report part loads it itself because the model part only does once a session can be decided, and a
 * bounce never is: which questions a report may answer must depend on the shop's setup alone, never on how
 * the shopper browsed. Only the list is read (the model part validates the rest of the table when it uses
 * it). An empty list when the shop configures no table, the table has no valid list, or it cannot be loaded
 * (`report`ed).
 *
 * @example
 * encodeReport(truth, context, { valuePages: await loadValuePages(store, options.capture, report) })
 */
export async function loadValuePages(
  cache: TextCache,
  capture: { pageStatsUrl?: string; pageStatsIntegrity?: string } | undefined,
  report: (error: SegletError) => void,
): Promise<string[]> {
  if (capture?.pageStatsUrl === undefined) return []
  try {
    return await loadVerifiedText(capture.pageStatsUrl, {
      ...PAGE_STATS_TABLE_SOURCE,
      integrity: capture.pageStatsIntegrity!,
      cache,
      parse: (text) => {
        const list: unknown = JSON.parse(text)?.valuePages
        return isValuePageList(list) ? list : []
      },
    })
  } catch (error) {
    report(error instanceof SegletError ? error : new SegletError('table_invalid', String(error), { cause: error }))
    return []
  }
}
