/** `value[key]` when `value` is an object, else `undefined`: for reading optional nested payload fields. */
export function prop(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined
}
