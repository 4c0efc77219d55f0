import { invalid } from './invalid'
import type { Fields } from './types'

/**
 * Reads a string field of 1 to `max` characters. Optional fields treat `undefined`, `null` and `''` as absent.
 */
export function readString(source: Fields, key: string, at: string, max: number, required: boolean): string | undefined {
  const value = source[key]
  if (!required && (value === undefined || value === null || value === '')) return undefined
  // Length is checked before anything else reads the string, so huge inputs cost nothing.
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw invalid(at, key, `must be a non-empty string of at most ${max} characters`, value)
  }
  return value
}
