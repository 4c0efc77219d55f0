import type { SumRow } from './types'

/** The array parameters of `SQL.addSums`. */
export function sumParams(sums: readonly SumRow[]): unknown[] {
  return [
    sums.map((s) => s.day),
    sums.map((s) => s.packId),
    sums.map((s) => s.epsilon),
    sums.map((s) => s.segmentLeaves),
    sums.map((s) => s.valueLeaves),
    sums.map((s) => s.counter),
    sums.map((s) => s.value),
  ]
}
