/**
 * Counts the event listeners and MutationObservers a test's code adds, for tests of what a long-lived page
 * keeps and what `destroy()` leaves behind: `instrument()` wraps `addEventListener`, `removeEventListener` and
 * `MutationObserver` (on `EventTarget.prototype`, `window` and `globalThis`), `restore()` undoes it.
 */
export type Entry = { target: EventTarget; type: string; listener: unknown; capture: boolean }
export const live: Entry[] = []
const proto = EventTarget.prototype
const add = proto.addEventListener
const remove = proto.removeEventListener
const winAdd = window.addEventListener
const winRemove = window.removeEventListener
const globalAdd = globalThis.addEventListener
const globalRemove = globalThis.removeEventListener
const captureOf = (o: unknown) => (typeof o === 'boolean' ? o : !!(o as AddEventListenerOptions | undefined)?.capture)
let observers = 0
/** MutationObservers observing now. */
export const observerCount = (): number => observers
const NativeMO = window.MutationObserver

export function instrument() {
  proto.addEventListener = function (this: EventTarget, type: string, listener: unknown, options?: unknown) {
    if (listener && !live.some((e) => e.target === this && e.type === type && e.listener === listener && e.capture === captureOf(options))) {
      if (!(typeof options === 'object' && (options as AddEventListenerOptions)?.once)) live.push({ target: this, type, listener, capture: captureOf(options) })
    }
    return (this === window ? winAdd : add).call(this, type, listener as EventListener, options as AddEventListenerOptions)
  }
  proto.removeEventListener = function (this: EventTarget, type: string, listener: unknown, options?: unknown) {
    const i = live.findIndex((e) => e.target === this && e.type === type && e.listener === listener && e.capture === captureOf(options))
    if (i >= 0) live.splice(i, 1)
    return (this === window ? winRemove : remove).call(this, type, listener as EventListener, options as EventListenerOptions)
  }
  window.addEventListener = proto.addEventListener as typeof window.addEventListener
  window.removeEventListener = proto.removeEventListener as typeof window.removeEventListener
  globalThis.addEventListener = function (this: unknown, ...args: unknown[]) {
    return (proto.addEventListener as (...a: unknown[]) => void).apply(window, args)
  } as typeof addEventListener
  globalThis.removeEventListener = function (this: unknown, ...args: unknown[]) {
    return (proto.removeEventListener as (...a: unknown[]) => void).apply(window, args)
  } as typeof removeEventListener
  window.MutationObserver = class extends NativeMO {
    on = false
    override observe(target: Node, options?: MutationObserverInit) {
      if (!this.on) observers++
      this.on = true
      super.observe(target, options)
    }
    override disconnect() {
      if (this.on) observers--
      this.on = false
      super.disconnect()
    }
  }
}
export function restore() {
  proto.addEventListener = add
  proto.removeEventListener = remove
  window.addEventListener = winAdd
  globalThis.addEventListener = globalAdd
  globalThis.removeEventListener = globalRemove
  window.removeEventListener = winRemove
  window.MutationObserver = NativeMO
}
// jsdom's selector engine (nwsapi) adds two listeners of its own the first time a selector needs them.
const isJsdoms = (e: Entry) => String(e.listener).includes('Snapshot.HOVER')
/** Listeners on `window`, `document` and `<html>`, jsdom's own left out. */
export const pageTargets = () => live.filter((e) => (e.target === window || e.target === document || e.target === document.documentElement) && !isJsdoms(e))
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
