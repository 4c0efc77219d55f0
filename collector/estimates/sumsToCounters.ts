import type { InsightSums } from '../../src/reports/estimate'
import { pageKeyListId } from './pageKeyListId'
import { sumsParts } from './sumsShape'

/**
 * Turns report sums into stored counters: one [counter, amount] per non-zero cell, each counter a JSON path.
 * Page cells are named by page key, not by position, so sums decoded against different candidate lists still
 * line up; `decoded` counts the page answers each key was decoded against, so a key added later is never read
 * as "never viewed".
 */
export function sumsToCounters(sums: InsightSums): [string, number][] {
  const out: [string, number][] = []
  const put = (path: (string | number)[], value: number) => {
    if (value !== 0) out.push([JSON.stringify(path), value])
  }
  put(['reports'], sums.reports)
  const { finite, pages } = sumsParts(sums)
  for (const [q, part] of finite) {
    put([q, 'n'], part.n)
    part.counts.forEach((value, j) => put([q, j], value))
  }
  const keys = sums.pageKeys
  const listId = pageKeyListId(keys)
  for (const [q, part] of pages) {
    const classes = (part.support.length - 1) / Math.max(1, keys.length)
    put([q, 'n'], part.n)
    put([q, 'empty'], part.support[part.support.length - 1]!)
    put([q, 'decoded', listId], part.n)
    keys.forEach((key, k) => {
      for (let c = 0; c < classes; c++) put([q, 'support', key, c], part.support[k * classes + c]!)
      for (const [name, cells] of Object.entries(part)) {
        if (name === 'support' || !Array.isArray(cells)) continue
        const per = cells.length / Math.max(1, keys.length)
        for (let i = 0; i < per; i++) put([q, name, key, i], cells[k * per + i]!)
      }
    })
  }
  return out
}
