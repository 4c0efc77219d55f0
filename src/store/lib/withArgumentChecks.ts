import { OptionsError, SegletError, type ErrorReporter } from '../../errors/index'
import { MAX_CLOCK_SKEW_MS } from '../../privacy/retention'
import { isStoredEvent } from './isStoredEvent'
import type { EventStore } from '../types'

const checkKey = (key: unknown) => {
  if (typeof key !== 'string' || key === '') throw new OptionsError('meta key must be a non-empty string', 'key')
}

const checkCallback = (callback: unknown, name: string) => {
  if (typeof callback !== 'function') throw new OptionsError(`${name} callback must be a function`, 'callback')
}

/**
 * `store` with its arguments checked: a bad one throws an `OptionsError` at the call, a malformed event is
 * dropped and reported (`invalid_event`). For `createStore()`, whose callers pass anything; Seglet's own
 * calls (the script-tag core: events the capture validated and stamped) go to the store directly.
 */
export function withArgumentChecks(store: EventStore, report: ErrorReporter): EventStore {
  return {
    get mode() {
      return store.mode
    },
    enqueue(event) {
      // One malformed record (no id) would make IndexedDB reject the whole batch: drop it here instead.
      // So is one stamped far ahead (a wrong clock): it would never expire and would crowd out real events.
      if (!isStoredEvent(event) || event.ts > Date.now() + MAX_CLOCK_SKEW_MS) {
        report(new SegletError('invalid_event', 'enqueue() dropped an event lacking id, type or ts (≤ 1 day ahead)'))
      } else store.enqueue(event)
    },
    flush: store.flush,
    getEvents: store.getEvents,
    async getFeatureEvents(since) {
      if (typeof since !== 'number' || Number.isNaN(since)) throw new OptionsError('since must be a time in ms', 'since')
      return store.getFeatureEvents(since)
    },
    async setPersist(persist) {
      if (typeof persist !== 'boolean') throw new OptionsError(`persist must be true or false; got ${typeof persist}`, 'persist')
      return store.setPersist(persist)
    },
    forget: store.forget,
    exportData: store.exportData,
    onFlush(callback) {
      checkCallback(callback, 'onFlush')
      return store.onFlush(callback)
    },
    beforeWrite(callback) {
      checkCallback(callback, 'beforeWrite')
      return store.beforeWrite(callback)
    },
    async getMeta<T>(key: string) {
      checkKey(key)
      return store.getMeta<T>(key)
    },
    async setMeta(key, value) {
      checkKey(key)
      // A value IndexedDB cannot clone (a function, a DOM node) would fail the meta write, and with it
      // the store's persistence for the rest of the page: refuse it at the call instead.
      try {
        structuredClone(value)
      } catch {
        throw new OptionsError('meta value must be structured-cloneable', 'value')
      }
      return store.setMeta(key, value)
    },
    close: store.close,
  }
}
