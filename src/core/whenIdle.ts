/**
 * Runs `callback` when the browser is idle (at most `timeout` ms later), or on the next macrotask where
 * `requestIdleCallback` is missing (Safari, Node) or throws (a broken polyfill). Never throws into the caller.
 */
export function whenIdle(callback: () => void, timeout = 200): void {
  try {
    requestIdleCallback(() => callback(), { timeout })
  } catch {
    setTimeout(callback, 1)
  }
}
