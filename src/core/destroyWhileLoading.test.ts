// A file of its own: the model part must not be loaded yet, as on a real page's first decision.
import { afterEach, describe, expect, it } from 'vitest'
import { createSeglet } from './index'
import type { Segment } from '../segments'

type Entry = { target: EventTarget; type: string; listener: unknown; capture: boolean }
const live: Entry[] = []
const proto = EventTarget.prototype
const add = proto.addEventListener
const remove = proto.removeEventListener
const winAdd = window.addEventListener
const winRemove = window.removeEventListener
const globalAdd = globalThis.addEventListener
const globalRemove = globalThis.removeEventListener
const captureOf = (o: unknown) => (typeof o === 'boolean' ? o : !!(o as AddEventListenerOptions | undefined)?.capture)
let observers = 0
const NativeMO = window.MutationObserver

function instrument() {
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
    observe(target: Node, options?: MutationObserverInit) {
      if (!this.on) observers++
      this.on = true
      super.observe(target, options)
    }
    disconnect() {
      if (this.on) observers--
      this.on = false
      super.disconnect()
    }
  }
}
function restore() {
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
const pageTargets = () => live.filter((e) => (e.target === window || e.target === document || e.target === document.documentElement) && !isJsdoms(e))
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

afterEach(() => restore())

describe('a Seglet unmounted early', () => {
  it('destroyed while its first decision waits for the model part, decides nothing afterwards and leaves nothing behind', async () => {
    instrument()
    const events: Event[] = []
    const onEvent = (e: Event) => events.push(e)
    window.addEventListener('seglet:segment', onEvent)
    const seglet = createSeglet({ consent: 'granted', storage: { dbName: `longrun-race-${Math.random()}` }, capture: { autocapture: false }, onError: () => {} })
    const segments: Segment[] = []
    seglet.onSegment((s) => segments.push(s), { immediate: false })
    for (let i = 0; i < 6; i++) {
      seglet.track({ type: 'page_view', url: `/products/p${i}`, pageType: 'product' })
      seglet.track({ type: 'engagement', url: `/products/p${i}`, pageType: 'product', visibleMs: 45_000, scrollDepth: 0.8 })
    }
    await seglet.flush()
    // The decision is scheduled (idle time, then the model part): the page unmounts Seglet meanwhile.
    await sleep(80)
    await seglet.destroy()
    const atDestroy = segments.length
    await sleep(3000)
    window.removeEventListener('seglet:segment', onEvent)
    expect(segments).toHaveLength(atDestroy)
    expect(events).toHaveLength(atDestroy)
    expect(pageTargets().map((e) => e.type)).toEqual([])
  }, 60_000)
})
