import type { PageType } from '../../events/types'
import type { PageTypePattern } from '../types'

/** The page type of the first matching URL rule, or `other`. */
export function matchPageType(url: string, patterns: readonly PageTypePattern[]): PageType {
  for (const [pattern, pageType] of patterns) {
    if (typeof pattern === 'string') {
      if (url.includes(pattern)) return pageType
    } else if (typeof pattern === 'function') {
      if (pattern(url)) return pageType
    } else {
      // A global or sticky RegExp keeps its position between calls; start each test from the beginning.
      pattern.lastIndex = 0
      if (pattern.test(url)) return pageType
    }
  }
  return 'other'
}
