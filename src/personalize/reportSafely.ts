import { SegletError, type ErrorReporter } from '../errors'

/**
 * Report a failure of a hook (a callback, a DOM update) as `hook_failed`, with the original error
 * as `cause`. A reporter that throws itself is ignored: nothing Seglet does on the page's behalf
 * may throw into the page.
 */
export function reportSafely(onError: ErrorReporter, message: string, cause: unknown): void {
  try {
    const detail = cause instanceof Error ? cause.message : String(cause)
    onError(new SegletError('hook_failed', `${message}: ${detail}`, { cause }))
  } catch {
    // The page's own error handler failed; there is nowhere left to report to.
  }
}
