import type { SegmentTreeNode } from '../pack/types'
import { findPath } from './findPath'

/** Name, description and path of a segment id in a tree; an id the tree lacks becomes a top-level segment. */
export function resolveNode(
  tree: SegmentTreeNode | undefined,
  id: string,
  fallbackName: string = id,
): { name: string; description?: string; path: string[]; pathNames: string[] } {
  const nodes = tree ? findPath(tree, id) : null
  if (!nodes) return { name: fallbackName, path: [id], pathNames: [fallbackName] }
  const leaf = nodes[nodes.length - 1]
  const resolved: { name: string; description?: string; path: string[]; pathNames: string[] } = {
    name: leaf.name,
    path: nodes.map((n) => n.id),
    pathNames: nodes.map((n) => n.name),
  }
  if (leaf.description !== undefined) resolved.description = leaf.description
  return resolved
}
