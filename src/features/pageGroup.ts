import type { PageType } from '../events/types'
import type { PageGroup } from './types'

/**
 * The UCI page group of a page type (see `PageGroup` for the exact mapping).
 *
 * @example
 * pageGroup('cart') // 'product'
 */
export function pageGroup(pageType: PageType): PageGroup {
  switch (pageType) {
    case 'account':
      return 'administrative'
    case 'informational':
      return 'informational'
    case 'other':
      return 'none'
    default:
      return 'product'
  }
}
