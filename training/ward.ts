/** A node of the Ward dendrogram over cluster centroids. Leaves carry the cluster index. */
export interface WardNode {
  /** Cluster index for leaves. */
  cluster?: number
  children?: [WardNode, WardNode]
  /** Merge height: sqrt(2·nA·nB/(nA+nB))·‖cA − cB‖ (SciPy's Ward convention); 0 for leaves. */
  height: number
  /** Points under the node. */
  size: number
  /** Size-weighted centroid of the node. */
  centroid: number[]
  /** Leaf cluster indices under the node, in dendrogram order. */
  leaves: number[]
}

/**
 * Agglomerative clustering with Ward's criterion over weighted points (the k-means centroids, weighted by
 * cluster size): repeatedly merges the pair whose merge increases the within-cluster sum of squares least.
 */
export function wardTree(centroids: readonly number[][], sizes: readonly number[]): WardNode {
  let nodes: WardNode[] = centroids.map((c, i) => ({ cluster: i, height: 0, size: sizes[i], centroid: [...c], leaves: [i] }))
  if (nodes.length === 0) throw new Error('wardTree needs at least one centroid')
  while (nodes.length > 1) {
    let best = { i: 0, j: 1, cost: Infinity }
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) {
        const a = nodes[i]
        const b = nodes[j]
        let d2 = 0
        for (let k = 0; k < a.centroid.length; k++) d2 += (a.centroid[k] - b.centroid[k]) ** 2
        const cost = ((a.size * b.size) / (a.size + b.size)) * d2
        if (cost < best.cost - 1e-12) best = { i, j, cost }
      }
    }
    const a = nodes[best.i]
    const b = nodes[best.j]
    const size = a.size + b.size
    // Larger child first, so the drawing and the generated names are stable.
    const [first, second] = a.size >= b.size ? [a, b] : [b, a]
    const merged: WardNode = {
      children: [first, second],
      height: Math.sqrt(2 * best.cost),
      size,
      centroid: a.centroid.map((v, k) => (v * a.size + b.centroid[k] * b.size) / size),
      leaves: [...first.leaves, ...second.leaves],
    }
    nodes = nodes.filter((_, k) => k !== best.i && k !== best.j)
    nodes.push(merged)
  }
  return nodes[0]
}
