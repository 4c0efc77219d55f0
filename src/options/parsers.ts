import { OptionsError } from '../errors/index'
import { describeValue } from '../events/lib/describeValue'

/**
 * Checks one option's value: returns it when it is valid, throws an `OptionsError` naming `key` otherwise.
 * Every entry point (the API, `init()`, the script tag's `data-*` attributes) parses an option with the same
 * parser, from the option table.
 */
export type OptionParser = ((value: unknown, key: string) => unknown) & {
  /** Whether `value` passes, without making an error for one that does not (made by {@link parser}). */
  test?: (value: unknown) => boolean
}

/**
 * A parser of the values that pass `test`, described as `expected` in errors
 * (`retentionDays must be a number from 1 to 3650; got Infinity`).
 * @example const even = parser((v) => typeof v === 'number' && v % 2 === 0, 'an even number')
 */
export const parser =
  (test: (value: unknown) => boolean, expected: string): OptionParser =>
    Object.assign(
      (value: unknown, key: string) => {
        if (test(value)) return value
        throw new OptionsError(`${key} must be ${expected}; got ${describeValue(value)}`, key)
      },
      { test },
    )

/** Parses `true` or `false`. */
export const bool = parser((value) => typeof value === 'boolean', 'true or false')

/** Parses an array (its items are checked by the module that uses it). */
export const list = parser(Array.isArray, 'an array')

/**
 * A parser of numbers from `min` to `max` (whole numbers when `integer`); `Infinity` only when `max` is.
 * @example number(1, 3650) // retention days
 */
export const number = (min: number, max: number, integer?: boolean): OptionParser =>
  parser(
    (value) => typeof value === 'number' && value >= min && value <= max && (!integer || value % 1 === 0 || value === max),
    `a${integer ? ' whole' : ''} number from ${min} to ${max}`,
  )

/**
 * A parser of strings that match `pattern` (described as `expected` in errors).
 * @example text(/^[\w.-]{1,64}$/, '1–64 letters, digits, "_", "-" or "."')
 */
export const text = (pattern = /^[^]{1,2048}$/, expected = 'text of 1–2048 characters'): OptionParser =>
  parser((value) => typeof value === 'string' && pattern.test(value), expected)

/** A parser of values whose `typeof` is one of `types` (`'function'`, `'object'`; `null` is refused). */
export const typed = (...types: string[]): OptionParser => parser((value) => value !== null && types.includes(typeof value), types.join(' or '))
