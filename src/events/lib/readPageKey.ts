import { MAX_STRING_LENGTH, PAGE_KEY_PATTERN } from '../limits'
import { invalid } from './invalid'
import type { Fields } from './types'

/** Reads an optional page key (see `PAGE_KEY_PATTERN`); `undefined`, `null` and `''` mean absent. */
export function readPageKey(source: Fields, key: string, at: string): string | undefined {
  const value = source[key]
  if (value === undefined || value === null || value === '') return undefined
  // Length first, so a huge string costs nothing.
  if (typeof value !== 'string' || value.length > MAX_STRING_LENGTH.pageKey || !PAGE_KEY_PATTERN.test(value)) {
    throw invalid(at, key, 'must be a page key like "product/mug", not a URL', value)
  }
  return value
}
