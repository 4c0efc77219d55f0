import { LEARN_TABLES, learnCell, scoreBucket } from './schema'
import type { LearnTruth } from './types'

/**
 * The integer a training answer encodes for table `table`: the cell of (score bucket, feature bucket,
 * ordered), or `cells` (one past the last) when the device has nothing for that table (no learning truth, or
 * a table with page statistics on a shop without them).
 *
 * @example
 * learnCode({ logitWithStats: -2.5, logitWithoutStats: -1, raw }, true, 0)
 */
export function learnCode(learn: LearnTruth | null | undefined, ordered: boolean, table: number): number {
  const spec = LEARN_TABLES[table]
  const logit = !learn ? null : spec.view === 'withStats' ? learn.logitWithStats : learn.logitWithoutStats
  if (!learn || logit === null || !Number.isFinite(logit) || !Array.isArray(learn.raw)) return spec.cells
  const bucket = spec.feature.bucket(learn.raw)
  if (!Number.isInteger(bucket) || bucket < 0 || bucket >= spec.feature.buckets) return spec.cells
  return learnCell(spec, scoreBucket(logit, spec.view), bucket, ordered)
}
