import { loadReportParts } from '../reports/loadReportParts'
import { loadLazyParts } from './loadLazyParts'
import { loadPart } from './loadPart'
import type { Seglet, SegletOptions } from './createSeglet'
import { createSegletWith } from './createSeglet'
import { createInertSeglet } from './createInertSeglet'
import { validateOptions } from '../options/validateOptions'

// Loaded as the script-tag build loads its parts: the bridges' code when a page first has GA4 or Shopify data,
// JSON-LD or page statistics; the blocks' code when it first has a block; the retention pass and the export
// document on a page that must prune or export. Bundlers split each into a chunk of its own.
const loadBridges = loadPart('bridges', () => import('../capture/bridges').then((module) => module.createBridges()))
const loadBlocks = loadPart('blocks', () => import('../personalize/blocks'))
const loadPrune = loadPart('prune', () => import('../store/prune'))

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
  return createSegletWith(options, { loadRuntime: loadLazyParts, bridges: loadBridges, blocks: loadBlocks, prune: loadPrune, loadReports: loadReportParts })
}
