import { OptionsError } from '../../errors/index'

/** Returns `value`, or `fallback` when it is `undefined`; throws an `OptionsError` naming `field` otherwise. */
export function parseBoolean(value: unknown, fallback: boolean, field: string): boolean {
  if (value === undefined) return fallback
  if (typeof value === 'boolean') return value
  throw new OptionsError(`${field} must be true or false; got ${typeof value}`, field)
}
