// The funnel facts on the segment follow cart and checkout events at once, also when no page view comes
// with them and the networks' inputs do not move (so the networks do not run again).
import { describe, expect, it } from 'vitest'
import { createSeglet } from './index'

describe('funnel facts between decisions', () => {
  it('a cart and a checkout event without a page view update getSegment().funnel at once, without re-running the networks', async () => {
    const seglet = createSeglet({ consent: 'granted', storage: { dbName: 'funnel-between' }, capture: { autocapture: false } })
    try {
      for (let i = 0; i < 6; i++) {
        seglet.track({ type: 'page_view', url: `/products/p${i}`, pageType: 'product' })
        seglet.track({ type: 'engagement', url: `/products/p${i}`, pageType: 'product', visibleMs: 45_000, scrollDepth: 0.8 })
      }
      await seglet.flush()
      await expect.poll(() => seglet.getSegment()?.funnel, { timeout: 10_000 }).toMatchObject({ cartReached: false, productsAdded: 0 })
      const decisions = () => performance.getEntriesByName('seglet:decision').length
      const before = decisions()
      seglet.track({ type: 'add_to_cart', productId: 'p1', quantity: 2, price: 19.95, currency: 'EUR' })
      seglet.track({ type: 'begin_checkout', value: 39.9, currency: 'EUR' })
      await seglet.flush()
      await expect
        .poll(() => seglet.getSegment()?.funnel, { timeout: 10_000 })
        .toMatchObject({ cartReached: true, checkoutReached: true, productsAdded: 2, cartValue: 39.9 })
      expect(decisions()).toBe(before)
    } finally {
      await seglet.destroy()
    }
  })
})
