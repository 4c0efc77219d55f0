import { loadReportParts } from '../reports/loadReportParts'
import { loadLazyParts } from './loadLazyParts'
import { loadPart } from './loadPart'
import type { Seglet, SegletOptions } from './createSeglet'
import { createSegletWith } from './createSeglet'
import { createInertSeglet } from './createInertSeglet'
import { validateOptions } from '../options/validateOptions'
import { checkFileOptions } from '../options/checkFileOptions'
import { SegletError } from '../errors'
import { whenIdle } from '../store/lib/whenIdle'

// Loaded as the script-tag build loads its parts: the bridges' code when a page first has GA4 or Shopify data,
// JSON-LD or page statistics; the blocks' code when it first has a block; the retention pass and the export
// document on a page that must prune or export. Bundlers split each into a chunk of its own.
const loadBridges = loadPart('bridges', () => import('../capture/bridges').then((module) => module.createBridges()))
const loadBlocks = loadPart('blocks', () => import('../personalize/blocks'))
const loadPrune = loadPart('prune', () => import('../store/prune'))

// The model part for the next page view, which makes a decision possible (see createSeglet): a bundler's chunk has
// no URL to hand to `<link rel="prefetch">`, as the script tag does, so it is imported, in idle time, which puts it
// in the HTTP cache for the next page and keeps it for this one (a single-page app's next view). A failed import
// is tried again, and reported, by the decision that needs it.
const prefetchRuntime = () => void loadLazyParts().catch(() => {})

/** At the latest this long (ms) after start, the bridges' code is loaded in idle time (see createSeglet). */
export const WARM_BRIDGES_MS = 3_000

export type { ModelOptions, ReportLoader, RuntimeLoader, Seglet, SegletOptions, SegletParts } from './createSeglet'

/**
 * Starts Seglet: autocapture, the on-device store, segment decisions and the page hooks. The model runtime
 * is a separate chunk your bundler splits out; it is loaded after the page's own work.
 *
 * Where there is no page (server rendering, Node, a worker: no `window` or no `document`), it returns an
 * inert Seglet that validates its input and does nothing else: no storage, no model, no reports,
 * `getSegment()` is `null`. So a component shared by the server and the browser may create it anywhere.
 *
 * After `destroy()`, `track()`, `shopifyEvent()` and `exportData()` throw (reject with) a `SegletError` of code
 * `destroyed` instead of taking events no one writes or exporting none of what is stored; `forget()` and
 * `setConsent()` still delete what is stored, and the rest do nothing.
 *
 * @throws OptionsError (code `invalid_option`) for malformed options, a file URL without its integrity hash, or
 * a `pageStats` table of malformed statistics.
 * @example
 * import { createSeglet } from 'seglet'
 * const seglet = createSeglet({ consent: 'granted', onError: (e) => console.warn(e.code, e.message) })
 * seglet.onSegment((segment) => console.log(segment.id, segment.intent))
 */
export function createSeglet(options: SegletOptions = {}): Seglet {
  validateOptions(options)
  checkFileOptions(options)
  // Checked when called, never at import: the same bundle runs on the server and in the browser.
  if (typeof window === 'undefined' || typeof document === 'undefined') return checkedCalls(createInertSeglet(options))
  const seglet = checkedCalls(createSegletWith(options, { loadRuntime: loadLazyParts, prefetchRuntime, bridges: loadBridges, blocks: loadBlocks, prune: loadPrune, loadReports: loadReportParts }))
  // The bridges' code, off the critical path but before the shopper acts: a Shopify or GA4 event handed over later
  // (`checkout_started` as the page navigates away) is then mapped at once, not after a fetch the navigation would
  // cut. A failed load is tried again, and reported, by the first event that needs it.
  whenIdle(() => void loadBridges().catch(() => {}), WARM_BRIDGES_MS)
  return seglet
}

/**
 * The npm build's own checks of calls the script tag's `window.Seglet` checks itself (it throws `not_started` once
 * destroyed): after `destroy()`, the calls that need the running Seglet throw, or reject with, `destroyed`, the inert
 * one's too, so server and browser agree. The same object, its methods replaced: the core's own calls are unchanged.
 */
function checkedCalls(seglet: Seglet): Seglet {
  const { destroy } = seglet
  let destroyed = false
  for (const name of ['track', 'shopifyEvent', 'exportData'] as const) {
    const call = seglet[name] as (event?: unknown) => unknown
    ;(seglet[name] as unknown) = (event?: unknown) => {
      if (!destroyed) return call(event)
      const stopped = new SegletError('destroyed', `${name}() after destroy()`)
      if (name === 'exportData') return Promise.reject(stopped)
      throw stopped
    }
  }
  seglet.destroy = () => {
    destroyed = true
    return destroy()
  }
  return seglet
}
