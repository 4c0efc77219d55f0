import { hasGlobalPrivacyControl } from './lib/hasGlobalPrivacyControl'
import type { Consent, ConsentOptions, PrivacySignalSource } from './types'

/**
 * The effective consent: the shop's decision, overridden to `'denied'` by Global Privacy Control
 * (unless the shop opts out).
 *
 * The options are checked before (the option table: `validateOptions()`, `parseConsent()`).
 *
 * @param nav Where the privacy signals are read; defaults to the global `navigator` (read at call time,
 *   absent in Node).
 *
 * @example
 * resolveConsent({ consent: 'granted' }) // 'denied' when the browser sends GPC, else 'granted'
 * resolveConsent({ consent: 'granted', respectGlobalPrivacyControl: false }) // 'granted'
 */
export function resolveConsent(
  options: ConsentOptions = {},
  nav: PrivacySignalSource | undefined = globalThis.navigator as PrivacySignalSource | undefined,
): Consent {
  return options.respectGlobalPrivacyControl !== false && hasGlobalPrivacyControl(nav) ? 'denied' : (options.consent ?? 'pending')
}
