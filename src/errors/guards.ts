import { SegletError, type ValidationError } from './index'

/**
 * Marks the errors of this copy of Seglet for every other copy: an app, server or test runner that loads both
 * the ES module and the CommonJS build of the package holds two `SegletError` classes, and `instanceof` one of
 * them misses the other's errors. A registered symbol is the same in both. (The script tag has one copy: the
 * errors of its lazily loaded files are rebuilt with the core's classes, so it keeps the plain `instanceof`.)
 */
const BRAND = Symbol.for('seglet.error')
Object.defineProperty(SegletError.prototype, BRAND, { value: true })

/**
 * Type guard for any Seglet error, also one made by another copy of the package (its ES module and CommonJS
 * builds loaded side by side).
 *
 * @example
 * try { seglet.track(event) } catch (e) { if (isSegletError(e)) console.warn(e.code, e.message) }
 */
export function isSegletError(value: unknown): value is SegletError {
  return value instanceof SegletError || (value instanceof Error && BRAND in value)
}

/** Type guard for event validation errors (code `invalid_event`), also from another copy of the package. */
export function isValidationError(value: unknown): value is ValidationError {
  return isSegletError(value) && value.code === 'invalid_event'
}
