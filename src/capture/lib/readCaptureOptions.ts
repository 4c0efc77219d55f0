import { OPTION_TABLE, type OptionGroup } from '../../options/optionTable'
import { validateOptions } from '../../options/validateOptions'
import { DEFAULT_PAGE_TYPE_PATTERNS } from '../pageTypePatterns'
import type { CaptureOptions } from '../types'

/** Options with defaults filled in; bad options throw an `OptionsError` (a direct call with bad input). */
export function readCaptureOptions(options: CaptureOptions) {
  validateOptions(options, OPTION_TABLE.capture as OptionGroup)
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
