import { loadReportParts } from '../reports/loadReportParts'
import { loadLazyParts } from './loadLazyParts'
import type { Seglet, SegletOptions } from './createSeglet'
import { createSegletWith } from './createSeglet'

export type { ModelOptions, ReportLoader, RuntimeLoader, Seglet, SegletOptions } from './createSeglet'

/**
 * Starts Seglet: autocapture, the on-device store, segment decisions and the page hooks. The model runtime
 * is a separate chunk your bundler splits out; it is loaded after the page's own work.
 *
 * @throws OptionsError (code `invalid_option`) for malformed options.
 * @example
 * import { createSeglet } from 'seglet'
 * const seglet = createSeglet({ consent: 'granted', onError: (e) => console.warn(e.code, e.message) })
 * seglet.onSegment((segment) => console.log(segment.id, segment.intent))
 */
export function createSeglet(options: SegletOptions = {}): Seglet {
  return createSegletWith(options, loadLazyParts, loadReportParts)
}
