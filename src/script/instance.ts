import type { Seglet, SegletOptions } from '../core/createSeglet'
import { createSegletWith } from '../core/createSeglet'
import { SegletError } from '../errors'
import type { ShopperEvent } from '../events/types'
import { rebrand } from '../model/loadScriptRuntime'
import { loadScriptParts } from './loadScriptParts'
import { loadScriptReports } from './loadScriptReports'
import type { Consent } from '../privacy'
import type { Segment } from '../segments'

// The script tag has one Seglet per page; these module-level bindings are that instance.
let instance: Seglet | undefined
const errorListeners = new Set<(error: SegletError) => void>()
const pendingErrors: SegletError[] = []

/** Delivers an error to every `onError` listener; keeps the first few until a listener exists. */
export function reportError(error: SegletError): void {
  if (errorListeners.size === 0) {
    if (pendingErrors.length < 20) pendingErrors.push(error)
    return
  }
  for (const listener of errorListeners) {
    try {
      listener(error)
    } catch {
      // A throwing listener must not break Seglet or the other listeners.
    }
  }
}

/**
 * Listens to every error Seglet caught instead of throwing into the page. Errors that happened before the
 * first listener (bad `data-*` attributes, malformed queued commands) are delivered to it at once.
 * @returns a function that removes the listener.
 * @example Seglet.onError((e) => console.warn('seglet', e.code, e.message))
 */
export function onError(listener: (error: SegletError) => void): () => void {
  if (typeof listener !== 'function') throw new SegletError('invalid_option', 'onError(listener) expects a function', { field: 'listener' })
  errorListeners.add(listener)
  for (const error of pendingErrors.splice(0)) reportError(error)
  return () => errorListeners.delete(listener)
}

/**
 * Starts Seglet with these options (merged over the script tag's `data-*` attributes). Called for you at
 * load unless the tag says `data-autostart="false"`; a second call is ignored and returns the running instance.
 */
export function init(options: SegletOptions = {}): Seglet {
  if (instance) return instance
  const userOnError = options.onError
  instance = createSegletWith(
    {
      ...options,
      // Errors from the lazily loaded files carry those files' copies of the classes: rebuilt with ours.
      onError: (error) => {
        error = rebrand(error) as SegletError
        reportError(error)
        userOnError?.(error)
      },
    },
    loadScriptParts,
    loadScriptReports,
  )
  return instance
}

function running(): Seglet {
  if (!instance) throw new SegletError('not_started', 'Seglet has not started: call Seglet.init() or remove data-autostart="false"')
  return instance
}

/** Records one event. Throws a `ValidationError` for a malformed event. */
export const track = (event: ShopperEvent): void => running().track(event)
/** Changes the shopper's consent. */
export const setConsent = (consent: Consent): Promise<void> => running().setConsent(consent)
/** The consent in effect. */
export const getConsent = (): Consent => running().getConsent()
/** Writes queued events now. */
export const flush = (): Promise<void> => running().flush()
/** The current segment, or `null`. */
export const getSegment = (): Segment | null => running().getSegment()
/** Subscribes to segment changes; returns an unsubscribe function. */
export const onSegment = (callback: (segment: Segment) => void, options?: { immediate?: boolean }): (() => void) =>
  running().onSegment(callback, options)
/** Why the current segment was chosen. */
export const explain = () => running().explain()
/** Deletes everything Seglet stored on this device. */
export const forget = (): Promise<void> => running().forget()
/** Everything Seglet stored, as JSON. */
export const exportData = () => running().exportData()
/** Passes a Shopify customer event to Seglet. */
export const shopifyEvent = (event: unknown): void => running().shopifyEvent(event)
/** Opens the transparency panel. */
export const showPanel = (): void => running().showPanel()
/** Closes the transparency panel. */
export const hidePanel = (): void => running().hidePanel()
/** Stops Seglet on this page (stored data stays). */
export const destroy = async (): Promise<void> => {
  const current = instance
  instance = undefined
  await current?.destroy()
}
