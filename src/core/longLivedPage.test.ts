import { afterEach, describe, expect, it } from 'vitest'
import { createSeglet } from './index'
import type { Segment } from '../segments'
import { instrument, observerCount, pageTargets, restore, sleep } from './testing/pageListeners'

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
    const observersAfterFew = observerCount()
    await routeBatch(50, 200)
    await sleep(500)
    expect(pageTargets().length).toBe(afterFew)
    expect(observerCount()).toBe(observersAfterFew)
    await seglet.destroy()
    expect(history.pushState).toBe(push)
    expect(pageTargets().map((e) => `${e.target === window ? 'window' : e.target === document ? 'document' : 'html'}:${e.type}`)).toEqual([])
    expect(observerCount()).toBe(0)
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
