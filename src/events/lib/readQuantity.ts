import { MAX_QUANTITY } from '../limits'
import { invalid } from './invalid'
import type { Fields } from './types'

/** Reads a quantity: an integer from 1 to `MAX_QUANTITY`, 1 when absent. */
export function readQuantity(source: Fields, key: string, at: string): number {
  const value = source[key]
  if (value === undefined || value === null) return 1
  // Number.isInteger() is false for a non-number: no typeof check needed.
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MAX_QUANTITY) {
    throw invalid(at, key, `must be an integer from 1 to ${MAX_QUANTITY}`, value)
  }
  return value as number
}
