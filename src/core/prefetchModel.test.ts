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

  /** A first page view on fake timers: the core decides the cold-start default itself, without the model part. */
  const firstPageView = async (dbName: string): Promise<Seglet> => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const started = createSeglet({ consent: 'granted', storage: { dbName }, capture: { autocapture: false } })
    started.track({ type: 'page_view', url: '/products/p0', pageType: 'product' })
    void started.flush()
    for (let i = 0; i < 100 && !started.getSegment(); i++) {
      await vi.advanceTimersByTimeAsync(10)
      await new Promise((done) => setImmediate(done))
    }
    expect(started.getSegment()).toMatchObject({ coldStart: true })
    return started
  }

  it('is not imported once consent is withdrawn before the shopper stayed: nothing will decide', async () => {
    seglet = await firstPageView('prefetch-model-denied')
    const before = imported.count
    await seglet.setConsent('denied')
    await vi.advanceTimersByTimeAsync(PREFETCH_AFTER_MS + 1_000)
    vi.useRealTimers()
    await new Promise((done) => setTimeout(done, 300))
    expect(imported.count).toBe(before)
  })

  it('is not imported when a tab on the cold-start default is shown again and no other tab wrote', async () => {
    seglet = await firstPageView('prefetch-model-shown-again')
    const read = vi.spyOn(IDBObjectStore.prototype, 'index')
    for (let i = 0; i < 3; i++) {
      for (const state of ['hidden', 'visible']) {
        Object.defineProperty(document, 'visibilityState', { value: state, configurable: true })
        document.dispatchEvent(new Event('visibilitychange'))
      }
      // Past the decision's idle wait, well before the shopper stayed long enough for the prefetch.
      await vi.advanceTimersByTimeAsync(500)
      await new Promise((done) => setImmediate(done))
    }
    delete (document as { visibilityState?: unknown }).visibilityState
    // Shown again, the tab read the store for a decision; with nothing new stored it stays on the default.
    expect(read).toHaveBeenCalled()
    read.mockRestore()
    expect(imported.count).toBe(0)
    expect(seglet.getSegment()).toMatchObject({ coldStart: true })
  })

  it('is imported in idle time on the page before a decision is possible, once the shopper stayed, as the script tag prefetches it', async () => {
    seglet = await firstPageView('prefetch-model')
    expect(imported.count).toBe(0)
    await vi.advanceTimersByTimeAsync(PREFETCH_AFTER_MS + 1_000)
    vi.useRealTimers()
    await vi.waitFor(() => expect(imported.count).toBe(1))
    expect(seglet.getSegment()).toMatchObject({ coldStart: true })
  })
})
