import { LEARN_TABLES, learnCell, scoreBucket } from './schema'
import type { LearnTruth } from './types'

/**
 * The integer a training answer encodes for table `table`: the cell of (score bucket, feature bucket,
 * ordered), or `cells` (one past the last) when the device has nothing for that table (no learning truth, or
 * a table with page statistics on a shop without them).
 *
 * @example
 * learnCode({ logitWithStats: -2.5, logitWithoutStats: -1, session: { productPages: 12, administrativeSeconds: 0, month: 10 } }, true, 0)
 */
export function learnCode(learn: LearnTruth | null | undefined, ordered: boolean, table: number): number {
  const spec = LEARN_TABLES[table]
  const logit = !learn ? null : spec.view === 'withStats' ? learn.logitWithStats : learn.logitWithoutStats
  if (!learn || logit === null || !Number.isFinite(logit) || !learn.session || typeof learn.session !== 'object') return spec.cells
  const bucket = spec.feature.bucket(learn.session)
  if (!Number.isInteger(bucket) || bucket < 0 || bucket >= spec.feature.buckets) return spec.cells
  return learnCell(spec, scoreBucket(logit, spec.view), bucket, ordered)
}
