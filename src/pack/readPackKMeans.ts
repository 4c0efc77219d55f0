import type { ModelPack, PackKMeans } from './types'

/**
 * The k-means centroids behind a pack's segment head: the typed `kmeans` field, or, for packs written before
 * it existed, `metrics.kmeans` (input column indices and a flat row-major array) turned into the same shape.
 * `undefined` when the pack has neither.
 *
 * @example
 * const { features, centroids } = readPackKMeans(pack)!
 */
export function readPackKMeans(pack: ModelPack): PackKMeans | undefined {
  if (pack.kmeans) return pack.kmeans
  const stored = pack.metrics?.kmeans as unknown as { columns?: unknown; centroids?: unknown } | undefined
  if (!stored || !Array.isArray(stored.columns) || !Array.isArray(stored.centroids)) return undefined
  const columns = stored.columns as number[]
  const flat = stored.centroids as number[]
  const width = columns.length
  if (width === 0 || flat.length % width !== 0) return undefined
  return {
    features: columns.map((c) => pack.featureSpec.names[c]),
    centroids: Array.from({ length: flat.length / width }, (_, k) => flat.slice(k * width, (k + 1) * width)),
  }
}
