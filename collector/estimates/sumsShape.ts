import type { InsightSums } from '../../src/reports/estimate'

/** A finite question's sums: answers and counts per domain value. */
export interface FiniteCells {
  n: number
  counts: number[]
}

/** A page question's sums: answers, per key and class the hash matches, the empty code last, and per-key extras. */
export interface PageCells {
  n: number
  support: number[]
  [perKey: string]: number | number[]
}

/**
 * The parts of report sums, found by their shape rather than listed by name, so that the stored form follows
 * the report module when it adds a question: `{ n, counts }` is a finite question, `{ n, support, … }` a page
 * question whose other arrays hold one cell per candidate key.
 */
export function sumsParts(sums: InsightSums): { finite: [string, FiniteCells][]; pages: [string, PageCells][] } {
  const finite: [string, FiniteCells][] = []
  const pages: [string, PageCells][] = []
  for (const [name, part] of Object.entries(sums)) {
    if (!part || typeof part !== 'object' || Array.isArray(part)) continue
    if ('counts' in part) finite.push([name, part as FiniteCells])
    else if ('support' in part) pages.push([name, part as PageCells])
  }
  return { finite, pages }
}
