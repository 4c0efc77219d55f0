// A Seglet destroyed, forgotten or its consent withdrawn while the core decides a cold-start segment (no model part
// needed): nothing reaches the page afterwards.
import { afterEach, describe, expect, it } from 'vitest'
import { createStore } from '../store'
import { createSeglet } from './index'
import type { Seglet } from './createSeglet'
import type { Segment } from '../segments'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const getAll = IDBIndex.prototype.getAll

afterEach(() => {
  IDBIndex.prototype.getAll = getAll
})

/** A returning shopper with one page view (not enough for the model: the core decides the default itself); `act` runs while the first decision reads the stored events. */
async function whileReading(act: (seglet: Seglet) => Promise<void>) {
  const dbName = `cold-start-race-${Math.random()}`
  const seed = createStore({ persist: true, dbName })
  seed.enqueue({ type: 'page_view', url: '/products/p1', pageType: 'product', id: 'seed-1', ts: Date.now() - 60_000 })
  await seed.flush()
  await seed.close()
  const events: Event[] = []
  const onEvent = (e: Event) => events.push(e)
  window.addEventListener('seglet:segment', onEvent)
  const seglet = createSeglet({ consent: 'granted', storage: { dbName }, capture: { autocapture: false }, onError: () => {} })
  const segments: Segment[] = []
  seglet.onSegment((s) => segments.push(s), { immediate: false })
  let acted: Promise<void> | undefined
  IDBIndex.prototype.getAll = function (this: IDBIndex, ...args: Parameters<IDBIndex['getAll']>) {
    const request = getAll.apply(this, args)
    // Once the request is made (the decision went past its checks): the read completes afterwards.
    if (this.name === 'ts') queueMicrotask(() => (acted ??= act(seglet)))
    return request
  }
  try {
    await expect.poll(() => !!acted, { timeout: 5000 }).toBe(true)
    await acted
    await sleep(500)
    return { seglet, segments, events }
  } finally {
    window.removeEventListener('seglet:segment', onEvent)
  }
}

describe('a Seglet stopped or forgotten while the core decides', () => {
  it('destroyed while its first decision reads the store, shows no cold-start segment afterwards', async () => {
    const { seglet, segments, events } = await whileReading((s) => s.destroy())
    expect(segments).toEqual([])
    expect(events).toEqual([])
    expect(seglet.getSegment()).toBeNull()
  })

  it('consent withdrawn while its first decision reads the store, keeps the page without a segment', async () => {
    const { seglet, segments } = await whileReading((s) => s.setConsent('denied'))
    try {
      expect(segments).toEqual([])
      expect(seglet.getSegment()).toBeNull()
      expect(document.documentElement.hasAttribute('data-seglet-segment')).toBe(false)
    } finally {
      await seglet.destroy()
    }
  })

  it('forget() while its first decision reads the store, keeps the page without a segment', async () => {
    const { seglet, segments } = await whileReading((s) => s.forget())
    try {
      expect(segments).toEqual([])
      expect(seglet.getSegment()).toBeNull()
      expect(document.documentElement.hasAttribute('data-seglet-segment')).toBe(false)
    } finally {
      await seglet.destroy()
    }
  })
})
