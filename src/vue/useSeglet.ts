import { inject } from 'vue'
import type { Seglet } from 'seglet'
import { NO_SEGLET, SEGLET_KEY } from './segletKey'

/**
 * The Seglet the plugin provides, for `track()`, `setConsent()` or `showPanel()` in handlers; `null`
 * without the plugin. Call it in `setup()`.
 *
 * @example
 * const seglet = useSeglet()
 * const accept = () => seglet?.setConsent('granted')
 */
export function useSeglet(): Seglet | null {
  return inject(SEGLET_KEY, NO_SEGLET).seglet
}
