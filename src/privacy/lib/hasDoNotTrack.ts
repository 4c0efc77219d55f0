import type { PrivacySignalSource } from '../types'

/**
 * Whether the browser sends Do Not Track. Old Safari and IE used `'yes'` instead of `'1'`.
 */
export function hasDoNotTrack(nav: PrivacySignalSource | undefined): boolean {
  const value = nav?.doNotTrack
  return value === '1' || value === 'yes'
}
