/** `" eur "` → `"EUR"`; other values pass unchanged so that validation names the bad field. */
export function toCurrency(value: unknown): unknown {
  return typeof value === 'string' && value.length <= 8 ? value.trim().toUpperCase() : value
}
