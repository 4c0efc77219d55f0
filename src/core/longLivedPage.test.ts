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

describe('a long-lived single-page storefront', () => {
  it('keeps the same listeners over hundreds of route changes, and destroy() removes every one it added', async () => {
    document.body.innerHTML = '<div data-seglet-show="champions">x</div>'
    history.replaceState(null, '', '/')
    instrument()
    const push = history.pushState
    const seglet = createSeglet({ consent: 'granted', storage: { dbName: `longrun-${Math.random()}` }, onError: () => {} })
    const decided = new Promise<Segment>((r) => seglet.onSegment(r, { immediate: false }))
    const routeBatch = async (from: number, n: number) => {
      for (let i = from; i < from + n; i++) {
        history.pushState(null, '', `/products/p${i}`)
        seglet.track({ type: 'product_view', productId: `p${i}`, price: 10 })
        await sleep(i % 10 === 0 ? 120 : 0)
      }
      await sleep(150)
      await seglet.flush()
    }
    await routeBatch(0, 20)
    await decided
    await routeBatch(20, 30)
    // The model part (and its decider's listener) is there once a decision needed it.
    for (let i = 0; i < 50 && !pageTargets().some((e) => String(e.listener).includes('stale')); i++) await sleep(100)
    const afterFew = pageTargets().length
    const observersAfterFew = observers
    await routeBatch(50, 200)
    await sleep(500)
    expect(pageTargets().length).toBe(afterFew)
    expect(observers).toBe(observersAfterFew)
    await seglet.destroy()
    expect(history.pushState).toBe(push)
    expect(pageTargets().map((e) => `${e.target === window ? 'window' : e.target === document ? 'document' : 'html'}:${e.type}`)).toEqual([])
    expect(observers).toBe(0)
  }, 60_000)

  it('mounted and unmounted again and again (HMR, a provider per route), leaves nothing behind and captures once', async () => {
    history.replaceState(null, '', '/')
    instrument()
    const dbName = `longrun-remount-${Math.random()}`
    for (let i = 0; i < 5; i++) {
      const seglet = createSeglet({ consent: 'granted', storage: { dbName }, onError: () => {} })
      history.pushState(null, '', `/collections/c${i}`)
      await sleep(150)
      await seglet.destroy()
    }
    expect(pageTargets()).toEqual([])
    const seglet = createSeglet({ consent: 'granted', storage: { dbName }, onError: () => {} })
    history.pushState(null, '', '/cart')
    await sleep(150)
    await seglet.flush()
    const { events } = await seglet.exportData()
    expect(events.filter((e) => e.type === 'page_view' && e.url.endsWith('/cart'))).toHaveLength(1)
    await seglet.destroy()
    expect(pageTargets()).toEqual([])
  }, 60_000)
})
