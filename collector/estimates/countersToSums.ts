import type { InsightSums } from '../../src/reports/estimate'
import type { ReportGroup, SumRow } from '../storage/types'
import { cellsToSums } from './cellsToSums'

/**
 * Adds stored counters (of one report group, any number of days) back into report sums decoded against
 * `pageKeys`. `lists` names the candidate lists page answers were decoded against (`pageKeyListId`). A key whose
 * page answers were not all decoded against it (it became a candidate after the raw reports of some day were
 * purged) is left out and returned in `partial`, rather than estimated from part of the answers.
 */
export function countersToSums(
  group: Omit<ReportGroup, 'day'>,
  rows: readonly SumRow[],
  pageKeys: readonly string[],
  lists: Readonly<Record<string, readonly string[]>>,
): { sums: InsightSums; partial: string[] } {
  const cells = new Map<string, number>()
  for (const row of rows) cells.set(row.counter, (cells.get(row.counter) ?? 0) + row.value)
  return cellsToSums(group, cells, pageKeys, lists)
}
