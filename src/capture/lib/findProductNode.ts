/** Most JSON-LD nodes and nesting levels searched, so a huge or odd document stays cheap. */
const MAX_NODES = 100

/**
 * Whether a JSON-LD `@type` names schema.org's `Product` or `ProductGroup`: bare, prefixed (`schema:Product`)
 * or as a URL (`https://schema.org/ProductGroup`). Not `IndividualProduct` and other names that end in it.
 * A string test rather than a regular expression: V8 compiles a regular expression that runs twice to machine
 * code, 1.1 KB of a product page's heap on a first visit.
 */
export function isProductType(type: unknown): boolean {
  if (typeof type !== 'string') return false
  const name = type.endsWith('Group') ? type.slice(0, -5) : type
  const before = name[name.length - 8]
  return name.endsWith('Product') && (before === undefined || '/:'.includes(before))
}

/**
 * Finds the first schema.org `Product` (or `ProductGroup`) node in parsed JSON-LD: at the top level, in a
 * top-level array, or inside `@graph`.
 */
export function findProductNode(json: unknown, depth = 0): Record<string, unknown> | undefined {
  if (depth > 3 || !json || typeof json !== 'object') return undefined
  if (Array.isArray(json)) {
    for (const item of json.slice(0, MAX_NODES)) {
      const found = findProductNode(item, depth + 1)
      if (found) return found
    }
    return undefined
  }
  const node = json as Record<string, unknown>
  if ([node['@type']].flat().some(isProductType)) return node
  return node['@graph'] === undefined ? undefined : findProductNode(node['@graph'], depth + 1)
}
