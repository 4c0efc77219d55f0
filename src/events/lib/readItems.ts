import { MAX_ITEMS, MAX_PRICE, MAX_STRING_LENGTH } from '../limits'
import type { LineItem } from '../types'
import { invalid } from './invalid'
import { amount, text } from './fieldReaders'
import { readFields, type FieldReader } from './readFields'
import { readObject } from './readObject'
import { readQuantity } from './readQuantity'
import type { Fields } from './types'

/** A line item's fields, in the order they are checked. */
const LINE: Record<string, FieldReader> = {
  productId: text(MAX_STRING_LENGTH.productId, true),
  quantity: readQuantity,
  price: amount(MAX_PRICE, true),
  category: text(MAX_STRING_LENGTH.category, false),
}

/** A list of line items. */
export const items = (required: boolean): FieldReader => (source, key, at) => readItems(source, key, at, required)

/**
 * Reads an array of line items. The length is checked before any element is read, so a huge array is
 * rejected at once. Returns `undefined` for an absent optional list.
 */
export function readItems(source: Fields, key: string, at: string, required: boolean): LineItem[] | undefined {
  const value = source[key]
  if (value === undefined || value === null) return required ? [] : undefined
  if (!Array.isArray(value)) throw invalid(at, key, `must be an array of at most ${MAX_ITEMS} items`, value)
  // Read once: a Proxy could answer differently each time.
  const length = value.length
  if (typeof length !== 'number' || length > MAX_ITEMS) {
    throw invalid(at, key, `must be an array of at most ${MAX_ITEMS} items`, value, `an array of ${length} items`)
  }
  const items: LineItem[] = new Array(length)
  for (let i = 0; i < length; i++) {
    items[i] = readFields(readObject(value[i], `${at}${key}`, `[${i}]`), LINE, `${at}${key}[${i}].`) as unknown as LineItem
  }
  return items
}
