// A shopper with the shop open in two tabs: what one tab writes reaches the other tab's decisions.
import { afterEach, describe, expect, it } from 'vitest'
import { createStore } from '../store'
import { createSeglet, type Seglet } from './index'

const setVisibility = (state: 'hidden' | 'visible') => {
  Object.defineProperty(document, 'visibilityState', { value: state, configurable: true })
  document.dispatchEvent(new Event('visibilitychange'))
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Six product pages read at length, and the decision on them (nothing in the cart yet). */
const browseSixProducts = async (seglet: Seglet) => {
  for (let i = 0; i < 6; i++) {
    seglet.track({ type: 'page_view', url: `/products/p${i}`, pageType: 'product' })
    seglet.track({ type: 'engagement', url: `/products/p${i}`, pageType: 'product', visibleMs: 45_000, scrollDepth: 0.8 })
  }
  await seglet.flush()
  await expect.poll(() => seglet.getSegment()?.funnel, { timeout: 10_000 }).toMatchObject({ productsAdded: 0 })
}

/** Another tab, window or page of the shop puts two items in the cart (its own store on the same database). */
const addToCartElsewhere = async (dbName: string, id: string) => {
  const other = createStore({ persist: true, dbName })
  other.enqueue({ type: 'add_to_cart', productId: 'p9', quantity: 2, price: 10, currency: 'EUR', id, ts: Date.now() })
  await other.flush()
  await other.close()
}

afterEach(() => setVisibility('visible'))

describe('two tabs of the shop', () => {
  it('a tab the shopper comes back to decides with what another tab wrote while it was in the background', async () => {
    const dbName = 'other-tab-while-hidden'
    const seglet = createSeglet({ consent: 'granted', storage: { dbName }, capture: { autocapture: false } })
    try {
      await browseSixProducts(seglet)
      // The shopper switches to another tab: this one is hidden and writes its last engagement, which
      // schedules a decision that runs in the background.
      setVisibility('hidden')
      seglet.track({ type: 'engagement', url: '/products/p5', pageType: 'product', visibleMs: 50_000, scrollDepth: 0.9 })
      await seglet.flush()
      await sleep(1000)
      // Meanwhile the other tab puts two items in the cart.
      await addToCartElsewhere(dbName, 'other-tab-1')
      // Back to this tab: its next decision counts the cart the other tab filled.
      setVisibility('visible')
      seglet.track({ type: 'page_view', url: '/products/p6', pageType: 'product' })
      await seglet.flush()
      await expect.poll(() => seglet.getSegment()?.funnel, { timeout: 10_000 }).toMatchObject({ cartReached: true, productsAdded: 2 })
    } finally {
      await seglet.destroy()
    }
  })

  it('a page restored from the back/forward cache shows what another tab put in the cart since', async () => {
    const dbName = 'other-tab-while-cached'
    const seglet = createSeglet({ consent: 'granted', storage: { dbName }, capture: { autocapture: false } })
    try {
      await browseSixProducts(seglet)
      // The shopper follows a link: the page is hidden, writes its last engagement and goes into the cache.
      setVisibility('hidden')
      seglet.track({ type: 'engagement', url: '/products/p5', pageType: 'product', visibleMs: 50_000, scrollDepth: 0.9 })
      await seglet.flush()
      await sleep(1000)
      // The next page (or another tab) puts two items in the cart.
      await addToCartElsewhere(dbName, 'other-tab-2')
      // Back: the page is restored as it was left, and decides again without a new event.
      setVisibility('visible')
      window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }))
      await expect.poll(() => seglet.getSegment()?.funnel, { timeout: 10_000 }).toMatchObject({ cartReached: true, productsAdded: 2 })
    } finally {
      await seglet.destroy()
    }
  })

  it('of two windows side by side, the one the shopper clicks back into decides with what the other window wrote', async () => {
    const dbName = 'other-window-side-by-side'
    const seglet = createSeglet({ consent: 'granted', storage: { dbName }, capture: { autocapture: false } })
    try {
      await browseSixProducts(seglet)
      // Both windows stay visible: the shopper works in the other one, which puts two items in the cart.
      window.dispatchEvent(new FocusEvent('blur'))
      await addToCartElsewhere(dbName, 'other-window-1')
      // Back in this window (a click into it): its next decision counts the cart the other window filled.
      window.dispatchEvent(new FocusEvent('focus'))
      seglet.track({ type: 'page_view', url: '/products/p6', pageType: 'product' })
      await seglet.flush()
      await expect.poll(() => seglet.getSegment()?.funnel, { timeout: 10_000 }).toMatchObject({ cartReached: true, productsAdded: 2 })
    } finally {
      await seglet.destroy()
    }
  })
})
