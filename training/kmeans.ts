import { createRng, permutation, type Rng } from './rng'

/** Points are rows of a row-major Float64Array with `dim` columns. */
export interface KMeansResult {
  k: number
  /** Row-major centroids, `k × dim`. */
  centroids: Float64Array
  labels: Int32Array
  sizes: number[]
  /** Sum of squared distances to the assigned centroid. */
  inertia: number
}

function dist2(a: ArrayLike<number>, ai: number, b: ArrayLike<number>, bi: number, dim: number): number {
  let s = 0
  for (let d = 0; d < dim; d++) { const t = a[ai + d] - b[bi + d]; s += t * t }
  return s
}

/** Index of the nearest centroid. */
export function nearest(point: ArrayLike<number>, offset: number, centroids: ArrayLike<number>, k: number, dim: number): number {
  let best = 0
  let bestD = Infinity
  for (let c = 0; c < k; c++) {
    const d = dist2(point, offset, centroids, c * dim, dim)
    if (d < bestD) { bestD = d; best = c }
  }
  return best
}

function plusPlus(points: Float64Array, n: number, dim: number, k: number, rng: Rng): Float64Array {
  const centroids = new Float64Array(k * dim)
  const first = Math.floor(rng() * n)
  centroids.set(points.subarray(first * dim, first * dim + dim), 0)
  const d2 = new Float64Array(n).fill(Infinity)
  for (let c = 1; c < k; c++) {
    let total = 0
    for (let i = 0; i < n; i++) {
      const d = dist2(points, i * dim, centroids, (c - 1) * dim, dim)
      if (d < d2[i]) d2[i] = d
      total += d2[i]
    }
    let target = rng() * total
    let pick = n - 1
    for (let i = 0; i < n; i++) { target -= d2[i]; if (target <= 0) { pick = i; break } }
    centroids.set(points.subarray(pick * dim, pick * dim + dim), c * dim)
  }
  return centroids
}

/**
 * k-means (Lloyd) with k-means++ initialisation and `restarts` seeded restarts; keeps the lowest inertia.
 * Clusters are renumbered by size (largest first) so results do not depend on initialisation order.
 */
export function kmeans(points: Float64Array, dim: number, k: number, options: { restarts?: number; seed?: number; maxIter?: number } = {}): KMeansResult {
  const n = points.length / dim
  const rng = createRng(options.seed ?? 1)
  let best: KMeansResult | null = null
  for (let r = 0; r < (options.restarts ?? 8); r++) {
    const centroids = plusPlus(points, n, dim, k, rng)
    const labels = new Int32Array(n).fill(-1)
    let inertia = 0
    for (let iter = 0; iter < (options.maxIter ?? 100); iter++) {
      let changed = 0
      inertia = 0
      for (let i = 0; i < n; i++) {
        const c = nearest(points, i * dim, centroids, k, dim)
        inertia += dist2(points, i * dim, centroids, c * dim, dim)
        if (c !== labels[i]) { labels[i] = c; changed++ }
      }
      const sums = new Float64Array(k * dim)
      const counts = new Array(k).fill(0)
      for (let i = 0; i < n; i++) {
        counts[labels[i]]++
        for (let d = 0; d < dim; d++) sums[labels[i] * dim + d] += points[i * dim + d]
      }
      for (let c = 0; c < k; c++) {
        if (counts[c] === 0) {
          // An empty cluster takes the point farthest from its centroid.
          let far = 0
          let farD = -1
          for (let i = 0; i < n; i++) { const d = dist2(points, i * dim, centroids, labels[i] * dim, dim); if (d > farD) { farD = d; far = i } }
          centroids.set(points.subarray(far * dim, far * dim + dim), c * dim)
        } else for (let d = 0; d < dim; d++) centroids[c * dim + d] = sums[c * dim + d] / counts[c]
      }
      if (changed === 0) break
    }
    if (!best || inertia < best.inertia) best = { k, centroids: Float64Array.from(centroids), labels: Int32Array.from(labels), sizes: [], inertia }
  }
  return relabelBySize(best!, n, dim)
}

function relabelBySize(result: KMeansResult, n: number, dim: number): KMeansResult {
  const { k } = result
  const counts = new Array(k).fill(0)
  for (let i = 0; i < n; i++) counts[result.labels[i]]++
  const order = Array.from({ length: k }, (_, c) => c).sort((a, b) => counts[b] - counts[a] || a - b)
  const map = new Int32Array(k)
  order.forEach((old, neu) => { map[old] = neu })
  const centroids = new Float64Array(k * dim)
  order.forEach((old, neu) => centroids.set(result.centroids.subarray(old * dim, old * dim + dim), neu * dim))
  const labels = result.labels.map((l) => map[l])
  return { k, centroids, labels, sizes: order.map((c) => counts[c]), inertia: result.inertia }
}

/** Assigns each point to its nearest centroid. */
export function assign(points: Float64Array, dim: number, centroids: ArrayLike<number>, k: number): Int32Array {
  const n = points.length / dim
  const labels = new Int32Array(n)
  for (let i = 0; i < n; i++) labels[i] = nearest(points, i * dim, centroids, k, dim)
  return labels
}

/**
 * Mean silhouette coefficient, exact on at most `sample` points (a seeded sample; the silhouette of each
 * sampled point is computed against the sampled points).
 */
export function silhouette(points: Float64Array, dim: number, labels: Int32Array, k: number, options: { sample?: number; seed?: number } = {}): number {
  const n = points.length / dim
  const sample = Math.min(n, options.sample ?? 3000)
  const idx = sample < n ? permutation(n, createRng(options.seed ?? 7)).slice(0, sample) : Array.from({ length: n }, (_, i) => i)
  let total = 0
  let counted = 0
  const sums = new Float64Array(k)
  const counts = new Float64Array(k)
  for (const i of idx) {
    sums.fill(0)
    counts.fill(0)
    for (const j of idx) {
      if (i === j) continue
      sums[labels[j]] += Math.sqrt(dist2(points, i * dim, points, j * dim, dim))
      counts[labels[j]]++
    }
    const own = labels[i]
    if (counts[own] === 0) continue // a singleton's silhouette is 0 by convention
    const a = sums[own] / counts[own]
    let b = Infinity
    for (let c = 0; c < k; c++) if (c !== own && counts[c] > 0) b = Math.min(b, sums[c] / counts[c])
    total += (b - a) / Math.max(a, b)
    counted++
  }
  return total / Math.max(1, sample)
}
