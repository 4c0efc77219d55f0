/** Most JSON-LD nodes and nesting levels searched, so a huge or odd document stays cheap. */
const MAX_NODES = 100
const PRODUCT_TYPE = /(?:^|[/:])Product(?:Group)?$/

/**
 * Finds the first schema.org `Product` (or `ProductGroup`) node in parsed JSON-LD: at the top level, in a
 * top-level array, or inside `@graph`.
 */
export function findProductNode(json: unknown, depth = 0): Record<string, unknown> | undefined {
  if (depth > 3 || typeof json !== 'object' || json === null) return undefined
  if (Array.isArray(json)) {
    for (let i = 0; i < json.length && i < MAX_NODES; i++) {
      const found = findProductNode(json[i], depth + 1)
      if (found) return found
    }
    return undefined
  }
  const node = json as Record<string, unknown>
  const type = node['@type']
  const types = Array.isArray(type) ? type : [type]
  if (types.some((t) => typeof t === 'string' && PRODUCT_TYPE.test(t))) return node
  return node['@graph'] === undefined ? undefined : findProductNode(node['@graph'], depth + 1)
}
