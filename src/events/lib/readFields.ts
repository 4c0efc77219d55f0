import type { Fields } from './types'

/** Reads one field (`source[key]`, named `at + key` in errors); `undefined` leaves it out of the record. */
export type FieldReader = (source: Fields, key: string, at: string) => unknown

/**
 * Reads the fields of `readers` from `source`, in the readers' order (the first bad field is the one named),
 * into `into`. Fields read as `undefined` are left out.
 *
 * @example
 * readFields(input, { productId: text(128, true), quantity: readQuantity }, 'add_to_cart.', { type })
 */
export function readFields(source: Fields, readers: Record<string, FieldReader>, at: string, into: Fields = {}): Fields {
  for (const key of Object.keys(readers)) {
    const value = readers[key](source, key, at)
    if (value !== undefined) into[key] = value
  }
  return into
}
