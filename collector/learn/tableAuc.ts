import type { IntentCorrection } from '../../src/reports/learn/correction'
import type { LearnTableEstimate } from '../../src/reports/learn/learnSums'
import { SCORE_BUCKETS, SCORE_EDGES, LEARN_FEATURES, type LearnView } from '../../src/reports/learn/schema'

/** A representative logit of each score bucket of a view (as the fit uses). */
function middles(view: LearnView): number[] {
  const edges = SCORE_EDGES[view]
  return Array.from({ length: SCORE_BUCKETS }, (_, s) =>
    s === 0 ? edges[0] - 0.5 : s === edges.length ? edges[edges.length - 1] + 0.5 : (edges[s - 1] + edges[s]) / 2,
  )
}

/**
 * ROC AUC of a correction estimated from training tables the fit did not see: each cell (score bucket ×
 * feature bucket) is scored by the correction as far as that table can tell (the bucket's logit and that
 * feature's term), and weighs with its estimated ordered and not-ordered sessions (negative estimates as
 * none). The tables are averaged by their answers. NaN without answers.
 *
 * @example
 * tableAuc(heldOutTables, candidate) >= tableAuc(heldOutTables, current) - 0.002
 */
export function tableAuc(tables: readonly LearnTableEstimate[], correction: IntentCorrection | undefined): number {
  let total = 0
  let weighted = 0
  for (const t of tables) {
    if (t.n === 0) continue
    const B = t.table.feature.buckets
    const f = LEARN_FEATURES.indexOf(t.table.feature)
    const v = correction?.views[t.table.view]
    const mids = middles(t.table.view)
    const cells: Array<{ score: number; pos: number; neg: number }> = []
    for (let s = 0; s < SCORE_BUCKETS; s++)
      for (let b = 0; b < B; b++) {
        const score = v ? v.scale * mids[s] + v.shift + v.terms[f][s * B + b] : mids[s]
        cells.push({ score, pos: Math.max(0, t.counts[(s * B + b) * 2 + 1]), neg: Math.max(0, t.counts[(s * B + b) * 2]) })
      }
    cells.sort((a, b) => a.score - b.score)
    let pos = 0
    let neg = 0
    let area = 0
    for (let i = 0; i < cells.length; ) {
      let j = i
      let p = 0
      let n = 0
      // At least the cell at `i`: a score that equals nothing (NaN) still moves the loop on.
      do {
        p += cells[j].pos
        n += cells[j].neg
        j++
      } while (j < cells.length && cells[j].score === cells[i].score)
      // Positives of this score beat every negative below it and tie (half) with the negatives level with them.
      area += p * (neg + n / 2)
      pos += p
      neg += n
      i = j
    }
    if (pos === 0 || neg === 0) continue
    weighted += t.n * (area / (pos * neg))
    total += t.n
  }
  return total > 0 ? weighted / total : Number.NaN
}
