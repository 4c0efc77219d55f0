import type { SegletError } from './index'

/** Receives a reported error. */
export type ErrorListener = (error: SegletError) => void

/**
 * The one way Seglet reports an error it caught: to every listener (a throwing listener affects neither
 * Seglet nor the others), or, while there is none, to `console.warn` once per error code, so a mistake
 * such as `data-consent="yes"` is visible to a developer who registered no `onError`.
 *
 * @example
 * const listeners = new Set<ErrorListener>()
 * const report = createReporter(listeners)
 * report(new OptionsError('data-consent must be …', 'data-consent')) // console.warn, once for invalid_option
 */
export function createReporter(listeners: ReadonlySet<ErrorListener>): (error: SegletError) => void {
  const warned = new Set<string>()
  return (error) => {
    if (!listeners.size && !warned.has(error.code)) {
      warned.add(error.code)
      try {
        console.warn(`Seglet ${error.code}: ${error.message}`)
      } catch {
        // No console: nowhere else to say it.
      }
    }
    for (const listener of listeners) {
      try {
        listener(error)
      } catch {
        // A throwing listener must not break Seglet, the page or the other listeners.
      }
    }
  }
}
