import { useContext } from 'react'
import type { Seglet } from 'seglet'
import { SegletContext } from './SegletContext'

/**
 * The running Seglet of the nearest `<SegletProvider>`, for `track()`, `setConsent()` or `showPanel()` in
 * event handlers and effects. `null` on the server and until the provider started it.
 *
 * @example
 * const seglet = useSeglet()
 * <button onClick={() => seglet?.setConsent('granted')}>Accept</button>
 */
export function useSeglet(): Seglet | null {
  return useContext(SegletContext).seglet
}
