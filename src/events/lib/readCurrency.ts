import { CURRENCY_PATTERN } from '../limits'
import { invalid } from './invalid'
import type { Fields } from './types'

/** Reads an ISO 4217 style currency code (`EUR`). Optional fields treat `undefined`, `null` and `''` as absent. */
export function readCurrency(source: Fields, key: string, at: string, required: boolean): string | undefined {
  const value = source[key]
  if (!required && (value === undefined || value === null || value === '')) return undefined
  if (typeof value !== 'string' || value.length !== 3 || !CURRENCY_PATTERN.test(value)) {
    throw invalid(at, key, 'must be a currency code of three upper-case letters', value)
  }
  return value
}
