import { olhCount } from '../mechanisms/estimators'
import { mulAddMod, olhVariance, type OlhParams } from '../mechanisms/olh'
import type { OlhAnswer } from '../types'
import { LEARN_TABLES, type LearnTable } from './schema'

/**
 * Sums of training answers, in the `{ n, counts }` shape of a finite question so that they are stored and
 * merged like one: `counts` holds, table after table, the answers to that table and then, per code (every
 * cell and the "nothing" code last), the answers whose hash value matched it.
 */
export interface LearnSums {
  n: number
  counts: number[]
}

/** Where table t's block starts in `LearnSums.counts`. */
export const LEARN_OFFSETS: readonly number[] = LEARN_TABLES.reduce<number[]>((acc, t, i) => {
  acc.push(i === 0 ? 0 : acc[i - 1] + LEARN_TABLES[i - 1].cells + 2)
  return acc
}, [])

/** Length of `LearnSums.counts`. */
export const LEARN_SUMS_LENGTH = LEARN_OFFSETS[LEARN_TABLES.length - 1] + LEARN_TABLES[LEARN_TABLES.length - 1].cells + 2

/** Empty training sums. */
export function createLearnSums(): LearnSums {
  return { n: 0, counts: new Array<number>(LEARN_SUMS_LENGTH).fill(0) }
}

/**
 * Adds one training answer (`parseReport` checked it) to the sums, in place: every code of its table whose
 * public hash matches the reported value gets one.
 */
export function addLearnAnswer(sums: LearnSums, answer: OlhAnswer, params: OlhParams): void {
  const t = answer.table ?? 0
  const table = LEARN_TABLES[t]
  const at = LEARN_OFFSETS[t]
  const { a, b, value } = answer
  const { prime, g } = params
  sums.counts[at]++
  // Codes 0..cells: h(x + 1) = h(x) + a mod prime, one multiplication per answer.
  let h = mulAddMod(a, 0, b, prime)
  for (let code = 0; code <= table.cells; code++) {
    if (h % g === value) sums.counts[at + 1 + code]++
    h += a
    if (h >= prime) h -= prime
  }
  sums.n++
}

/** Estimated counts of one training table, unbiased, with the variance of each. */
export interface LearnTableEstimate {
  table: LearnTable
  /** Answers to this table. */
  n: number
  /** Per cell (score bucket × feature bucket × ordered), the estimated number of sessions. */
  counts: number[]
  /** Estimated variance of each count (the same for every cell with rare values). */
  variance: number
}

/**
 * Unbiased estimates of every training table from the sums (counts may be negative: they are estimates).
 *
 * @example
 * const tables = estimateLearnTables(sums.learn, olhParams(sums.epsilon))
 */
export function estimateLearnTables(sums: LearnSums, params: OlhParams): LearnTableEstimate[] {
  return LEARN_TABLES.map((table, t) => {
    const at = LEARN_OFFSETS[t]
    const n = sums.counts[at]
    const counts = Array.from({ length: table.cells }, (_, c) => olhCount(params, sums.counts[at + 1 + c], n))
    return { table, n, counts, variance: n * olhVariance(params) }
  })
}
