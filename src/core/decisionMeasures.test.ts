import { afterEach, expect, it } from 'vitest'
import { createSeglet } from './index'
import { MAX_DECISION_MEASURES } from './createDecider'

// A single-page app open for hours decides thousands of times: the `seglet:decision` entries of the page's
// performance timeline stay bounded.

afterEach(() => performance.clearMeasures('seglet:decision'))

it(`keeps at most ${MAX_DECISION_MEASURES} seglet:decision entries in the performance timeline`, async () => {
  // What earlier decisions of a long-lived page left.
  for (let i = 0; i < MAX_DECISION_MEASURES; i++) performance.measure('seglet:decision', { start: 0, end: 1 })
  const seglet = createSeglet({ consent: 'granted', storage: { dbName: 'decision-measures' }, capture: { autocapture: false } })
  try {
    for (let i = 0; i < 6; i++) {
      seglet.track({ type: 'page_view', url: `/products/p${i}`, pageType: 'product' })
      seglet.track({ type: 'engagement', url: `/products/p${i}`, pageType: 'product', visibleMs: 45_000, scrollDepth: 0.8 })
    }
    await seglet.flush()
    await expect.poll(() => seglet.getSegment()?.coldStart, { timeout: 10_000 }).toBe(false)
    const entries = performance.getEntriesByName('seglet:decision')
    expect(entries.length).toBeGreaterThan(0)
    expect(entries.length).toBeLessThanOrEqual(MAX_DECISION_MEASURES)
    // The newest decision's entry is kept.
    expect(entries[entries.length - 1].startTime).toBeGreaterThan(0)
  } finally {
    await seglet.destroy()
  }
})
