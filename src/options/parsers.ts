import { OptionsError } from '../errors/index'
import { describeValue } from '../events/lib/describeValue'

/**
 * Checks one option's value: returns it when it is valid, throws an `OptionsError` naming `key` otherwise.
 * Every entry point (the API, `init()`, the script tag's `data-*` attributes) parses an option with the same
 * parser, from the option table.
 */
export type OptionParser = (value: unknown, key: string) => unknown

const fail = (key: string, expected: string, value: unknown): never => {
  throw new OptionsError(`${key} must be ${expected}; got ${describeValue(value)}`, key)
}

/** Parses `true` or `false`. */
export const bool: OptionParser = (value, key) => (typeof value === 'boolean' ? value : fail(key, 'true or false', value))

/**
 * A parser of numbers from `min` to `max` (whole numbers when `integer`); `Infinity` only when `max` is.
 * @example number(1, 3650, true) // retention days
 */
export const number =
  (min: number, max: number, integer?: boolean): OptionParser =>
  (value, key) =>
    typeof value === 'number' && value >= min && value <= max && (!integer || value % 1 === 0 || value === max)
      ? value
      : fail(key, `a${integer ? ' whole' : ''} number from ${min} to ${max}`, value)

/**
 * A parser of strings that match `pattern` (described as `expected` in errors).
 * @example text(/^[\w.-]{1,64}$/, '1–64 letters, digits, "_", "-" or "."')
 */
export const text =
  (pattern = /^[^]{1,2048}$/, expected = 'text of 1–2048 characters'): OptionParser =>
  (value, key) =>
    typeof value === 'string' && pattern.test(value) ? value : fail(key, expected, value)

/** A parser of values whose `typeof` is one of `types` (`'function'`, `'object'`; `null` is refused). */
export const typed =
  (...types: string[]): OptionParser =>
  (value, key) =>
    value !== null && types.includes(typeof value) ? value : fail(key, types.join(' or '), value)

/** Parses an array (its items are checked by the module that uses it). */
export const list: OptionParser = (value, key) => (Array.isArray(value) ? value : fail(key, 'an array', value))
