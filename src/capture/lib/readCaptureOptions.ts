import { OptionsError } from '../../errors/index'
import { PAGE_TYPES } from '../../events/types'
import { DEFAULT_PAGE_TYPE_PATTERNS } from '../pageTypePatterns'
import type { CaptureOptions } from '../types'

/** Options with defaults filled in; bad options throw an `OptionsError` (a direct call with bad input). */
export function readCaptureOptions(options: CaptureOptions) {
  if (typeof options !== 'object' || options === null) throw new OptionsError('capture options must be an object')
  const flag = (key: 'autocapture' | 'pageViews' | 'engagement' | 'scrollDepth' | 'dataLayer') => {
    const value = options[key]
    if (value === undefined) return true
    if (typeof value !== 'boolean') throw new OptionsError(`${key} must be a boolean`, key)
    return value
  }
  const dataLayerName = options.dataLayerName ?? 'dataLayer'
  if (typeof dataLayerName !== 'string' || !/^[A-Za-z_$][\w$]{0,63}$/.test(dataLayerName)) {
    throw new OptionsError('dataLayerName must be a JavaScript identifier', 'dataLayerName')
  }
  const pageTypePatterns = options.pageTypePatterns ?? DEFAULT_PAGE_TYPE_PATTERNS
  if (
    !Array.isArray(pageTypePatterns) ||
    !pageTypePatterns.every(
      (rule) => Array.isArray(rule) && (typeof rule[0] === 'string' || rule[0] instanceof RegExp) && PAGE_TYPES.includes(rule[1]),
    )
  ) {
    throw new OptionsError('pageTypePatterns must be a list of [RegExp | string, PageType] pairs', 'pageTypePatterns')
  }
  const pageStats = options.pageStats
  if (pageStats !== undefined && typeof pageStats !== 'function' && (typeof pageStats !== 'object' || pageStats === null)) {
    throw new OptionsError('pageStats must be a table keyed by path or a function', 'pageStats')
  }
  return {
    autocapture: flag('autocapture'),
    pageViews: flag('pageViews'),
    engagement: flag('engagement'),
    scrollDepth: flag('scrollDepth'),
    dataLayer: flag('dataLayer'),
    dataLayerName,
    pageTypePatterns,
    pageStats,
  }
}
