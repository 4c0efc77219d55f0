/**
 * Runs `callback` when the browser is idle (at most `timeout` ms later), or on the next macrotask where
 * `requestIdleCallback` is missing (Safari, Node). Never throws into the caller.
 */
export function whenIdle(callback: () => void, timeout = 200): void {
  const ric = typeof requestIdleCallback === 'function' ? requestIdleCallback : undefined
  if (ric) ric(() => callback(), { timeout })
  else setTimeout(callback, 1)
}
