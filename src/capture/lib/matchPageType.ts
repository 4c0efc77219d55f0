import type { PageType } from '../../events/types'
import type { PageTypePattern } from '../types'

/** The page type of the first matching URL rule, or `other`. */
export function matchPageType(url: string, patterns: readonly PageTypePattern[]): PageType {
  for (const [pattern, pageType] of patterns) {
    if (typeof pattern === 'string') {
      if (url.includes(pattern)) return pageType
    } else if (typeof pattern === 'function') {
      if (pattern(url)) return pageType
    } else if (url.search(pattern) >= 0) return pageType // from the start, lastIndex untouched (a frozen RegExp works)
  }
  return 'other'
}
