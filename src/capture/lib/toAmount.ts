/**
 * Numbers stay numbers; numeric strings (`"19.90"`, common in data layers) become numbers. Anything else is
 * returned unchanged so that validation names the bad field.
 */
export function toAmount(value: unknown): unknown {
  if (typeof value === 'string' && value.length <= 32 && /^\s*\d+(?:\.\d+)?\s*$/.test(value)) return Number(value)
  return value
}
