/**
 * Runs `callback` when the browser is idle, and at the latest after `timeoutMs`; returns a cancel function.
 * Falls back to `setTimeout(timeoutMs)` where `requestIdleCallback` is missing (Safari, jsdom).
 */
export function whenIdle(callback: () => void, timeoutMs: number): () => void {
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(() => callback(), { timeout: timeoutMs })
    return () => cancelIdleCallback(handle)
  }
  const handle = setTimeout(callback, timeoutMs)
  return () => clearTimeout(handle)
}
