import { useContext } from 'react'
import type { Seglet } from 'seglet'
import { SegletContext } from './SegletContext'

/**
 * The running Seglet of the nearest `<SegletProvider>`, for `track()`, `setConsent()` or `showPanel()` in
 * event handlers and effects: the `seglet` given to the provider (on the server, that inert Seglet), or the one it
 * started from `options`, which is `null` on the server and until the provider has mounted. `null` without a
 * `<SegletProvider>` above: it never throws, so call it as `seglet?.track(…)`.
 *
 * @example
 * const seglet = useSeglet()
 * <button onClick={() => seglet?.setConsent('granted')}>Accept</button>
 */
export function useSeglet(): Seglet | null {
  return useContext(SegletContext).seglet
}
