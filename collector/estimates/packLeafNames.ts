import type { PackContext } from '../ingest/createIngest'

interface TreeNode {
  id: string
  name?: string
  children?: TreeNode[]
}

/**
 * The segment leaves of each pack, by the pack id reports carry (`kind@version`), in leaf order: the id the page
 * uses (its label: `casual-browser`) and the name the pack's segment tree gives it (`Casual browser`), else its label.
 */
function packLeaves(packs: readonly unknown[]): Map<string, { id: string; name: string }[]> {
  const out = new Map<string, { id: string; name: string }[]>()
  for (const pack of packs) {
    const p = pack as { kind?: unknown; version?: unknown; heads?: { segment?: { labels?: unknown; tree?: TreeNode } } }
    const labels = p.heads?.segment?.labels
    if (typeof p.kind !== 'string' || typeof p.version !== 'string' || !Array.isArray(labels)) continue
    const names = new Map<string, string>()
    const walk = (node: TreeNode | undefined) => {
      if (!node || typeof node.id !== 'string') return
      if (typeof node.name === 'string') names.set(node.id, node.name)
      node.children?.forEach(walk)
    }
    walk(p.heads?.segment?.tree)
    // A pack given again (the shipped one published anew) takes its later place: `packContexts` lists it there.
    out.delete(`${p.kind}@${p.version}`)
    out.set(`${p.kind}@${p.version}`, labels.map((label) => ({ id: String(label), name: names.get(String(label)) ?? String(label) })))
  }
  return out
}

const leafField = (packs: readonly unknown[], field: 'id' | 'name') => new Map([...packLeaves(packs)].map(([pack, leaves]) => [pack, leaves.map((leaf) => leaf[field])]))

/**
 * Names of the segment leaves of each pack, by the pack id reports carry (`kind@version`), in leaf order:
 * the name the pack's segment tree gives each leaf (`Casual browser`), else its label. The dashboard shows
 * these instead of leaf numbers.
 *
 * @example
 * packLeafNames([sessionPack]).get('session@1.0.0') // ['Casual browser', …]
 */
export function packLeafNames(packs: readonly unknown[]): Map<string, string[]> {
  return leafField(packs, 'name')
}

/**
 * Ids of the segment leaves of each pack, by the pack id reports carry, in leaf order: the segment ids a page uses
 * (`onSegment`, `data-seglet-show`, the `<html>` classes), which the dashboard gives beside each name.
 *
 * @example
 * packLeafIds([sessionPack]).get('session@1.0.0') // ['casual-browser', …]
 */
export function packLeafIds(packs: readonly unknown[]): Map<string, string[]> {
  return leafField(packs, 'id')
}

/**
 * The packs reports of `packs` carry: each session pack with each lifetime pack, as the pack id and leaf counts
 * a browser using the two reports (`session@1.0.0+lifetime@1.0.0`, 4 and 4), in the order `packs` gives them last
 * (the estimates follow the later one of two with as many reports).
 *
 * @example
 * packContexts([sessionPack, lifetimePack]) // [{ packId: 'session@1.0.0+lifetime@1.0.0', segmentLeaves: 4, valueLeaves: 4 }]
 */
export function packContexts(packs: readonly unknown[]): PackContext[] {
  const leaves = [...packLeafNames(packs)]
  const of = (kind: string) => leaves.filter(([id]) => id.startsWith(`${kind}@`))
  return of('session').flatMap(([session, segments]) =>
    of('lifetime').map(([lifetime, values]) => ({ packId: `${session}+${lifetime}`, segmentLeaves: segments.length, valueLeaves: values.length })),
  )
}
