// What a page pays for Seglet: no model part before a decision is possible, the stored segment first,
// and no re-run of the networks for writes that cannot change the decision.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createBlocks } from '../personalize/createBlocks'
import { pruneEvents } from '../store/lib/pruneEvents'
import { exportStored } from '../store/lib/exportStored'
import { createBridges } from '../capture/bridges'
import type { StoredEvent } from '../events/types'
import { computeFeatures } from '../features'
import { createModelRuntime } from '../model/runtime'
import { createSegmentEngine } from '../segments'
import type { Segment } from '../segments'
import type { Seglet, SegletOptions } from './createSeglet'
import { createSegletWith, PREFETCH_AFTER_MS } from './createSeglet'
import { decideSegment } from './decideSegment'
import type { LazyParts } from './lazy'
import { loadLazyParts } from './loadLazyParts'

let running: Seglet[] = []
/** The timer vi.useFakeTimers() leaves alone, to wait for work that takes real time under fake timers. */
const realSetTimeout = globalThis.setTimeout
let n = 0

afterEach(async () => {
  for (const seglet of running) await seglet.destroy()
  running = []
  document.documentElement.className = ''
  document.documentElement.removeAttribute('data-seglet-segment')
})

/** A Seglet whose model-part loads are counted (and can be held back). */
function start({ dbName, ...options }: SegletOptions & { dbName?: string } = {}, gate?: Promise<void>) {
  const loads = { count: 0, prefetches: 0 }
  const seglet = createSegletWith(
    { consent: 'granted', storage: { dbName: dbName ?? `page-cost-${++n}` }, capture: { autocapture: false }, ...options },
    {
      loadRuntime: async (): Promise<LazyParts> => {
        loads.count++
        await gate
        return loadLazyParts()
      },
      prefetchRuntime: () => loads.prefetches++,
      bridges: createBridges(),
      blocks: { createBlocks },
      prune: { pruneEvents, exportStored },
    },
  )
  running.push(seglet)
  return { seglet, loads }
}

const segments = (seglet: Seglet) => {
  const seen: Segment[] = []
  seglet.onSegment((s) => seen.push(s))
  return seen
}

const until = async (check: () => boolean, ms = 5_000) => {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** With fake timers: moves the clock 10 ms at a time, letting IndexedDB's callbacks run, until `done()` (at most 2 s). */
const settle = async (done: () => boolean) => {
  for (let i = 0; i < 200 && !done(); i++) {
    await vi.advanceTimersByTimeAsync(10)
    await new Promise((r) => setImmediate(r))
  }
}

const page = (seglet: Seglet, i: number) => {
  seglet.track({ type: 'page_view', url: `/products/p${i}`, pageType: 'product' })
  seglet.track({ type: 'product_view', productId: `sku-${i}`, price: 20, currency: 'EUR' })
  seglet.track({ type: 'engagement', url: `/products/p${i}`, pageType: 'product', visibleMs: 40_000 + i * 1_000, scrollDepth: 0.7 })
}

describe('loading policy', () => {
  it('decides a first page view in the core, without loading the model part', async () => {
    const { seglet, loads } = start()
    const seen = segments(seglet)
    page(seglet, 0)
    await seglet.flush()
    await until(() => seen.length > 0)
    expect(seen[0]).toMatchObject({ id: 'new-visitor', coldStart: true, intent: 0 })
    await new Promise((r) => setTimeout(r, 300))
    expect(loads.count).toBe(0)
  })

  it('prefetches no model part once the shopper is forgotten, until a page view is again one short of a decision', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const { seglet, loads } = start()
      // A first page view: one short of a decision (minPageViews is 2), so the model part would be prefetched
      // once the shopper stayed.
      seglet.track({ type: 'page_view', url: '/products/p0', pageType: 'product' })
      void seglet.flush()
      await settle(() => seglet.getSegment() !== null)
      expect(seglet.getSegment()).toMatchObject({ coldStart: true })
      // Forgotten before that: a new visitor again, no decision near.
      let forgotten = false
      void seglet.forget().then(() => (forgotten = true))
      await settle(() => forgotten)
      expect(forgotten).toBe(true)
      await vi.advanceTimersByTimeAsync(PREFETCH_AFTER_MS + 1_000)
      expect(loads).toEqual({ count: 0, prefetches: 0 })
      // The shopper reads a page: the next page view makes a decision possible again.
      seglet.track({ type: 'page_view', url: '/products/p1', pageType: 'product' })
      void seglet.flush()
      await settle(() => seglet.getSegment() !== null)
      expect(seglet.getSegment()).toMatchObject({ coldStart: true })
      await vi.advanceTimersByTimeAsync(PREFETCH_AFTER_MS + 1_000)
      expect(loads).toEqual({ count: 0, prefetches: 1 })
    } finally {
      vi.useRealTimers()
    }
  })

  it('prefetches no model part once the page has loaded it: the page view one short of a decision is followed by one that decides', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const { seglet, loads } = start()
      // A page's first read finds one page view (the last page's, or this one's before the next is written): the
      // cold-start default, and the model part's prefetch due once the shopper stays.
      page(seglet, 0)
      void seglet.flush()
      await settle(() => seglet.getSegment() !== null)
      expect(seglet.getSegment()).toMatchObject({ coldStart: true })
      // The next page view makes a decision possible before that: the model part is loaded and decides.
      page(seglet, 1)
      void seglet.flush()
      // The model part's work waits on real time too: up to 2 s of it, well short of the prefetch's time.
      for (let i = 0; i < 200 && !(loads.count > 0 && !seglet.getSegment()?.coldStart); i++) {
        await vi.advanceTimersByTimeAsync(10)
        await new Promise((r) => realSetTimeout(r, 10))
      }
      expect(seglet.getSegment()?.coldStart).toBeFalsy()
      expect(loads).toEqual({ count: 1, prefetches: 0 })
      // The shopper stays: no second fetch of the part this page already runs.
      await vi.advanceTimersByTimeAsync(PREFETCH_AFTER_MS + 1_000)
      await settle(() => false)
      expect(loads).toEqual({ count: 1, prefetches: 0 })
    } finally {
      vi.useRealTimers()
    }
  })

  it('prefetches no model part when the shopper is forgotten while the page view one short of a decision is being decided', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const openTransaction = IDBDatabase.prototype.transaction
    const transaction = vi.spyOn(IDBDatabase.prototype, 'transaction')
    try {
      const { seglet, loads } = start()
      // The start's decision, from the empty store.
      await settle(() => false)
      let flushed = false
      seglet.track({ type: 'page_view', url: '/products/p0', pageType: 'product' })
      void seglet.flush().then(() => (flushed = true))
      for (let i = 0; i < 200 && !flushed; i++) await new Promise((r) => setImmediate(r))
      expect(flushed).toBe(true)
      // The decision of that write reads the store; the shopper is forgotten as the read ends, before the decision
      // goes on with what it read.
      let forgotten = false
      let forgetting: Promise<unknown> | undefined
      transaction.mockImplementation(function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
        const tx = openTransaction.apply(this, args)
        if (args[0] === 'events' && args[1] === 'readonly' && !forgetting) {
          tx.addEventListener('complete', () => (forgetting = seglet.forget().then(() => (forgotten = true))))
        }
        return tx
      })
      await settle(() => forgotten)
      expect(forgotten).toBe(true)
      await vi.advanceTimersByTimeAsync(PREFETCH_AFTER_MS + 1_000)
      expect(seglet.getSegment()).toBeNull()
      expect(loads).toEqual({ count: 0, prefetches: 0 })
    } finally {
      transaction.mockRestore()
      vi.useRealTimers()
    }
  })

  it('loads the model part on the page view that makes a decision possible', async () => {
    const { seglet, loads } = start()
    page(seglet, 0)
    await seglet.flush()
    await new Promise((r) => setTimeout(r, 300))
    expect(loads.count).toBe(0)
    page(seglet, 1)
    await seglet.flush()
    await until(() => seglet.getSegment()?.coldStart === false)
    expect(loads.count).toBe(1)
  })

  it("loads it at once with loading: 'eager', and decides the first page view with the model's intent", async () => {
    const { seglet, loads } = start({ model: { loading: 'eager' } })
    page(seglet, 0)
    await seglet.flush()
    await until(() => seglet.getSegment() !== null && loads.count === 1)
    await until(() => (seglet.getSegment()?.intent ?? 0) > 0)
    expect(seglet.getSegment()).toMatchObject({ id: 'new-visitor', coldStart: true })
  })
})

describe('the stored segment first', () => {
  it("applies a returning shopper's stored segment before the model part has loaded, marked restored", async () => {
    const dbName = `page-cost-returning-${++n}`
    const first = start({ dbName })
    for (let i = 0; i < 4; i++) page(first.seglet, i)
    await first.seglet.flush()
    await until(() => first.seglet.getSegment()?.coldStart === false)
    const decided = first.seglet.getSegment()!
    await first.seglet.destroy()

    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const again = start({ dbName }, gate)
    const seen = segments(again.seglet)
    await until(() => seen.length > 0)
    expect(seen[0]).toMatchObject({ id: decided.id, restored: true, coldStart: false })
    expect(document.documentElement.getAttribute('data-seglet-segment')).toBe(decided.id)
    // The model re-decides in idle time, once its part is there.
    release()
    await until(() => again.seglet.getSegment()?.restored !== true)
    expect(again.seglet.getSegment()?.id).toBe(decided.id)
  })

  it('does not apply it without consent', async () => {
    const dbName = `page-cost-consent-${++n}`
    const first = start({ dbName })
    for (let i = 0; i < 4; i++) page(first.seglet, i)
    await first.seglet.flush()
    await until(() => first.seglet.getSegment()?.coldStart === false)
    await first.seglet.destroy()
    const again = start({ dbName, consent: 'pending', segmentWithoutConsent: true })
    await new Promise((r) => setTimeout(r, 300))
    expect(again.seglet.getSegment()?.restored).not.toBe(true)
  })
})

describe('the first decision on a page', () => {
  it('counts what was written while the model part loaded, also when a stored event is stamped a little ahead', async () => {
    // The model part's module is loaded already (an earlier decision): it is there as soon as the gate opens,
    // before the write below schedules a decision of its own.
    await loadLazyParts()
    const dbName = `page-cost-ahead-${++n}`
    const first = start({ dbName })
    page(first.seglet, 0)
    // Written under a clock a few minutes fast (within MAX_CLOCK_SKEW_MS, so stored).
    const real = Date.now()
    const clock = vi.spyOn(Date, 'now').mockReturnValue(real + 10 * 60_000)
    first.seglet.track({ type: 'search', query: 'linen' })
    await first.seglet.flush()
    clock.mockRestore()
    await first.seglet.destroy()

    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const again = start({ dbName, model: { loading: 'eager' } }, gate)
    // The store read has begun (a read after it has ended); these page views are written while the model part loads.
    await until(() => again.loads.count === 1)
    await again.seglet.exportData()
    page(again.seglet, 1)
    page(again.seglet, 2)
    await again.seglet.flush()
    release()
    await until(() => again.seglet.getSegment() !== null && again.seglet.getSegment()?.restored !== true)
    expect(again.seglet.getSegment()).toMatchObject({ coldStart: false })
  })
})

describe('decide only on change', () => {
  it('does not re-run the networks for writes that cannot change the inputs', async () => {
    const { seglet } = start()
    for (let i = 0; i < 3; i++) page(seglet, i)
    seglet.track({ type: 'add_to_cart', productId: 'sku-1', quantity: 1 })
    await seglet.flush()
    await until(() => seglet.getSegment()?.coldStart === false)
    await new Promise((r) => setTimeout(r, 300))
    performance.clearMeasures('seglet:decision')
    for (let i = 0; i < 20; i++) {
      seglet.track(i % 2 ? { type: 'remove_from_cart', productId: 'sku-1', quantity: 1 } : { type: 'add_to_cart', productId: 'sku-1', quantity: 1 })
      await seglet.flush()
      await new Promise((r) => setTimeout(r, 20))
    }
    await new Promise((r) => setTimeout(r, 300))
    expect(performance.getEntriesByName('seglet:decision')).toHaveLength(0)
    // A write that moves an input is decided again.
    page(seglet, 9)
    await seglet.flush()
    await until(() => performance.getEntriesByName('seglet:decision').length === 1)
  })

  it('does not re-run them for the time on the page each write carries, until it grew by about a tenth', async () => {
    const { seglet } = start()
    for (let i = 0; i < 3; i++) page(seglet, i)
    await seglet.flush()
    await until(() => seglet.getSegment()?.coldStart === false)
    await new Promise((r) => setTimeout(r, 300))
    performance.clearMeasures('seglet:decision')
    // 123 s on product pages so far; each write adds half a second of visible time, as a page's writes do.
    const visible = (visibleMs: number) => seglet.track({ type: 'engagement', url: '/products/p2', pageType: 'product', visibleMs, scrollDepth: 0.7 })
    for (let i = 0; i < 10; i++) {
      seglet.track({ type: 'search', query: `q-${i}` })
      visible(500)
      await seglet.flush()
      await new Promise((r) => setTimeout(r, 20))
    }
    await new Promise((r) => setTimeout(r, 300))
    expect(performance.getEntriesByName('seglet:decision')).toHaveLength(0)
    // A minute more on the page is decided on.
    visible(60_000)
    await seglet.flush()
    await until(() => performance.getEntriesByName('seglet:decision').length === 1)
  })

  it('ends a scripted journey with the segment that deciding from every stored event after every write gives', async () => {
    const { seglet } = start({ segments: { switchAfter: 2 } })
    const written: StoredEvent[] = []
    const runtime = createModelRuntime()
    const engine = createSegmentEngine({ switchAfter: 2 })
    let reference: Segment | undefined
    const steps: Array<() => void> = []
    for (let i = 0; i < 8; i++) steps.push(() => page(seglet, i))
    steps.push(() => seglet.track({ type: 'search', query: 'boots' }))
    steps.push(() => seglet.track({ type: 'add_to_cart', productId: 'sku-3', quantity: 2, price: 20, currency: 'EUR' }))
    steps.push(() => seglet.track({ type: 'page_view', url: '/cart', pageType: 'cart' }))
    steps.push(() => seglet.track({ type: 'begin_checkout', value: 40, currency: 'EUR' }))
    steps.push(() => seglet.track({ type: 'purchase', orderId: 'o-1', value: 40, currency: 'EUR', items: [{ productId: 'sku-3', quantity: 2, price: 20 }] }))
    for (let i = 8; i < 11; i++) steps.push(() => page(seglet, i))
    for (const step of steps) {
      step()
      await seglet.flush()
      const events = (await seglet.exportData()).events
      written.splice(0, written.length, ...events)
      const now = Date.now()
      const result = await decideSegment({ events: written, now, runtime, engine, model: {} })
      reference = result?.segment
      await new Promise((r) => setTimeout(r, 250))
    }
    await new Promise((r) => setTimeout(r, 300))
    const actual = seglet.getSegment()!
    expect(reference).toBeDefined()
    expect({ id: actual.id, coldStart: actual.coldStart, value: actual.valueSegment?.id }).toEqual({
      id: reference!.id,
      coldStart: reference!.coldStart,
      value: reference!.valueSegment?.id,
    })
    expect(actual.intent).toBeCloseTo(reference!.intent, 2)
    expect(computeFeatures(written, Date.now()).session.pageViews).toBe(12)
  })
})

describe('a decision in tasks the page can interleave with', () => {
  let seq = 0
  const at = new Date(2026, 5, 15, 14).getTime()
  const ev = (offset: number, event: Record<string, unknown>): StoredEvent => ({ ...event, id: `y${seq++}`, ts: at + offset * 1000 }) as StoredEvent
  const browsing = [
    ev(0, { type: 'page_view', url: '/', pageType: 'home' }),
    ev(10, { type: 'page_view', url: '/p/mug', pageType: 'product' }),
    ev(11, { type: 'product_view', productId: 'mug', price: 19.95, category: 'kitchen' }),
    ev(40, { type: 'page_view', url: '/p/cup', pageType: 'product' }),
  ]
  const buyer = [
    ev(-40 * 86_400, { type: 'purchase', orderId: 'o-1', value: 40, currency: 'EUR', items: [{ productId: 'mug', quantity: 2, price: 20 }] }),
    ...browsing,
  ]

  /** Runs decideSegment with a pause and a runtime that both write into one log, in the order they ran. */
  async function decideLogged(events: StoredEvent[], engine = createSegmentEngine(), unchangedFrom?: Parameters<typeof decideSegment>[0]['unchangedFrom']) {
    const log: string[] = []
    const runtime = createModelRuntime()
    const predict = runtime.predict
    runtime.predict = (pack, input, rows) => {
      log.push(`predict ${pack.pack.kind}`)
      return predict(pack, input, rows)
    }
    const pause = async () => {
      log.push('pause')
    }
    const result = await decideSegment({ events, now: events[events.length - 1].ts + 1000, runtime, engine, model: {}, pause, unchangedFrom })
    return { log, result }
  }

  it('pauses before the first network and between the networks, so the first inference is a task of its own', async () => {
    expect((await decideLogged(browsing)).log).toEqual(['pause', 'predict session', 'pause'])
    expect((await decideLogged(buyer)).log).toEqual(['pause', 'predict session', 'pause', 'predict lifetime'])
  })

  it('does not pause when the inputs did not change and the networks do not run', async () => {
    const engine = createSegmentEngine()
    const first = await decideLogged(buyer, engine)
    expect(first.result).not.toBeNull()
    const again = await decideLogged(buyer, engine, first.result!.inputs)
    expect(again.result).toBeNull()
    expect(again.log).toEqual([])
  })
})
