import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ShoppersRow } from '../training/loadShoppers'
import { loadShoppers } from '../training/loadShoppers'
import { PROJECT_ROOT } from '../training/data'
import { readPackKMeans } from '../src/pack/readPackKMeans'
import type { ModelPack } from '../src/pack/types'

/**
 * Sessions of the simulation: UCI Online Shoppers rows (page counts, whether the session bought), each with
 * the session segment leaf the shipped session pack's k-means assignment gives it, and the shares of the
 * shipped lifetime pack's value segments (its training clusters) for returning visitors.
 */
export interface Population {
  rows: ShoppersRow[]
  /** Segment leaf of each row (index into the session pack's segment labels). */
  leaf: Uint8Array
  segmentLabels: string[]
  valueLabels: string[]
  /** Share of customers in each value segment, in label order. */
  valueShares: number[]
  packId: string
  /** The shipped session and lifetime packs (parsed JSON), for a collector to name their segments. */
  packs: unknown[]
}

type PackJson = ModelPack & { heads: { segment: { labels: string[]; tree: TreeNode } } }
interface TreeNode { id: string; description?: string; children?: TreeNode[] }

function readPack(name: string): PackJson {
  return JSON.parse(readFileSync(join(PROJECT_ROOT, 'src', 'models', name), 'utf8')) as PackJson
}

function leafShares(tree: TreeNode, labels: string[]): number[] {
  const shares = new Map<string, number>()
  const walk = (node: TreeNode) => {
    const m = /(\d+(?:\.\d+)?)% of/.exec(node.description ?? '')
    if (!node.children?.length && m) shares.set(node.id, Number(m[1]) / 100)
    node.children?.forEach(walk)
  }
  walk(tree)
  const raw = labels.map((l) => shares.get(l) ?? 0)
  const total = raw.reduce((a, b) => a + b, 0)
  return raw.map((s) => s / total)
}

export function loadPopulation(dataFile: string): Population {
  const { rows } = loadShoppers(dataFile)
  const session = readPack('session.json')
  const lifetime = readPack('lifetime.json')
  const kmeans = readPackKMeans(session)
  if (!kmeans) throw new Error('the shipped session pack has no k-means centroids')
  // Indices into the pack's inputs; the first six are the page counts and times read from the row below.
  const columns = kmeans.features.map((name) => session.featureSpec.names.indexOf(name))
  const centroids = kmeans.centroids.flat()
  const dim = columns.length
  const k = centroids.length / dim
  const leaf = new Uint8Array(rows.length)
  rows.forEach((row, i) => {
    const raw = [row.administrative, row.administrativeDuration, row.informational, row.informationalDuration, row.productRelated, row.productRelatedDuration]
    const x = columns.map((c) => (Math.log1p(Math.max(0, raw[c])) - session.featureSpec.mean[c]) / session.featureSpec.std[c])
    let best = 0
    let bestD = Infinity
    for (let c = 0; c < k; c++) {
      let d = 0
      for (let j = 0; j < dim; j++) d += (x[j] - centroids[c * dim + j]) ** 2
      if (d < bestD) {
        bestD = d
        best = c
      }
    }
    leaf[i] = best
  })
  return {
    rows,
    leaf,
    segmentLabels: session.heads.segment.labels,
    valueLabels: lifetime.heads.segment.labels,
    valueShares: leafShares(lifetime.heads.segment.tree, lifetime.heads.segment.labels),
    packId: `session@${session.version}+lifetime@${lifetime.version}`,
    packs: [session, lifetime],
  }
}
