import { parseConsent } from './parseConsent'
import type { Consent } from './types'

/**
 * Whether Seglet may write to IndexedDB under `consent`: only when it is `'granted'`.
 * Pending and denied both mean memory only. Throws an `OptionsError` for an unknown value.
 *
 * @example
 * createStore({ persist: isPersistAllowed(resolveConsent({ consent })) })
 */
export function isPersistAllowed(consent: Consent): boolean {
  return parseConsent(consent) === 'granted'
}
