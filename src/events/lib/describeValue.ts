/**
 * A short, safe description of any value for error messages. Never calls user code: no `toString()`,
 * no getters, and `Array.isArray` is guarded because it throws on a revoked Proxy.
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'number':
      return String(value)
    case 'string':
      return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value)
    case 'boolean':
    case 'undefined':
      return String(value)
    case 'bigint':
      return 'a bigint'
    case 'symbol':
      return 'a symbol'
    case 'function':
      return 'a function'
    default:
      if (value === null) return 'null'
      try {
        return Array.isArray(value) ? 'an array' : 'an object'
      } catch {
        return 'an object'
      }
  }
}
