// A shopper with the shop open in two tabs: what one tab writes reaches the other tab's decisions.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { PANEL_TAG } from '../personalize/panel'
import { createStore } from '../store'
import type { StoredEvent } from '../events/types'
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

/** Another tab, window or page of the shop writes `events` (its own store on the same database). */
const writeElsewhere = async (dbName: string, events: StoredEvent[]) => {
  const other = createStore({ persist: true, dbName })
  for (const event of events) other.enqueue(event)
  await other.flush()
  await other.close()
}

/** Another tab, window or page of the shop puts two items in the cart. */
const addToCartElsewhere = (dbName: string, id: string) =>
  writeElsewhere(dbName, [{ type: 'add_to_cart', productId: 'p9', quantity: 2, price: 10, currency: 'EUR', id, ts: Date.now() }])

/** The shopper opens a product in another tab: its page view and product view, ids `${id}-1` and `${id}-2`. */
const viewProductElsewhere = (dbName: string, id: string) =>
  writeElsewhere(dbName, [
    { type: 'page_view', url: '/products/p1', pageType: 'product', id: `${id}-1`, ts: Date.now() },
    { type: 'product_view', productId: 'p1', price: 30, currency: 'EUR', id: `${id}-2`, ts: Date.now() },
  ])

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

  it('a tab the shopper comes back to shows what another tab put in the cart, before any event of its own', async () => {
    const dbName = 'other-tab-shown-again'
    const seglet = createSeglet({ consent: 'granted', storage: { dbName }, capture: { autocapture: false } })
    try {
      await browseSixProducts(seglet)
      setVisibility('hidden')
      seglet.track({ type: 'engagement', url: '/products/p5', pageType: 'product', visibleMs: 50_000, scrollDepth: 0.9 })
      await seglet.flush()
      await sleep(1000)
      await addToCartElsewhere(dbName, 'other-tab-3')
      // Back to this tab: the shopper only looks at it.
      setVisibility('visible')
      await expect.poll(() => seglet.getSegment()?.funnel, { timeout: 10_000 }).toMatchObject({ cartReached: true, productsAdded: 2 })
    } finally {
      await seglet.destroy()
    }
  })

  it('of two windows side by side, the one the shopper clicks back into shows what the other window wrote, before any event of its own', async () => {
    const dbName = 'other-window-focused-again'
    const seglet = createSeglet({ consent: 'granted', storage: { dbName }, capture: { autocapture: false } })
    try {
      await browseSixProducts(seglet)
      window.dispatchEvent(new FocusEvent('blur'))
      await addToCartElsewhere(dbName, 'other-window-2')
      window.dispatchEvent(new FocusEvent('focus'))
      await expect.poll(() => seglet.getSegment()?.funnel, { timeout: 10_000 }).toMatchObject({ cartReached: true, productsAdded: 2 })
    } finally {
      await seglet.destroy()
    }
  })

  it('coming back to a tab when no other tab wrote runs no networks', async () => {
    const dbName = 'other-tab-nothing-written'
    const seglet = createSeglet({ consent: 'granted', storage: { dbName }, capture: { autocapture: false } })
    try {
      await browseSixProducts(seglet)
      await sleep(500)
      performance.clearMeasures('seglet:decision')
      for (let i = 0; i < 5; i++) {
        window.dispatchEvent(new FocusEvent('blur'))
        window.dispatchEvent(new FocusEvent('focus'))
        setVisibility('hidden')
        setVisibility('visible')
        await sleep(300)
      }
      expect(performance.getEntriesByName('seglet:decision')).toHaveLength(0)
    } finally {
      await seglet.destroy()
    }
  })

  it("a tab shown again after another tab's forget() no longer shows the segment of the deleted history", async () => {
    const dbName = 'other-tab-forgot'
    const seglet = createSeglet({ consent: 'granted', storage: { dbName }, capture: { autocapture: false } })
    try {
      await browseSixProducts(seglet)
      await sleep(300)
      setVisibility('hidden')
      // The shopper clicks "Forget me" in another tab: the database is deleted, this page's connection closes.
      await new Promise((done) => (indexedDB.deleteDatabase(dbName).onsuccess = done))
      await sleep(100)
      setVisibility('visible')
      await expect.poll(() => seglet.getSegment(), { timeout: 5_000 }).toBeNull()
      expect(document.documentElement.hasAttribute('data-seglet-segment')).toBe(false)
    } finally {
      await seglet.destroy()
    }
  })

  it("events this tab was writing as another tab's forget() deleted the database go with it, and decide nothing", async () => {
    const dbName = 'other-tab-forgot-while-writing'
    const seglet = createSeglet({ consent: 'granted', storage: { dbName }, capture: { autocapture: false } })
    try {
      await browseSixProducts(seglet)
      await sleep(300)
      // The page writes what it just tracked; in the same moment the shopper clicks "Forget me" in another tab. The
      // write commits before this page's connection closes, and the deletion then takes it with the rest.
      for (let i = 0; i < 6; i++) seglet.track({ type: 'add_to_cart', productId: `p${i}`, quantity: 1, price: 30, currency: 'EUR' })
      const written = seglet.flush()
      await new Promise((done) => (indexedDB.deleteDatabase(dbName).onsuccess = done))
      await written
      await sleep(1000)
      // Nothing of the deleted history is left on the page: no segment decided from it.
      expect(await seglet.exportData().then((data) => data.events.length)).toBe(0)
      expect(seglet.getSegment()).toBeNull()
    } finally {
      await seglet.destroy()
    }
  })

  it('a tab shown again decides nothing once consent is withdrawn, the shopper forgotten or the Seglet destroyed', async () => {
    const dbName = 'other-tab-no-decision'
    for (const stop of ['withdraw', 'forget', 'destroy'] as const) {
      const seglet = createSeglet({ consent: 'granted', storage: { dbName: `${dbName}-${stop}` }, capture: { autocapture: false } })
      try {
        await browseSixProducts(seglet)
        await sleep(300)
        setVisibility('hidden')
        if (stop === 'withdraw') await seglet.setConsent('denied')
        else if (stop === 'forget') await seglet.forget()
        else await seglet.destroy()
        // Shown again at once: a decision scheduled by the show must not bring a segment back.
        const other = createStore({ persist: true, dbName: `${dbName}-${stop}` })
        for (let i = 0; i < 6; i++) {
          other.enqueue({ type: 'page_view', url: `/products/o${i}`, pageType: 'product', id: `other-${stop}-${i}`, ts: Date.now() })
          other.enqueue({ type: 'engagement', url: `/products/o${i}`, pageType: 'product', visibleMs: 45_000, scrollDepth: 0.8, id: `other-${stop}-e${i}`, ts: Date.now() })
        }
        other.enqueue({ type: 'add_to_cart', productId: 'p9', quantity: 2, price: 10, currency: 'EUR', id: `other-${stop}`, ts: Date.now() })
        await other.flush()
        await other.close()
        performance.clearMeasures('seglet:decision')
        setVisibility('visible')
        window.dispatchEvent(new FocusEvent('focus'))
        await sleep(1000)
        // A destroyed Seglet keeps the segment it had; the others have none.
        if (stop === 'destroy') expect(seglet.getSegment()?.funnel, stop).toMatchObject({ productsAdded: 0 })
        else expect(seglet.getSegment(), stop).toBeNull()
        expect(performance.getEntriesByName('seglet:decision'), stop).toHaveLength(0)
      } finally {
        await seglet.destroy()
      }
    }
  })

  // With its panel opened first ("Why am I seeing this?"), before any decision of the model part, the tab is the
  // model part's to watch, and it decides just the same.
  it.each([
    ['', false],
    [', after its panel was opened', true],
  ])('a first-visit tab still on the cold-start default decides from the page views another tab added, once shown again%s', async (_, panel) => {
    const dbName = `other-tab-first-visit${panel ? '-panel' : ''}`
    const seglet = createSeglet({ consent: 'granted', storage: { dbName }, capture: { autocapture: false } })
    try {
      // The landing page: one page view, too few to decide (minPageViews is 2), so the cold-start default.
      seglet.track({ type: 'page_view', url: '/', pageType: 'home' })
      await seglet.flush()
      await expect.poll(() => seglet.getSegment()?.coldStart, { timeout: 10_000 }).toBe(true)
      if (panel) {
        seglet.showPanel()
        await expect.poll(() => document.querySelector(PANEL_TAG), { timeout: 10_000 }).not.toBeNull()
      }
      // The shopper opens a product in a new tab: this one is hidden, and writes its engagement before the new tab's
      // page view is stored.
      setVisibility('hidden')
      await seglet.flush()
      await sleep(500)
      await viewProductElsewhere(dbName, dbName)
      // Back to the landing tab: two page views are stored now, evidence enough for a decision.
      setVisibility('visible')
      await expect.poll(() => seglet.getSegment()?.coldStart, { timeout: 10_000 }).toBe(false)
    } finally {
      await seglet.destroy()
      document.querySelector(PANEL_TAG)?.remove()
    }
  })

  it('a tab with the model turned off decides nothing when shown again after its panel was opened', async () => {
    const dbName = 'other-tab-no-model-panel'
    const seglet = createSeglet({ consent: 'granted', storage: { dbName }, capture: { autocapture: false }, model: { enabled: false } })
    try {
      seglet.track({ type: 'page_view', url: '/', pageType: 'home' })
      await seglet.flush()
      seglet.showPanel()
      await expect.poll(() => document.querySelector(PANEL_TAG), { timeout: 10_000 }).not.toBeNull()
      setVisibility('hidden')
      await writeElsewhere(dbName, [{ type: 'page_view', url: '/products/p1', pageType: 'product', id: 'other-no-model-panel-1', ts: Date.now() }])
      performance.clearMeasures('seglet:decision')
      setVisibility('visible')
      await sleep(1000)
      expect(seglet.getSegment()).toBeNull()
      expect(performance.getEntriesByName('seglet:decision')).toHaveLength(0)
    } finally {
      await seglet.destroy()
      document.querySelector(PANEL_TAG)?.remove()
    }
  })

  it('a destroyed Seglet no longer listens for its tab being shown again', async () => {
    const add = vi.spyOn(window, 'addEventListener')
    const remove = vi.spyOn(window, 'removeEventListener')
    try {
      const seglet = createSeglet({ consent: 'granted', storage: { dbName: 'other-tab-destroyed' }, capture: { autocapture: false } })
      // The tab shown again, and the store's hide listener.
      const shown = add.mock.calls.filter(([type]) => type === 'visibilitychange')
      expect(shown).toHaveLength(2)
      await seglet.destroy()
      for (const call of shown) expect(remove).toHaveBeenCalledWith(...call)
    } finally {
      add.mockRestore()
      remove.mockRestore()
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
