import type { PageType } from '../../events/types'
import type { PageTypePattern } from '../types'

/** The page type of the first matching URL rule, or `other`. */
export function matchPageType(url: string, patterns: readonly PageTypePattern[]): PageType {
  for (const [pattern, pageType] of patterns) {
    // A RegExp is searched from the start, its lastIndex untouched (a frozen RegExp works).
    if (typeof pattern == 'function' ? pattern(url) : typeof pattern == 'string' ? url.includes(pattern) : url.search(pattern) >= 0) return pageType
  }
  return 'other'
}
