import type { PageType } from '../../events/types'
import type { PageTypePattern } from '../types'

/**
 * The page type of the first matching URL rule, or `other`. A rule with `needs` is skipped without running
 * its RegExp when the URL contains none of them: each RegExp that runs is compiled, which costs the page
 * about 1 KB of heap.
 */
export function matchPageType(url: string, patterns: readonly PageTypePattern[]): PageType {
  for (const [pattern, pageType, needs] of patterns) {
    if (needs && !needs.some((part) => url.includes(part))) continue
    if (typeof pattern === 'string') {
      if (url.includes(pattern)) return pageType
    } else {
      // A global or sticky RegExp keeps its position between calls; start each test from the beginning.
      pattern.lastIndex = 0
      if (pattern.test(url)) return pageType
    }
  }
  return 'other'
}
