import { createInsightSums, type InsightSums } from '../../src/reports/estimate'
import type { ReportGroup } from '../storage/types'
import { sumsParts } from './sumsShape'

/**
 * Report sums decoded against `pageKeys` from counters already added up (counter → amount, one report group, any
 * number of days), as `countersToSums` reads them from stored rows. `lists` names the candidate lists page answers
 * were decoded against (`pageKeyListId`). A key whose page answers were not all decoded against it (it became a
 * candidate after the raw reports of some day were purged) is left out and returned in `partial`, rather than
 * estimated from part of the answers.
 */
export function cellsToSums(
  group: Omit<ReportGroup, 'day'>,
  cells: ReadonlyMap<string, number>,
  pageKeys: readonly string[],
  lists: Readonly<Record<string, readonly string[]>>,
): { sums: InsightSums; partial: string[] } {
  // Each counter's path read once: the questions below look through all of them again.
  const paths = [...cells].map(([counter, value]) => [JSON.parse(counter) as unknown[], value, counter] as const)
  const decoded = new Map<string, Map<string, number>>()
  for (const [path, value] of paths) {
    if (path[1] !== 'decoded') continue
    const question = String(path[0])
    let byKey = decoded.get(question)
    if (!byKey) decoded.set(question, (byKey = new Map()))
    for (const key of lists[String(path[2])] ?? []) byKey.set(key, (byKey.get(key) ?? 0) + value)
  }
  const cell = (...path: (string | number)[]) => cells.get(JSON.stringify(path)) ?? 0
  const empty = createInsightSums(group, group.epsilon, [])
  const pageQuestions = sumsParts(empty).pages.map(([q]) => q)
  const complete = pageKeys.filter((key) => pageQuestions.every((q) => (decoded.get(q)?.get(key) ?? 0) === cell(q, 'n')))
  const partial = pageKeys.filter((key) => !complete.includes(key))
  const sums = createInsightSums(group, group.epsilon, complete)
  sums.reports = cell('reports')
  const { finite, pages } = sumsParts(sums)
  for (const [q, part] of finite) part.n = cell(q, 'n')
  // The counts from the counters there are, not a look-up of each of a question's cells (the learning question has
  // hundreds, nearly all never reported): a counter counts only under its own name, as sumsToCounters() writes it.
  const counts = new Map(finite.map(([q, part]) => [q, part.counts]))
  for (const [path, value, counter] of paths) {
    const [q, j] = path
    const into = typeof q === 'string' && path.length === 2 ? counts.get(q) : undefined
    if (into && Number.isInteger(j) && (j as number) >= 0 && (j as number) < into.length && counter === JSON.stringify(path)) into[j as number] = value
  }
  for (const [q, part] of pages) {
    const classes = (part.support.length - 1) / Math.max(1, complete.length)
    part.n = cell(q, 'n')
    part.support[part.support.length - 1] = cell(q, 'empty')
    complete.forEach((key, k) => {
      for (let c = 0; c < classes; c++) part.support[k * classes + c] = cell(q, 'support', key, c)
      for (const [name, cells] of Object.entries(part)) {
        if (name === 'support' || !Array.isArray(cells)) continue
        const per = cells.length / Math.max(1, complete.length)
        for (let i = 0; i < per; i++) cells[k * per + i] = cell(q, name, key, i)
      }
    })
    // A question whose answers each name one page exactly (only `support`, no hash matches): the answers about
    // a page left out are counted with those about pages off the list, as addReport() counts them.
    if (Object.values(part).filter(Array.isArray).length === 1) {
      for (const [path, value] of paths) {
        if (path[0] === q && path[1] === 'support' && !complete.includes(String(path[2]))) part.support[part.support.length - 1] += value
      }
    }
  }
  return { sums, partial }
}
