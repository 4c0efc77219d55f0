import { createSeglet, SegletError } from 'seglet'
import type { Seglet, SegletOptions } from 'seglet'

/**
 * `createSeglet(options)` for the framework bindings, or `null` when it throws (a bad option, on the server
 * too, or a start the browser fails): thrown from a React effect or from Vue's `app.use()`, it would take the
 * shop's whole app down. Reported instead through `options.onError`, or without one in the script tag's words
 * (`console.warn("Seglet invalid_option: …")`, as `createReporter()` does), so React and Vue say the same thing
 * the same way. A throwing `onError` (or no console) must not break the app either.
 *
 * @example
 * const seglet = startSeglet({ consent: 'granted' }) // null, and reported, when it cannot start
 */
export function startSeglet(options: SegletOptions | null | undefined): Seglet | null {
  try {
    return createSeglet(options as SegletOptions)
  } catch (thrown) {
    try {
      // An OptionsError, or `start_failed` with the browser's error as cause; anything else (an options object whose
      // getter throws as it is read) is said as a failed start, so `onError` gets a SegletError with a code.
      tell(options, thrown instanceof SegletError ? thrown : new SegletError('start_failed', `Seglet could not start: ${thrown}`, { cause: thrown }))
    } catch {
      // A thrown value that cannot be said as a string (a Symbol, a throwing toString): tell() itself never throws.
    }
    return null
  }
}

/** Reports `error` through `options.onError`, or as one `console.warn` line; never throws. */
export function tell(options: SegletOptions | null | undefined, error: SegletError): void {
  try {
    const onError = options?.onError
    typeof onError === 'function' ? onError(error) : console.warn(`Seglet ${error.code}: ${error.message}`)
  } catch {
    // Nowhere else to say it.
  }
}
