import type { PrivacySignalSource } from '../types'

/**
 * Whether the browser sends the Global Privacy Control signal.
 * Only a strict `true` counts (https://privacycg.github.io/gpc-spec/#javascript-property-to-detect-preference).
 */
export function hasGlobalPrivacyControl(nav: PrivacySignalSource | undefined): boolean {
  return nav?.globalPrivacyControl === true
}
