import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Seglet } from './createSeglet'

// Counts how often the bridges' code is made, without changing what it does.
const made = vi.hoisted(() => ({ count: 0 }))
vi.mock('../capture/bridges', async (importOriginal) => {
  const original = await importOriginal<typeof import('../capture/bridges')>()
  return { ...original, createBridges: () => (made.count++, original.createBridges()) }
})

const { createSeglet, WARM_BRIDGES_MS } = await import('./index')

describe("the npm build's bridges part", () => {
  let seglet: Seglet | undefined
  afterEach(async () => {
    await seglet?.destroy()
    vi.useRealTimers()
  })

  it('is loaded in idle time after start, before any Shopify or GA4 event needs it, and once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    seglet = createSeglet({ consent: 'granted', storage: { dbName: 'warm-bridges' }, capture: { autocapture: false } })
    expect(made.count).toBe(0)
    await vi.advanceTimersByTimeAsync(WARM_BRIDGES_MS)
    vi.useRealTimers()
    await vi.waitFor(() => expect(made.count).toBe(1))
    // An event handed over now is mapped with the code already there: nothing is imported again.
    seglet.shopifyEvent({ name: 'product_viewed' })
    await new Promise((done) => setTimeout(done, 20))
    expect(made.count).toBe(1)
  })
})
