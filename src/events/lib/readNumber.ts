import { invalid } from './invalid'
import type { Fields } from './types'

/** Reads a finite number in `min..max`. Optional fields treat `undefined` and `null` as absent. */
export function readNumber(
  source: Fields,
  key: string,
  at: string,
  min: number,
  max: number,
  required: boolean,
): number | undefined {
  const value = source[key]
  if (!required && (value === undefined || value === null)) return undefined
  if (typeof value !== 'number' || !(value >= min) || value === Infinity) {
    throw invalid(at, key, `must be a finite number ≥ ${min}`, value)
  }
  if (value > max) throw invalid(at, key, `must be ≤ ${max}`, value)
  // -0 would survive JSON as 0 anyway; keep stored values canonical.
  return value === 0 ? 0 : value
}
