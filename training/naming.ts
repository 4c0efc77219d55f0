import type { SegmentTreeNode } from '../src/pack/types'
import type { WardNode } from './ward'

/** What a cluster looks like on the training split, in original units. */
export interface ClusterProfile {
  cluster: number
  size: number
  share: number
  /** Median of each profile feature over the cluster's training rows. */
  medians: Record<string, number>
  /** Rate of the pack's binary label in the cluster (purchase / repeat purchase). */
  positiveRate: number
}

export interface NamedSegment { id: string; name: string; description: string }

function title(id: string): string {
  const s = id.replace(/-/g, ' ')
  return s.charAt(0).toUpperCase() + s.slice(1)
}

function unique(id: string, used: Set<string>): string {
  let out = id
  for (let n = 2; used.has(out); n++) out = `${id}-${n}`
  used.add(out)
  return out
}

/** Browsing depth word from product-related pages: brief < 4 ≤ casual < 15 ≤ engaged < 40 ≤ deep. */
export function depthWord(productPages: number): string {
  return productPages < 4 ? 'brief' : productPages < 15 ? 'casual' : productPages < 40 ? 'engaged' : 'deep'
}

/**
 * Session segment ids and names from a profile, by fixed rules. The id is
 * `[intent]-[focus]-<depth>-browser` where intent is `high-intent` when the cluster's purchase rate is at
 * least 1.5× the overall rate and `low-intent` at most 0.5×; focus is `account` / `researching` / `all-round`
 * when the median session visits account / informational / both kinds of pages; depth from `depthWord`.
 * Ids keep the intent word so pages that target them (`data-seglet-show`) keep working; the name shown to
 * people describes behaviour only (`[focus] <depth> browser`), because intent is its own dimension
 * (`segment.intent`) and changes within a session while the segment holds.
 */
export function nameSessionSegment(p: ClusterProfile, baseRate: number): NamedSegment {
  const intent = p.positiveRate >= 1.5 * baseRate ? 'high-intent' : p.positiveRate <= 0.5 * baseRate ? 'low-intent' : ''
  const admin = p.medians.administrativePages >= 1
  const info = p.medians.informationalPages >= 1
  const focus = admin && info ? 'all-round' : admin ? 'account' : info ? 'researching' : ''
  const depth = depthWord(p.medians.productPages)
  const id = [intent, focus, depth, 'browser'].filter(Boolean).join('-')
  const behaviour = [focus, depth, 'browser'].filter(Boolean).join('-')
  const description =
    `${Math.round(p.share * 100)}% of sessions; median ${count(p.medians.productPages, 'product page')} ` +
    `(${fmt(p.medians.productSeconds / 60)} min), ${fmt(p.medians.administrativePages)} account and ` +
    `${count(p.medians.informationalPages, 'informational page')}; ${Math.round(p.positiveRate * 100)}% buy`
  return { id, name: title(behaviour), description }
}

/** Spend tier against the median customer: top ≥ 3× the median, mid ≥ the median, low below. */
export function valueTier(monetary: number, medianMonetary: number): 'top' | 'mid' | 'low' {
  return monetary >= 3 * medianMonetary ? 'top' : monetary >= medianMonetary ? 'mid' : 'low'
}

/**
 * Lifetime segment names by RFM rules against the medians of all training customers: recent = recency below
 * the median, frequent = orders above the median, new = tenure below the median, spend tier from `valueTier`.
 * champions (recent, top spend) · loyal (recent, frequent) · new-customers (recent, new) · promising (recent) ·
 * at-risk (not recent, frequent or spend ≥ median) · hibernating (the rest).
 */
export function nameLifetimeSegment(p: ClusterProfile, all: Record<string, number>): NamedSegment {
  const m = p.medians
  const recent = m.recencyDays < all.recencyDays
  const frequent = m.orders > all.orders
  const tier = valueTier(m.monetary, all.monetary)
  const fresh = m.tenureDays < all.tenureDays
  const id = recent
    ? tier === 'top' ? 'champions' : frequent ? 'loyal' : fresh ? 'new-customers' : 'promising'
    : frequent || tier !== 'low' ? 'at-risk' : 'hibernating'
  const description =
    `${Math.round(p.share * 100)}% of customers; median ${count(m.orders, 'order')}, ${fmt(m.monetary)} spent, ` +
    `last order ${count(m.recencyDays, 'day')} ago, customer for ${count(m.tenureDays, 'day')}; ` +
    `${Math.round(p.positiveRate * 100)}% buy again within 90 days`
  return { id, name: title(id), description }
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? String(Math.round(v)) : String(Math.round(v * 10) / 10)
}

/**
 * A count as printed with its noun, singular only when it prints as 1 (`1 order`, `0.5 days`, `2 orders`). In
 * `3 account and 1 informational page` the shared noun agrees with the count next to it.
 */
function count(v: number, noun: string): string {
  const n = fmt(v)
  return `${n} ${n === '1' ? noun : `${noun}s`}`
}

/**
 * Turns the Ward dendrogram into the pack's segment tree. Leaves get the cluster names (made unique with a
 * numeric suffix); a branch takes the first unused of `branchWords` (from its size-weighted profile), else a
 * numeric suffix; the root is `all`.
 */
export function segmentTree(
  root: WardNode,
  leaves: readonly NamedSegment[],
  /** Candidate ids for a branch, most general first; the first unused one is taken. */
  branchWords: (node: WardNode) => string[],
  rootName: string,
): { tree: SegmentTreeNode; labels: string[] } {
  const used = new Set<string>(['all'])
  const labels = leaves.map((leaf) => unique(leaf.id, used))
  const build = (node: WardNode, isRoot: boolean): SegmentTreeNode => {
    if (node.cluster !== undefined) {
      const leaf = leaves[node.cluster]
      return { id: labels[node.cluster], name: leaf.name, description: leaf.description }
    }
    const free = isRoot ? 'all' : branchWords(node).find((w) => !used.has(w))
    const id = isRoot ? 'all' : unique(free ?? branchWords(node)[0], used)
    return {
      id,
      name: isRoot ? rootName : title(id),
      description: `${node.leaves.map((c) => labels[c]).join(', ')}`,
      children: node.children!.map((c) => build(c, false)),
    }
  }
  return { tree: build(root, true), labels }
}
