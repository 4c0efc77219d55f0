import type { Seglet, SegletOptions } from '../core/createSeglet'
import { createSegletWith } from '../core/createSeglet'
import type { ErrorListener } from '../errors'
import { createReporter, SegletError } from '../errors'
import { typed } from '../options/parsers'
import { validateOptions } from '../options/validateOptions'
import { parseConsent } from '../privacy'
import { openStore } from '../store/createStore'
import { withStoreDefaults } from '../store/lib/withStoreDefaults'
import { loadScriptBlocks, loadScriptBridges, loadScriptParts, loadScriptPrune, prefetchScriptParts } from './loadScriptParts'
import { rebrand } from '../model/loadScriptRuntime'
import { loadScriptReports } from './loadScriptReports'
import type { Consent } from '../privacy'

// The script tag has one Seglet per page; these module-level bindings are that instance.
let instance: Seglet | undefined
/** The tag's `data-*` options: what `init()` options go over. */
let base: SegletOptions = {}
/** The consent last set with `setConsent()`: `init()` starts with it, over the consent in its options. */
let consentSet: SegletOptions = {}
const errorListeners = new Set<ErrorListener>()
const pendingErrors: SegletError[] = []
const deliver = createReporter(errorListeners)

/**
 * Delivers an error to every `onError` listener, or with none yet to `console.warn` (once per code); keeps
 * the first few for the first listener.
 */
export function reportError(error: SegletError): void {
  if (!errorListeners.size && pendingErrors.length < 20) pendingErrors.push(error)
  deliver(error)
}

/**
 * Listens to every error Seglet caught instead of throwing into the page. Errors that happened before the
 * first listener (bad `data-*` attributes, malformed queued commands) are delivered to it at once.
 * @returns a function that removes the listener.
 * @example Seglet.onError((e) => console.warn('seglet', e.code, e.message))
 */
export function onError(listener: ErrorListener): () => void {
  typed('function')(listener, 'onError(listener)')
  errorListeners.add(listener)
  for (const error of pendingErrors.splice(0)) reportError(error)
  return () => errorListeners.delete(listener)
}

/** Sets the options `init()` starts from: the script tag's `data-*` attributes. */
export function configure(options: SegletOptions): void {
  base = options
}

/**
 * Starts Seglet with these options, merged over the script tag's `data-*` attributes (group by group).
 * Called for you at load unless the tag says `data-autostart="false"`.
 * @throws OptionsError for an unknown or malformed option; SegletError `already_started` when Seglet runs
 *   already (change consent with `setConsent()`), `start_failed` when the browser failed it (nothing started).
 */
export function init(options: SegletOptions = {}): Seglet {
  if (instance) throw new SegletError('already_started', 'Seglet runs already; use setConsent()')
  validateOptions(options)
  const merged: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries({ ...options, ...consentSet })) {
    const under = merged[key]
    merged[key] = value && typeof value === 'object' && under && typeof under === 'object' ? { ...under, ...value } : value
  }
  const { onError: listener, ...rest } = merged as SegletOptions
  if (listener) onError(listener)
  return (instance = createSegletWith(
    // Errors from the lazily loaded files carry those files' copies of the classes: rebuilt with ours.
    { ...rest, onError: (error) => reportError(rebrand(error) as SegletError) },
    { loadRuntime: loadScriptParts, prefetchRuntime: prefetchScriptParts, bridges: loadScriptBridges, blocks: loadScriptBlocks, prune: loadScriptPrune, loadReports: loadScriptReports },
  ))
}

/** The methods that only call the running Seglet's own (see {@link Seglet}); they throw `not_started` before it runs. */
export const FORWARDED = ['track', 'getConsent', 'flush', 'getSegment', 'onSegment', 'explain', 'exportData', 'shopifyEvent', 'showPanel', 'hidePanel'] as const

/** The running Seglet's method `name`, for `window.Seglet`. */
export const forward =
  <K extends (typeof FORWARDED)[number]>(name: K) =>
  (...args: Parameters<Seglet[K]>): ReturnType<Seglet[K]> => {
    if (!instance) throw new SegletError('not_started', 'Seglet has not started: call Seglet.init()')
    return (instance[name] as (...a: Parameters<Seglet[K]>) => ReturnType<Seglet[K]>)(...args)
  }

/**
 * Changes the shopper's consent; works before start too (kept for `init()`; `'denied'` deletes what was
 * stored). A bad value throws an `OptionsError` at once.
 */
export const setConsent = (consent: Consent): Promise<void> => {
  consentSet = { consent: parseConsent(consent) }
  return instance ? instance.setConsent(consent) : consent === 'denied' ? forget() : Promise.resolve()
}
/**
 * Deletes everything Seglet stored on this device; works before start (and after a failed start) too. The
 * tag's `dbName` went through the option table's parser when the tag was read.
 */
export const forget = (): Promise<void> =>
  instance ? instance.forget() : openStore(withStoreDefaults({ dbName: base.storage?.dbName }), loadScriptPrune).forget()
/** Stops Seglet on this page (stored data stays). */
export const destroy = async (): Promise<void> => {
  const current = instance
  instance = undefined
  await current?.destroy()
}
