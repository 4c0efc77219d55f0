import { invalid } from './invalid'
import type { Fields } from './types'

/** Checks that a nested value is a plain object (not null, not an array) and returns it for reading. */
export function readObject(value: unknown, at: string, key: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(at, key, 'must be an object', value)
  }
  return value as Fields
}
