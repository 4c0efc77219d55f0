import type { InsightSums } from '../../src/reports/estimate'
import { pageKeyListId } from './pageKeyListId'
import { sumsParts } from './sumsShape'

/** The counter of the reports a group's sums add up (every report adds 1). */
export const REPORTS_COUNTER = JSON.stringify(['reports'])

/**
 * Turns report sums into stored counters: one [counter, amount] per non-zero cell, each counter a JSON path.
 * Page cells are named by page key, not by position, so sums decoded against different candidate lists still
 * line up; `decoded` counts the page answers each key was decoded against, so a key added later is never read
 * as "never viewed".
 */
export function sumsToCounters(sums: InsightSums): [string, number][] {
  const out: [string, number][] = []
  const put = (path: (string | number)[], value: number) => {
    if (value !== 0) out.push([counterName(path), value])
  }
  put(['reports'], sums.reports) // REPORTS_COUNTER
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

// Every summing pass names the same thousand-odd counters: their JSON is made once per process.
const names = new Map<string, string>()
const MAX_NAMES = 200_000

/** The counter of a path, its JSON text (`["pageView","support","home",0]`). */
function counterName(path: (string | number)[]): string {
  // Length-prefixed parts: no two paths share a key, whatever characters a page key holds.
  let key = ''
  for (const part of path) key += typeof part === 'number' ? `#${part}` : `${part.length}:${part}`
  let name = names.get(key)
  if (name === undefined) {
    name = JSON.stringify(path)
    if (names.size >= MAX_NAMES) names.clear()
    names.set(key, name)
  }
  return name
}
