import { DEFAULT_PAGE_TYPE_PATTERNS } from '../pageTypePatterns'
import type { CaptureOptions } from '../types'

/** Options with defaults filled in; checked before (`validateOptions()`, by `createCapture()` or `createSeglet()`). */
export function readCaptureOptions(options: CaptureOptions) {
  return {
    autocapture: options.autocapture ?? true,
    pageViews: options.pageViews ?? true,
    engagement: options.engagement ?? true,
    scrollDepth: options.scrollDepth ?? true,
    dataLayer: options.dataLayer ?? true,
    dataLayerName: options.dataLayerName ?? 'dataLayer',
    pageTypePatterns: options.pageTypePatterns ?? DEFAULT_PAGE_TYPE_PATTERNS,
    pageStats: options.pageStats,
  }
}
