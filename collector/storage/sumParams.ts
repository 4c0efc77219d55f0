import type { SumRow } from './types'

/**
 * The array parameters of `SQL.addSums`, its rows in one order (by the sums' key) whatever order they came in:
 * two processes adding to the same counters at once then lock them in the same order, and neither waits on the
 * other in a circle (PostgreSQL would abort one with a deadlock).
 */
export function sumParams(sums: readonly SumRow[]): unknown[] {
  const rows = [...sums].sort(bySumKey)
  return [
    rows.map((s) => s.day),
    rows.map((s) => s.packId),
    rows.map((s) => s.epsilon),
    rows.map((s) => s.segmentLeaves),
    rows.map((s) => s.valueLeaves),
    rows.map((s) => s.counter),
    rows.map((s) => s.value),
  ]
}

const compare = <T extends string | number>(a: T, b: T): number => (a < b ? -1 : a > b ? 1 : 0)

function bySumKey(a: SumRow, b: SumRow): number {
  return (
    compare(a.day, b.day) ||
    compare(a.packId, b.packId) ||
    compare(a.epsilon, b.epsilon) ||
    compare(a.segmentLeaves, b.segmentLeaves) ||
    compare(a.valueLeaves, b.valueLeaves) ||
    compare(a.counter, b.counter)
  )
}
