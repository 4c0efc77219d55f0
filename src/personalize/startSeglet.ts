import { createSeglet } from 'seglet'
import type { Seglet, SegletError, SegletOptions } from 'seglet'

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
  } catch (error) {
    // createSeglet() throws SegletErrors only: an OptionsError, or `start_failed` with the browser's error as cause.
    const { code, message } = error as SegletError
    try {
      const onError = options?.onError
      typeof onError === 'function' ? onError(error as SegletError) : console.warn(`Seglet ${code}: ${message}`)
    } catch {
      // Nowhere else to say it.
    }
    return null
  }
}
