/**
 * A short, safe description of any value for error messages. Never calls user code: no `toString()`,
 * no getters, and `Array.isArray` is guarded because it throws on a revoked Proxy.
 */
export function describeValue(value: unknown): string {
  const type = typeof value
  if (type === 'string') return (value as string).length > 40 ? `a string of ${(value as string).length} characters` : JSON.stringify(value)
  if (type === 'number' || type === 'boolean' || type === 'undefined') return String(value)
  if (value === null) return 'null'
  // bigint, symbol, function
  if (type !== 'object') return 'a ' + type
  try {
    return Array.isArray(value) ? 'an array' : 'an object'
  } catch {
    return 'an object'
  }
}
