import { readCurrency } from './readCurrency'
import type { FieldReader } from './readFields'
import { readNumber } from './readNumber'
import { readString } from './readString'

// Readers of the field kinds that events, line items and page statistics share, for `readFields()`.

/** A string of 1 to `max` characters. */
export const text = (max: number, required: boolean): FieldReader => (source, key, at) => readString(source, key, at, max, required)
/** A finite number from 0 to `max`. */
export const amount = (max: number, required: boolean): FieldReader => (source, key, at) => readNumber(source, key, at, 0, max, required)
/** A currency code. */
export const currency = (required: boolean): FieldReader => (source, key, at) => readCurrency(source, key, at, required)
