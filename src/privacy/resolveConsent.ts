import { hasDoNotTrack } from './lib/hasDoNotTrack'
import { hasGlobalPrivacyControl } from './lib/hasGlobalPrivacyControl'
import { parseBoolean } from './lib/parseBoolean'
import { parseConsent } from './parseConsent'
import type { Consent, ConsentOptions, PrivacySignalSource } from './types'

/**
 * The effective consent: the shop's decision, overridden to `'denied'` by Global Privacy Control
 * (unless the shop opts out) and, when asked for, by Do Not Track.
 *
 * Throws an `OptionsError` (code `invalid_option`) for a consent value that is not
 * `'granted' | 'denied' | 'pending'` or a non-boolean flag.
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
  nav: PrivacySignalSource | undefined = typeof navigator === 'undefined' ? undefined : navigator,
): Consent {
  const consent = options.consent === undefined ? 'pending' : parseConsent(options.consent)
  const respectGpc = parseBoolean(options.respectGlobalPrivacyControl, true, 'respectGlobalPrivacyControl')
  const respectDnt = parseBoolean(options.respectDoNotTrack, false, 'respectDoNotTrack')
  if (respectGpc && hasGlobalPrivacyControl(nav)) return 'denied'
  if (respectDnt && hasDoNotTrack(nav)) return 'denied'
  return consent
}
