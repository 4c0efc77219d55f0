/** A number for reading: integers as is, others with at most `digits` decimals and no trailing zeros. */
export function formatNumber(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return 'unknown'
  if (Number.isInteger(value)) return String(value)
  return String(Number(value.toFixed(digits)))
}
