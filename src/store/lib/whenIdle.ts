/**
 * Runs `callback` when the browser is idle, and at the latest after `timeoutMs`; returns a cancel function.
 * Falls back to `setTimeout(timeoutMs)` where `requestIdleCallback` is missing (Safari, jsdom) or throws (a
 * broken polyfill). Never throws into the caller.
 */
export function whenIdle(callback: () => void, timeoutMs: number): () => void {
  try {
    const handle = requestIdleCallback(() => callback(), { timeout: timeoutMs })
    return () => cancelIdleCallback(handle)
  } catch {
    const handle = setTimeout(callback, timeoutMs)
    return () => clearTimeout(handle)
  }
}
