import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { SegletError } from '../errors'
import { createSeglet } from '../core/index'
import type { Seglet, SegletOptions } from '../core/index'
import type { Segment } from '../segments'
import { makeSegment } from './testing/makeSegment'
import { SEGMENT_EVENT, SEGMENT_HINT_COOKIE } from './constants'
import { createPersonalizer } from './createPersonalizer'
import { validateOptions } from '../options/validateOptions'
import { HOLDOUT_BUCKETS, HOLDOUT_META_KEY, resolveArm } from './resolveArm'
import { createStore } from '../store'
import { installFakeLocks } from '../reports/testing/fakeLocks'
import { SEGMENT_META_KEY } from '../core/constants'

const segment = (arm: Segment['arm']): Segment => makeSegment({ intent: 0.9, arm, holdout: 0.1 })
const memory = () => {
  const entries = new Map<string, unknown>()
  return { entries, getMeta: async (k: string) => entries.get(k), setMeta: async (k: string, v: unknown) => void entries.set(k, v) }
}

let stops: Array<() => void> = []
beforeEach(() => {
  document.documentElement.className = ''
  document.documentElement.removeAttribute('data-seglet-segment')
  document.body.innerHTML = `
    <div id="show" data-seglet-show="engaged">offer</div>
    <div id="hide" data-seglet-hide="engaged">default</div>
    <div id="above" data-seglet-intent-above="0.5">checkout now</div>`
})
afterEach(() => {
  for (const stop of stops) stop()
  stops = []
})

describe('the holdout arm', () => {
  it('decides the segment but does not personalise: no markers, blocks as before any decision, no callback or event', async () => {
    const errors: SegletError[] = []
    const p = createPersonalizer({ antiFlicker: true, holdout: 0.1 }, (e) => errors.push(e))
    stops.push(() => p.stop())
    p.start()
    const before = document.body.innerHTML
    const called: Segment[] = []
    const events: unknown[] = []
    p.onSegment((s) => called.push(s))
    const onEvent = (e: Event) => events.push((e as CustomEvent).detail)
    window.addEventListener(SEGMENT_EVENT, onEvent)
    p.apply(segment('holdout'))
    await new Promise((r) => setTimeout(r, 0))
    window.removeEventListener(SEGMENT_EVENT, onEvent)
    expect(p.getSegment()).toMatchObject({ id: 'high-intent-browser', arm: 'holdout' })
    expect(document.documentElement.className).toBe('')
    expect(document.documentElement.hasAttribute('data-seglet-segment')).toBe(false)
    expect(document.body.innerHTML).toBe(before)
    expect(called).toEqual([])
    expect(events).toEqual([])
    expect(errors).toEqual([])
    // A late subscriber is not called either.
    p.onSegment((s) => called.push(s))
    expect(called).toEqual([])
  })

  it('the treatment arm is personalised as usual', () => {
    const p = createPersonalizer({ holdout: 0.1 })
    stops.push(() => p.stop())
    p.start()
    const called: Segment[] = []
    p.onSegment((s) => called.push(s))
    p.apply(segment('treatment'))
    expect(document.documentElement.getAttribute('data-seglet-segment')).toBe('high-intent-browser')
    expect(document.querySelector('#show')!.hasAttribute('hidden')).toBe(false)
    expect(document.querySelector('#hide')!.hasAttribute('hidden')).toBe(true)
    expect(called).toHaveLength(1)
  })

  it.each([-0.1, 1.5, Number.NaN])('refuses holdout %s with an OptionsError', (holdout) => {
    expect(() => validateOptions({ personalize: { holdout } })).toThrow(expect.objectContaining({ code: 'invalid_option', field: 'personalize.holdout' }))
  })
})

/** A first visit of six engaged product pages, decided in `arm`, then closed: the segment is stored. */
/** The shopper buys (one purchase per order id) and leaves: what the decision after it stores, for the next page to restore. */
async function buyAndLeave(seglet: Seglet, orderIds: string[]): Promise<void> {
  for (const orderId of orderIds) seglet.track({ type: 'purchase', orderId, value: 400, currency: 'EUR', items: [] })
  await seglet.flush()
  await new Promise((resolve) => setTimeout(resolve, 1500))
  await seglet.flush()
  await seglet.destroy()
}

async function visitDecided(options: SegletOptions, arm: string): Promise<void> {
  const first = createSeglet(options)
  for (let i = 0; i < 6; i++) {
    first.track({ type: 'page_view', url: `/products/p${i}`, pageType: 'product' })
    first.track({ type: 'engagement', url: `/products/p${i}`, pageType: 'product', visibleMs: 45_000, scrollDepth: 0.8 })
  }
  await first.flush()
  await vi.waitFor(() => expect(first.getSegment()?.arm).toBe(arm), { timeout: 10_000 })
  await new Promise((resolve) => setTimeout(resolve, 50))
  await first.destroy()
}

/** Runs `check` on the next visit's Seglet, then expects that it set no `<html>` marker and called no `onSegment()`. */
async function expectNotPersonalised(options: SegletOptions, check: (seglet: Seglet) => Promise<void>): Promise<void> {
  const marks: (string | null)[] = []
  const observer = new MutationObserver(() => marks.push(document.documentElement.getAttribute('data-seglet-segment')))
  observer.observe(document.documentElement, { attributeFilter: ['data-seglet-segment'] })
  const second = createSeglet(options)
  const called: Segment[] = []
  second.onSegment((s) => called.push(s))
  try {
    await check(second)
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(marks).toEqual([])
    expect(called).toEqual([])
  } finally {
    observer.disconnect()
    await second.destroy()
  }
}

describe('the holdout arm across visits', () => {
  it("a returning shopper's restored segment does not personalise the page either", async () => {
    const options = { consent: 'granted' as const, storage: { dbName: 'holdout-restored' }, capture: { autocapture: false }, personalize: { holdout: 1 } }
    await visitDecided(options, 'holdout')
    await expectNotPersonalised(options, async (second) => {
      // The restored segment first (it carries the arm), then the model's own decision.
      await vi.waitFor(() => expect(second.getSegment()).toMatchObject({ arm: 'holdout', restored: true }), { timeout: 10_000 })
      await vi.waitFor(() => expect(second.getSegment()?.restored).toBeUndefined(), { timeout: 10_000 })
      expect(second.getSegment()?.arm).toBe('holdout')
    })
  })
})

describe('the holdout arm when consent comes after the start', () => {
  /**
   * A returning shopper whose earlier visit drew a holdout bucket, on a page that starts with consent pending
   * (`segmentWithoutConsent`): the stored draw cannot be read, and the page's own draw (mocked: treatment;
   * `vi.restoreAllMocks()` ends it) decides its segment. Resolves once that segment is shown.
   */
  const decidedInPageArm = async (dbName: string) => {
    const earlier = createStore({ dbName, persist: true })
    await earlier.setMeta(HOLDOUT_META_KEY, 0)
    await earlier.close()
    vi.spyOn(crypto, 'getRandomValues').mockImplementation(((array: Uint32Array) => {
      array[0] = HOLDOUT_BUCKETS - 1
      return array
    }) as typeof crypto.getRandomValues)
    const seglet = createSeglet({ consent: 'pending', segmentWithoutConsent: true, storage: { dbName }, capture: { autocapture: false }, personalize: { holdout: 0.5 } })
    for (let i = 0; i < 6; i++) {
      seglet.track({ type: 'page_view', url: `/products/p${i}`, pageType: 'product' })
      seglet.track({ type: 'engagement', url: `/products/p${i}`, pageType: 'product', visibleMs: 45_000, scrollDepth: 0.8 })
    }
    await seglet.flush()
    await vi.waitFor(() => expect(seglet.getSegment()?.arm).toBe('treatment'), { timeout: 10_000 })
    return seglet
  }

  it('a returning shopper keeps the arm of earlier visits, not the one drawn for the page while consent was pending', async () => {
    const dbName = 'holdout-consent-later'
    try {
      const seglet = await decidedInPageArm(dbName)
      await seglet.setConsent('granted')
      await seglet.flush()
      await seglet.destroy()
    } finally {
      vi.restoreAllMocks()
    }
    const next = createStore({ dbName, persist: true })
    expect(await next.getMeta(HOLDOUT_META_KEY)).toBe(0)
    await next.close()
  })

  it('once consent is granted, the page is in the stored arm, and stores no segment in the arm drawn before', async () => {
    const dbName = 'holdout-consent-later-page'
    try {
      const seglet = await decidedInPageArm(dbName)
      await seglet.setConsent('granted')
      // IndexedDB keeps the browser's arm now: the page follows it, without waiting for its segment to change.
      await vi.waitFor(() => expect(seglet.getSegment()?.arm).toBe('holdout'), { timeout: 10_000 })
      expect(document.documentElement.hasAttribute('data-seglet-segment')).toBe(false)
      // The shopper buys on: the segment stored for the next page (restored before its decision) carries the browser's arm.
      await buyAndLeave(seglet, ['o1', 'o2'])
    } finally {
      vi.restoreAllMocks()
    }
    const next = createStore({ dbName, persist: true })
    expect((await next.getMeta<Segment>(SEGMENT_META_KEY))?.arm).toBe('holdout')
    await next.close()
  })
})

describe('the holdout arm when IndexedDB fails to read it', () => {
  it("stores neither a segment nor a segment hint in the arm the page drew for itself, so the next page's restored segment keeps the browser's arm", async () => {
    const dbName = 'holdout-unread'
    const earlier = createStore({ dbName, persist: true })
    // Held out on earlier visits (bucket 0), with a segment of then stored in that arm.
    await earlier.setMeta(HOLDOUT_META_KEY, 0)
    await earlier.setMeta(SEGMENT_META_KEY, { ...segment('holdout'), holdout: 0.5, reasons: [], decidedAt: Date.now() - 60_000, expiresAt: Date.now() + 86_400_000 })
    await earlier.close()
    document.cookie = `${SEGMENT_HINT_COOKIE}=; max-age=0; path=/`
    // This page's read of the draw fails inside IndexedDB (a damaged value, a browser fault); other keys read as ever.
    const get = IDBObjectStore.prototype.get
    vi.spyOn(IDBObjectStore.prototype, 'get').mockImplementation(function (this: IDBObjectStore, key: IDBValidKey | IDBKeyRange) {
      if (key === HOLDOUT_META_KEY) throw new DOMException('Failed to read the value', 'UnknownError')
      return get.call(this, key)
    })
    // The page's own draw: treatment.
    vi.spyOn(crypto, 'getRandomValues').mockImplementation(((array: Uint32Array) => {
      array[0] = HOLDOUT_BUCKETS - 1
      return array
    }) as typeof crypto.getRandomValues)
    try {
      const seglet = createSeglet({ consent: 'granted', storage: { dbName }, capture: { autocapture: false }, personalize: { holdout: 0.5, segmentHint: true } })
      for (let i = 0; i < 6; i++) {
        seglet.track({ type: 'page_view', url: `/products/p${i}`, pageType: 'product' })
        seglet.track({ type: 'engagement', url: `/products/p${i}`, pageType: 'product', visibleMs: 45_000, scrollDepth: 0.8 })
      }
      await seglet.flush()
      await vi.waitFor(() => expect(seglet.getSegment()?.arm).toBe('treatment'), { timeout: 10_000 })
      await buyAndLeave(seglet, ['o1'])
    } finally {
      vi.restoreAllMocks()
    }
    // The server renders the next page without a segment, as for a held-out browser.
    expect(document.cookie).not.toContain(`${SEGMENT_HINT_COOKIE}=`)
    const next = createStore({ dbName, persist: true })
    expect(await next.getMeta(HOLDOUT_META_KEY)).toBe(0)
    expect((await next.getMeta<Segment>(SEGMENT_META_KEY))?.arm).toBe('holdout')
    await next.close()
  })
})

describe('a holdout turned on later', () => {
  it("a returning shopper's segment stored before the holdout does not personalise a holdout browser", async () => {
    const options = { consent: 'granted' as const, storage: { dbName: 'holdout-later' }, capture: { autocapture: false } }
    await visitDecided(options, 'none')
    await expectNotPersonalised({ ...options, personalize: { holdout: 1 } }, async (second) => {
      await vi.waitFor(() => expect(second.getSegment()).toMatchObject({ arm: 'holdout' }), { timeout: 10_000 })
    })
  })
})

describe('a larger holdout share later', () => {
  it("a returning shopper's segment stored in the treatment arm does not personalise a browser the larger share holds out", async () => {
    const dbName = 'holdout-share-raised'
    const earlier = createStore({ dbName, persist: true })
    await earlier.setMeta(HOLDOUT_META_KEY, 7000)
    await earlier.close()
    const options = { consent: 'granted' as const, storage: { dbName }, capture: { autocapture: false } }
    await visitDecided({ ...options, personalize: { holdout: 0.5 } }, 'treatment')
    await expectNotPersonalised({ ...options, personalize: { holdout: 0.8 } }, async (second) => {
      await vi.waitFor(() => expect(second.getSegment()).toMatchObject({ arm: 'holdout', holdout: 0.8 }), { timeout: 10_000 })
      await new Promise((resolve) => setTimeout(resolve, 50))
    })
    // The stored segment now carries the browser's arm at this share, though the segment did not change.
    const next = createStore({ dbName, persist: true })
    expect(await next.getMeta<Segment>(SEGMENT_META_KEY)).toMatchObject({ arm: 'holdout', holdout: 0.8 })
    await next.close()
  })
})

describe('the holdout arm on first pages', () => {
  it('applies no cold-start default while the arm is not drawn: the page looks as without Seglet, and is revealed', async () => {
    const seglet = createSeglet({
      consent: 'granted',
      storage: { dbName: 'holdout-cold-start' },
      capture: { autocapture: false },
      personalize: { holdout: 0.5, antiFlicker: true, antiFlickerTimeoutMs: 5000 },
    })
    const called: Segment[] = []
    seglet.onSegment((s) => called.push(s))
    try {
      seglet.track({ type: 'page_view', url: '/products/p0', pageType: 'product' })
      await seglet.flush()
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(seglet.getSegment()).toBeNull()
      expect(document.documentElement.hasAttribute('data-seglet-segment')).toBe(false)
      expect(called).toEqual([])
      // Revealed at once all the same, not after the anti-flicker timeout.
      expect(document.documentElement.classList.contains('seglet-pending')).toBe(false)
    } finally {
      await seglet.destroy()
    }
  })
})

describe('resolveArm', () => {
  it('is none without a holdout, and makes no draw', async () => {
    const store = memory()
    expect(await resolveArm(undefined, store)).toBe('none')
    expect(await resolveArm(0, store)).toBe('none')
    expect(store.entries.size).toBe(0)
  })

  it('draws once and keeps the arm across visits; a larger share only moves treatment browsers into the holdout', async () => {
    const store = memory()
    const first = await resolveArm(0.5, store)
    const draw = store.entries.get(HOLDOUT_META_KEY) as number
    expect(Number.isInteger(draw) && draw >= 0 && draw < HOLDOUT_BUCKETS).toBe(true)
    for (let i = 0; i < 5; i++) expect(await resolveArm(0.5, store)).toBe(first)
    expect(store.entries.get(HOLDOUT_META_KEY)).toBe(draw)
    store.entries.set(HOLDOUT_META_KEY, 999)
    expect(await resolveArm(0.1, store)).toBe('holdout')
    store.entries.set(HOLDOUT_META_KEY, 1000)
    expect(await resolveArm(0.1, store)).toBe('treatment')
    expect(await resolveArm(0.2, store)).toBe('holdout')
  })

  it('assigns about the configured share of browsers', async () => {
    let held = 0
    for (let i = 0; i < 4000; i++) if ((await resolveArm(0.1, memory())) === 'holdout') held++
    // Binomial(4000, 0.1): mean 400, sd 19; ±5 sd.
    expect(held).toBeGreaterThan(300)
    expect(held).toBeLessThan(500)
  })

  it('puts two tabs opening at once on a first visit in the same arm', async () => {
    const removeLocks = installFakeLocks()
    const tabs = [0, 1].map(() => createStore({ dbName: 'holdout-two-tabs', persist: true }))
    // The first draw is a holdout bucket, any later one a treatment bucket.
    let draws = 0
    vi.spyOn(crypto, 'getRandomValues').mockImplementation(((array: Uint32Array) => {
      array[0] = draws++ ? HOLDOUT_BUCKETS - 1 : 0
      return array
    }) as typeof crypto.getRandomValues)
    try {
      const arms = await Promise.all(tabs.map((store) => resolveArm(0.5, store)))
      expect(arms[1]).toBe(arms[0])
      expect(await tabs[1].getMeta(HOLDOUT_META_KEY)).toBe(await tabs[0].getMeta(HOLDOUT_META_KEY))
      expect(draws).toBe(1)
    } finally {
      vi.restoreAllMocks()
      removeLocks()
      for (const store of tabs) await store.close()
    }
  })

  it('keeps the stored draw IndexedDB fails to read: the page draws for itself and stores nothing over it', async () => {
    const store = memory()
    // Held out on earlier visits (bucket 0); this page's read fails inside IndexedDB.
    store.entries.set(HOLDOUT_META_KEY, 0)
    const getMeta = store.getMeta
    store.getMeta = async (key: string) => (key === HOLDOUT_META_KEY ? Promise.reject(new DOMException('Failed to read the value', 'UnknownError')) : getMeta(key))
    const random = vi.spyOn(crypto, 'getRandomValues').mockImplementation(((array: Uint32Array) => {
      array[0] = HOLDOUT_BUCKETS - 1
      return array
    }) as typeof crypto.getRandomValues)
    try {
      expect(await resolveArm(0.3, store)).toBe('treatment')
    } finally {
      random.mockRestore()
    }
    expect(store.entries.get(HOLDOUT_META_KEY)).toBe(0)
    store.getMeta = getMeta
    expect(await resolveArm(0.3, store)).toBe('holdout')
  })

  it('draws again when the stored draw is unreadable', async () => {
    const store = memory()
    store.entries.set(HOLDOUT_META_KEY, 'x')
    await resolveArm(0.3, store)
    expect(Number.isInteger(store.entries.get(HOLDOUT_META_KEY))).toBe(true)
  })
})
