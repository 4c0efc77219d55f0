// The shape of the script tag's `window.Seglet` and of its command queue `window.seglet`, for the opt-in
// `seglet/global` types (src/global.ts). Types only: built from the npm package's own types, so they stay in step.
import type { Consent, isSegletError, OptionsError, Seglet, SegletError, SegletOptions, ValidationError } from 'seglet'

/** The methods `window.Seglet` forwards to the running Seglet; they throw `not_started` before it runs. */
export type SegletForwardedName = 'track' | 'getConsent' | 'flush' | 'getSegment' | 'onSegment' | 'explain' | 'exportData' | 'shopifyEvent' | 'showPanel' | 'hidePanel'

/**
 * `window.Seglet`, published by the script tag (`seglet.min.js`) once it has loaded: `undefined` before, and on
 * a page that took the name (then use the queue, `window.seglet.push()`).
 *
 * @example
 * window.Seglet?.track({ type: 'add_to_cart', productId: 'sku-42', quantity: 1, price: 19.9, currency: 'EUR' })
 */
export interface SegletGlobal extends Pick<Seglet, SegletForwardedName> {
  /**
   * Starts Seglet with these options over the tag's `data-*` attributes (called for you at load unless the tag
   * says `data-autostart="false"`).
   * @throws OptionsError for a bad option; SegletError `already_started` when Seglet runs already.
   */
  init(options?: SegletOptions): Seglet
  /** Changes the shopper's consent; works before start too (`'denied'` deletes what was stored). */
  setConsent(consent: Consent): Promise<void>
  /** Listens to every error Seglet caught; errors from before the first listener are delivered to it at once. Returns a function that removes it. */
  onError(listener: (error: SegletError) => void): () => void
  /**
   * Deletes everything Seglet stored on this device, the segment hint cookie included; works before start too. The
   * rest of the page keeps what it tracks in memory only; the next page load stores again while consent is granted.
   */
  forget(): Promise<void>
  /** Stops Seglet on this page (stored data stays). */
  destroy(): Promise<void>
  SegletError: typeof SegletError
  ValidationError: typeof ValidationError
  OptionsError: typeof OptionsError
  isSegletError: typeof isSegletError
}

/** The names a queued command may have: `window.Seglet`'s methods that act (a read has nobody to answer). */
export type SegletCommandName = Exclude<keyof SegletGlobal, 'getConsent' | 'getSegment' | 'explain' | 'SegletError' | 'ValidationError' | 'OptionsError' | 'isSegletError'>

/** A queued command: the method's name, then its arguments, e.g. `['track', event]` or `['setConsent', 'granted']`. */
export type SegletCommand = { [K in SegletCommandName]: [name: K, ...args: Parameters<SegletGlobal[K]>] }[SegletCommandName]

/**
 * `window.seglet`: the page's array of commands before the tag loaded (replayed in order), then the tag's
 * queue, whose `push()` runs them at once. Either way, `push()` takes commands (an array is one of these).
 *
 * @example
 * window.seglet = window.seglet || []
 * window.seglet.push(['setConsent', 'granted'], ['track', { type: 'page_view', url: '/', pageType: 'home' }])
 */
export interface SegletQueue {
  /** One command: its callbacks' parameters are typed from the method's (`['onError', (error) => error.code]`). */
  push<K extends SegletCommandName>(command: [name: K, ...args: Parameters<SegletGlobal[K]>]): number
  /**
   * Several commands, each checked and its callbacks typed as a command of its own: a union of every command
   * (`SegletCommand[]`) would leave `(segment) =>` in `['onSegment', (segment) => …]` untyped beside another command.
   */
  push<K extends SegletCommandName[]>(...commands: { [I in keyof K]: [name: K[I], ...args: Parameters<SegletGlobal[K[I]]>] }): number
}
