import { createInsightSums, type InsightSums } from '../../src/reports/estimate'
import { PAGE_CLASS_COUNT } from '../../src/reports/schema'
import type { ReportGroup, SumRow } from '../storage/types'

const PAGE_PAIRS = (PAGE_CLASS_COUNT * (PAGE_CLASS_COUNT - 1)) / 2

/**
 * Adds stored counters (of one report group, any number of days) back into report sums decoded against
 * `pageKeys`. A key whose page answers were not all decoded against it (it became a candidate after the raw
 * reports of some day were purged) is left out and returned in `partial`, rather than estimated from part of
 * the answers.
 */
export function countersToSums(
  group: Omit<ReportGroup, 'day'>,
  rows: readonly SumRow[],
  pageKeys: readonly string[],
): { sums: InsightSums; partial: string[] } {
  const cells = new Map<string, number>()
  for (const row of rows) cells.set(row.counter, (cells.get(row.counter) ?? 0) + row.value)
  const cell = (...path: (string | number)[]) => cells.get(JSON.stringify(path)) ?? 0
  const pageN = cell('page', 'n')
  const complete = pageKeys.filter((key) => cell('page', 'decoded', key) === pageN)
  const partial = pageKeys.filter((key) => cell('page', 'decoded', key) !== pageN)
  const sums = createInsightSums(group, group.epsilon, complete)
  sums.reports = cell('reports')
  for (const q of ['segment', 'value', 'outcome', 'arm'] as const) {
    sums[q].n = cell(q, 'n')
    for (let j = 0; j < sums[q].counts.length; j++) sums[q].counts[j] = cell(q, j)
  }
  sums.page.n = pageN
  sums.page.support[complete.length * PAGE_CLASS_COUNT] = cell('page', 'empty')
  complete.forEach((key, k) => {
    for (let c = 0; c < PAGE_CLASS_COUNT; c++) sums.page.support[k * PAGE_CLASS_COUNT + c] = cell('page', 'support', key, c)
    for (let p = 0; p < PAGE_PAIRS; p++) sums.page.pairs[k * PAGE_PAIRS + p] = cell('page', 'pairs', key, p)
  })
  return { sums, partial }
}
