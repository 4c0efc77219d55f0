import type { SegmentTreeNode } from '../pack/types'

/**
 * Nodes from the root's child down to the node with `id` (the root itself is not part of a path,
 * unless it is the node asked for). Null when the tree has no such node.
 */
export function findPath(tree: SegmentTreeNode, id: string): SegmentTreeNode[] | null {
  if (tree.id === id) return [tree]
  for (const child of tree.children ?? []) {
    const below = findPathBelow(child, id)
    if (below) return below
  }
  return null
}

function findPathBelow(node: SegmentTreeNode, id: string): SegmentTreeNode[] | null {
  if (node.id === id) return [node]
  for (const child of node.children ?? []) {
    const below = findPathBelow(child, id)
    if (below) return [node, ...below]
  }
  return null
}
