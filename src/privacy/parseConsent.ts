import { OptionsError } from '../errors/index'
import { CONSENT_VALUES, type Consent } from './types'

/**
 * Returns `value` as a `Consent`, or throws an `OptionsError` naming `field`.
 * Takes `unknown` because consent often arrives from `data-*` attributes and script-tag commands.
 *
 * @example
 * parseConsent(script.dataset.consent ?? 'pending') // throws OptionsError for 'yes'
 */
export function parseConsent(value: unknown, field = 'consent'): Consent {
  if (typeof value === 'string' && (CONSENT_VALUES as readonly string[]).includes(value)) return value as Consent
  const shown = typeof value === 'string' ? JSON.stringify(value) : typeof value
  throw new OptionsError(`${field} must be one of ${CONSENT_VALUES.map((c) => `'${c}'`).join(', ')}; got ${shown}`, field)
}
