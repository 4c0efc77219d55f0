import { PAGE_CLASS_COUNT } from '../../src/reports/schema'
import type { InsightSums } from '../../src/reports/estimate'

const FINITE = ['segment', 'value', 'outcome', 'arm'] as const
/** Pairs of page classes per key in `InsightSums.page.pairs`. */
const PAGE_PAIRS = (PAGE_CLASS_COUNT * (PAGE_CLASS_COUNT - 1)) / 2

/**
 * Turns report sums into stored counters: one [counter, amount] per non-zero cell. Page cells are named by
 * page key, not by position, so sums decoded against different candidate lists still line up; `decoded` counts
 * the page answers each key was decoded against, so a key added later is never read as "never viewed".
 */
export function sumsToCounters(sums: InsightSums): [string, number][] {
  const out: [string, number][] = []
  const put = (path: (string | number)[], value: number) => {
    if (value !== 0) out.push([JSON.stringify(path), value])
  }
  put(['reports'], sums.reports)
  for (const q of FINITE) {
    put([q, 'n'], sums[q].n)
    sums[q].counts.forEach((value, j) => put([q, j], value))
  }
  put(['page', 'n'], sums.page.n)
  put(['page', 'empty'], sums.page.support[sums.pageKeys.length * PAGE_CLASS_COUNT] ?? 0)
  sums.pageKeys.forEach((key, k) => {
    put(['page', 'decoded', key], sums.page.n)
    for (let c = 0; c < PAGE_CLASS_COUNT; c++) put(['page', 'support', key, c], sums.page.support[k * PAGE_CLASS_COUNT + c]!)
    for (let p = 0; p < PAGE_PAIRS; p++) put(['page', 'pairs', key, p], sums.page.pairs[k * PAGE_PAIRS + p]!)
  })
  return out
}
