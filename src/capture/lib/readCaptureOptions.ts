import { withDefaults } from '../../lib/withDefaults'
import { DEFAULT_PAGE_TYPE_PATTERNS } from '../pageTypePatterns'
import type { CaptureOptions } from '../types'

/** Options with defaults filled in; checked before (`validateOptions()`, by `createCapture()` or `createSeglet()`). */
export function readCaptureOptions(options: CaptureOptions) {
  return withDefaults(options, {
    autocapture: true,
    pageViews: true,
    engagement: true,
    scrollDepth: true,
    dataLayer: true,
    dataLayerName: 'dataLayer',
    pageTypePatterns: DEFAULT_PAGE_TYPE_PATTERNS,
  })
}
