/**
 * The shopper's consent to on-device storage.
 *
 * - `'granted'`: events are persisted in IndexedDB.
 * - `'pending'`: no decision yet; nothing is persisted, Seglet works in memory for the page.
 * - `'denied'`: nothing is persisted, Seglet works in memory for the page.
 */
export type Consent = 'granted' | 'denied' | 'pending'

/** Every `Consent` value, in a stable order. */
export const CONSENT_VALUES: readonly Consent[] = ['granted', 'denied', 'pending']

/** Options that decide the effective consent. */
export interface ConsentOptions {
  /**
   * The shop's consent decision for this shopper, usually from its consent banner.
   * @default 'pending'
   */
  consent?: Consent
  /**
   * Treat `navigator.globalPrivacyControl === true` as `'denied'`, even over an explicit `'granted'`.
   * Set to `false` only when the shop handles the GPC signal itself (for example in its consent banner).
   * @default true
   */
  respectGlobalPrivacyControl?: boolean
}

/** The parts of `navigator` that carry the shopper's privacy signals. */
export interface PrivacySignalSource {
  globalPrivacyControl?: unknown
}
