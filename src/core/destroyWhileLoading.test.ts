// A file of its own: the model part must not be loaded yet, as on a real page's first decision.
import { afterEach, describe, expect, it } from 'vitest'
import { createSeglet } from './index'
import type { Segment } from '../segments'
import { instrument, observerCount, pageTargets, restore, sleep } from './testing/pageListeners'

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
