import { createBridges } from '../capture/bridges'
import { createBlocks } from '../personalize/createBlocks'
import { pruneEvents } from '../store/lib/pruneEvents'
import { exportStored } from '../store/lib/exportStored'
import { loadReportParts } from '../reports/loadReportParts'
import { loadLazyParts } from './loadLazyParts'
import type { Seglet, SegletOptions } from './createSeglet'
import { createSegletWith } from './createSeglet'
import { createInertSeglet } from './createInertSeglet'
import { validateOptions } from '../options/validateOptions'

export type { ModelOptions, ReportLoader, RuntimeLoader, Seglet, SegletOptions, SegletParts } from './createSeglet'

/**
 * Starts Seglet: autocapture, the on-device store, segment decisions and the page hooks. The model runtime
 * is a separate chunk your bundler splits out; it is loaded after the page's own work.
 *
 * Where there is no page (server rendering, Node, a worker: no `window` or no `document`), it returns an
 * inert Seglet that validates its input and does nothing else: no storage, no model, no reports,
 * `getSegment()` is `null`. So a component shared by the server and the browser may create it anywhere.
 *
 * @throws OptionsError (code `invalid_option`) for malformed options.
 * @example
 * import { createSeglet } from 'seglet'
 * const seglet = createSeglet({ consent: 'granted', onError: (e) => console.warn(e.code, e.message) })
 * seglet.onSegment((segment) => console.log(segment.id, segment.intent))
 */
export function createSeglet(options: SegletOptions = {}): Seglet {
  validateOptions(options)
  // Checked when called, never at import: the same bundle runs on the server and in the browser.
  if (typeof window === 'undefined' || typeof document === 'undefined') return createInertSeglet(options)
  return createSegletWith(options, { loadRuntime: loadLazyParts, bridges: createBridges(), blocks: { createBlocks }, prune: { pruneEvents, exportStored }, loadReports: loadReportParts })
}
