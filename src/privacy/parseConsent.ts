import { parser } from '../options/parsers'
import { CONSENT_VALUES, type Consent } from './types'

const parseConsentValue = parser(
  (value) => (CONSENT_VALUES as readonly unknown[]).includes(value),
  `one of ${CONSENT_VALUES.map((c) => `'${c}'`).join(', ')}`,
)

/**
 * Returns `value` as a `Consent`, or throws an `OptionsError` naming `field`
 * (`consent must be one of 'granted', 'denied', 'pending'; got "yes"`), as every option parser does.
 * Takes `unknown` because consent often arrives from `data-*` attributes and script-tag commands.
 *
 * @example
 * parseConsent(script.dataset.consent ?? 'pending') // throws OptionsError for 'yes'
 */
export const parseConsent = (value: unknown, field = 'consent'): Consent => parseConsentValue(value, field) as Consent
