import { MAX_QUANTITY } from '../limits'
import { invalid } from './invalid'
import type { Fields } from './types'

/** Reads a quantity: an integer from 1 to `MAX_QUANTITY`, 1 when absent. */
export function readQuantity(source: Fields, key: string, at: string): number {
  const value = source[key]
  if (value === undefined || value === null) return 1
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_QUANTITY) {
    throw invalid(at, key, `must be an integer from 1 to ${MAX_QUANTITY}`, value)
  }
  return value
}
