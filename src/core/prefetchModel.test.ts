import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Seglet } from './createSeglet'

// Counts the imports of the model part (its chunk, in an app's bundle), without changing what it does.
const imported = vi.hoisted(() => ({ count: 0 }))
vi.mock('./lazy', async (importOriginal) => {
  imported.count++
  return importOriginal()
})

const { createSeglet } = await import('./index')
const { PREFETCH_AFTER_MS } = await import('./createSeglet')

describe("the npm build's model part", () => {
  let seglet: Seglet | undefined
  afterEach(async () => {
    await seglet?.destroy()
    vi.useRealTimers()
  })

  it('is not imported once consent is withdrawn before the shopper stayed: nothing will decide', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    seglet = createSeglet({ consent: 'granted', storage: { dbName: 'prefetch-model-denied' }, capture: { autocapture: false } })
    seglet.track({ type: 'page_view', url: '/products/p0', pageType: 'product' })
    void seglet.flush()
    for (let i = 0; i < 100 && !seglet.getSegment(); i++) {
      await vi.advanceTimersByTimeAsync(10)
      await new Promise((done) => setImmediate(done))
    }
    expect(seglet.getSegment()).toMatchObject({ coldStart: true })
    const before = imported.count
    await seglet.setConsent('denied')
    await vi.advanceTimersByTimeAsync(PREFETCH_AFTER_MS + 1_000)
    vi.useRealTimers()
    await new Promise((done) => setTimeout(done, 300))
    expect(imported.count).toBe(before)
  })

  it('is imported in idle time on the page before a decision is possible, once the shopper stayed, as the script tag prefetches it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    seglet = createSeglet({ consent: 'granted', storage: { dbName: 'prefetch-model' }, capture: { autocapture: false } })
    seglet.track({ type: 'page_view', url: '/products/p0', pageType: 'product' })
    void seglet.flush()
    for (let i = 0; i < 100 && !seglet.getSegment(); i++) {
      await vi.advanceTimersByTimeAsync(10)
      await new Promise((done) => setImmediate(done))
    }
    // One page view: the core decides the cold-start default itself, without the model part.
    expect(seglet.getSegment()).toMatchObject({ coldStart: true })
    expect(imported.count).toBe(0)
    await vi.advanceTimersByTimeAsync(PREFETCH_AFTER_MS + 1_000)
    vi.useRealTimers()
    await vi.waitFor(() => expect(imported.count).toBe(1))
    expect(seglet.getSegment()).toMatchObject({ coldStart: true })
  })
})
