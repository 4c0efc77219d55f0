/** The longest delay Node's timers keep: 2^31 − 1 ms, about 24.8 days. Given a longer one, Node fires after 1 ms. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1

const CAPPED = Symbol.for('seglet.capLongTimeouts')

/**
 * Makes `setTimeout`, for the whole process, wait {@link MAX_TIMEOUT_MS} when given a longer delay, instead of
 * firing after 1 ms as Node does (with a `TimeoutOverflowWarning`). The embedded store needs it: PGlite (PostgreSQL
 * built with Emscripten) arms PostgreSQL's timers with `setTimeout`, and PostgreSQL arms a timer that fires before
 * its time again for the time left by the wall clock. With the clock set back more than about 25 days while one is
 * armed (a date set ahead by mistake, then corrected), that time is longer than Node keeps: the timer fired every
 * millisecond, armed again each time, for as long as the clock had been set back. Capped, it waits 24.8 days, and
 * PostgreSQL arms it again for the time still left, as on a native build. Installed once; `setTimeout`'s own
 * properties (its `util.promisify` form) are kept.
 *
 * @example
 * capLongTimeouts()
 * setTimeout(wake, 40 * 86_400_000) // fires in 24.8 days, not in 1 ms
 */
export function capLongTimeouts(): void {
  const original = globalThis.setTimeout
  if ((original as unknown as Record<symbol, boolean>)[CAPPED]) return
  const capped = (callback: (...args: unknown[]) => void, delay?: number, ...args: unknown[]) =>
    original(callback, Number(delay) > MAX_TIMEOUT_MS ? MAX_TIMEOUT_MS : delay, ...args)
  Object.defineProperties(capped, Object.getOwnPropertyDescriptors(original))
  Object.defineProperty(capped, CAPPED, { value: true })
  globalThis.setTimeout = capped as unknown as typeof setTimeout
}
