import { BridgeError, SegletError, ValidationError } from '../../errors/index'

/**
 * Wraps a failure of autocapture or a bridge for `onError`. A rejected event becomes `bridge_invalid` or
 * `autocapture_failed` with the validation message; another `SegletError` is passed on as it is.
 */
export function toSegletError(error: unknown, source: 'autocapture' | 'bridge', context: string): SegletError {
  let validation = false
  let segletError = false
  try {
    validation = error instanceof ValidationError
    segletError = error instanceof SegletError
  } catch {
    // A thrown Proxy can make `instanceof` throw.
  }
  if (segletError && !validation) return error as SegletError
  const detail = validation ? (error as ValidationError).message : 'unexpected error'
  const message = `${context}: ${detail}`
  return source === 'bridge'
    ? new BridgeError(message, error)
    : new SegletError('autocapture_failed', message, { cause: error })
}
