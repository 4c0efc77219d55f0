import { PAGE_TYPES, type PageType } from '../types'
import { invalid } from './invalid'
import type { Fields } from './types'

/** Reads a required `PageType`. */
export function readPageType(source: Fields, key: string, at: string): PageType {
  const value = source[key]
  // includes() is false for a non-string: no typeof check needed.
  if (!PAGE_TYPES.includes(value as PageType)) {
    throw invalid(at, key, `must be one of ${PAGE_TYPES.join(', ')}`, value)
  }
  return value as PageType
}
