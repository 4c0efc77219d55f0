import type { WeightEncoding } from '../src/pack/types'

/** Seed of the default training run. */
export const DEFAULT_SEED = 20240611

/** Hyper-parameters of both packs (fixed; chosen on out-of-fold training scores, never on the test split). */
export const SESSION_CONFIG: PackConfig = { members: 4, hidden: 24, hidden2: 12, epochs: 30, batchSize: 128, learningRate: 0.003, l2: 3e-4, segmentWeight: 0.5, encoding: 'uint8', refit: false, maskWeight: 0.5 }
export const LIFETIME_CONFIG: PackConfig = { members: 4, hidden: 16, hidden2: 0, epochs: 60, batchSize: 64, learningRate: 0.003, l2: 1e-3, segmentWeight: 1, encoding: 'uint8', refit: false }

export interface PackConfig {
  members: number; hidden: number; hidden2: number; epochs: number; batchSize: number; learningRate: number; l2: number
  segmentWeight: number; encoding: WeightEncoding; refit: boolean
  /** Session pack: weight of the copies without page statistics in the intent loss (1 when absent). */
  maskWeight?: number
}
/** Candidate numbers of clusters; the silhouette picks among them. */
export const K_CANDIDATES = [3, 4, 5, 6, 7]


/** Session k-means runs on the six behaviour inputs (page counts and visible time per group): they exist with or without page statistics. */
export const SESSION_CLUSTER_FEATURES = ['administrative_pages', 'administrative_seconds', 'informational_pages', 'informational_seconds', 'product_pages', 'product_seconds']
/** Lifetime k-means runs on RFM. */
export const LIFETIME_CLUSTER_FEATURES = ['recency_days', 'frequency', 'monetary']
