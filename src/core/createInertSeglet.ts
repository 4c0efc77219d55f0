import { OptionsError } from '../errors'
import { validateEvent } from '../events/validateEvent'
import { typed } from '../options/parsers'
import { parseConsent, resolveConsent } from '../privacy'
import type { Seglet, SegletOptions } from './createSeglet'

/**
 * The Seglet of a place without a page (server rendering, Node, a worker): it validates what it is given
 * like the real one, and otherwise does nothing. No storage is opened, no model is loaded, nothing is
 * reported, `getSegment()` is `null` and `onSegment()` callbacks are never called.
 *
 * @example
 * // During server rendering, in a component shared with the browser:
 * const seglet = createSeglet({ consent: 'granted' }) // inert on the server
 * seglet.getSegment() // null
 */
export function createInertSeglet(options: SegletOptions): Seglet {
  if (options === null || typeof options !== 'object') {
    throw new OptionsError('createSeglet(options) expects an object', 'options')
  }
  const resolve = (consent: SegletOptions['consent']) =>
    resolveConsent({ consent, respectGlobalPrivacyControl: options.respectGlobalPrivacyControl ?? true })
  let consent = resolve(options.consent)
  const done = () => Promise.resolve()
  return {
    track: (event) => void validateEvent(event),
    // Not async: a bad value throws at the call, as the real one's does.
    setConsent(next) {
      consent = resolve(parseConsent(next))
      return done()
    },
    getConsent: () => consent,
    flush: done,
    getSegment: () => null,
    onSegment(callback) {
      typed('function')(callback, 'onSegment(callback)')
      return () => {}
    },
    explain: () => [],
    forget: done,
    exportData: async () => ({ format: 'seglet-export', version: 1, exportedAt: new Date().toISOString(), storage: 'memory', events: [], meta: {} }),
    shopifyEvent: () => {},
    showPanel: () => {},
    hidePanel: () => {},
    destroy: done,
  }
}
