export type { Consent, ConsentOptions, PrivacySignalSource } from './types'
export { CONSENT_VALUES } from './types'
export { resolveConsent } from './resolveConsent'
export { isPersistAllowed } from './isPersistAllowed'
export { parseConsent } from './parseConsent'
export type { RetentionPolicy } from './retention'
export {
  DEFAULT_RETENTION_DAYS,
  DEFAULT_PURCHASE_RETENTION_DAYS,
  DEFAULT_MAX_EVENTS,
  DAY_MS,
  MAX_CLOCK_SKEW_MS,
} from './retention'
export { isLongLivedType } from './isLongLivedType'
export { applyRetention } from './applyRetention'
