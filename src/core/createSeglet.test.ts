import { openDB } from 'idb'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { isSegletError, OptionsError, ValidationError } from '../errors'
import type { SegletError } from '../errors'
import type { Segment } from '../segments'
import { createSeglet } from './index'
import type { Seglet, SegletOptions } from './createSeglet'

let running: Seglet[] = []
let n = 0
const start = (options: SegletOptions = {}) => {
  const errors: SegletError[] = []
  const seglet = createSeglet({
    consent: 'granted',
    storage: { dbName: `core-test-${++n}` },
    capture: { autocapture: false },
    onError: (e) => errors.push(e),
    ...options,
  })
  running.push(seglet)
  return { seglet, errors }
}

const nextSegment = (seglet: Seglet) =>
  new Promise<Segment>((resolve) => {
    const off = seglet.onSegment((segment) => {
      off()
      resolve(segment)
    }, { immediate: false })
  })

const browse = (seglet: Seglet, pages: number, pageType: 'product' | 'informational' = 'product') => {
  for (let i = 0; i < pages; i++) {
    seglet.track({ type: 'page_view', url: `/products/p${i}`, pageType })
    seglet.track({ type: 'engagement', url: `/products/p${i}`, pageType, visibleMs: 45_000, scrollDepth: 0.8 })
  }
}

/** An earlier visit that bought something: its stored history gives a value segment. */
const visitWithOrder = async (dbName: string) => {
  const first = start({ storage: { dbName } })
  const decided = nextSegment(first.seglet)
  first.seglet.track({ type: 'purchase', orderId: 'o1', value: 120, currency: 'EUR', items: [{ productId: 'p1', quantity: 1, price: 120 }] })
  browse(first.seglet, 4)
  await first.seglet.flush()
  expect((await decided).valueSegment).toBeDefined()
  await first.seglet.destroy()
  running = running.filter((s) => s !== first.seglet)
}

beforeEach(() => {
  document.documentElement.className = ''
  document.documentElement.removeAttribute('data-seglet-segment')
  document.body.innerHTML = ''
})

afterEach(async () => {
  for (const seglet of running) await seglet.destroy()
  running = []
  vi.restoreAllMocks()
})

describe('createSeglet', () => {
  it('rejects bad options and bad events with typed errors', () => {
    expect(() => createSeglet({ consent: 'yes' as never })).toThrow(OptionsError)
    const { seglet } = start()
    expect(() => seglet.track({ type: 'purchase' } as never)).toThrow(ValidationError)
    try {
      seglet.track({ type: 'product_view', productId: 'a', price: Number.NaN })
    } catch (error) {
      expect(isSegletError(error) && error.code).toBe('invalid_event')
      expect((error as Error).message).toMatch(/price/)
    }
  })

  it('track() takes a cart event without its quantity, as documented (default 1), in its type too', async () => {
    const { seglet, errors } = start()
    // No cast: the published type of track() must accept what the README documents.
    seglet.track({ type: 'add_to_cart', productId: 'sku-42', price: 19.9, currency: 'EUR' })
    seglet.track({ type: 'remove_from_cart', productId: 'sku-42' })
    await seglet.flush()
    const { events } = await seglet.exportData()
    expect(events.filter((e) => e.type === 'add_to_cart' || e.type === 'remove_from_cart').map((e) => 'quantity' in e && e.quantity)).toEqual([1, 1])
    expect(errors).toEqual([])
  })

  it('decides a segment from tracked events and applies every hook', async () => {
    document.body.innerHTML = '<div id="intent" data-seglet-intent-above="0.99"></div>'
    const { seglet, errors } = start()
    const events: Event[] = []
    window.addEventListener('seglet:segment', (e) => events.push(e))
    const decided = nextSegment(seglet)
    browse(seglet, 6)
    await seglet.flush()
    const segment = await decided
    expect(segment.coldStart).toBe(false)
    expect(segment.intent).toBeGreaterThanOrEqual(0)
    expect(segment.intent).toBeLessThanOrEqual(1)
    expect(seglet.getSegment()?.id).toBe(segment.id)
    expect(document.documentElement.getAttribute('data-seglet-segment')).toBe(segment.id)
    for (const id of segment.path) expect(document.documentElement.classList.contains(`seglet-${id}`)).toBe(true)
    expect(events.length).toBeGreaterThan(0)
    expect(seglet.explain().every((line) => typeof line.text === 'string' && line.text.length > 0)).toBe(true)
    expect(errors).toEqual([])
  })

  it('works out segment.reasons when first read, keeps them, and does not store them', async () => {
    const { seglet, errors } = start({ storage: { dbName: 'core-reasons' } })
    const decided = nextSegment(seglet)
    browse(seglet, 6)
    await seglet.flush()
    const segment = await decided
    const descriptor = Object.getOwnPropertyDescriptor(segment, 'reasons')!
    expect(descriptor.enumerable).toBe(true)
    expect(typeof descriptor.get).toBe('function')
    const reasons = segment.reasons
    expect(reasons.length).toBeGreaterThan(0)
    expect(reasons.every((line) => typeof line.text === 'string' && line.text.length > 0)).toBe(true)
    // Read once, kept: the same array on every read, and the same lines as explain().
    expect(segment.reasons).toBe(reasons)
    expect(seglet.getSegment()!.reasons).toBe(reasons)
    expect(seglet.explain()).toEqual(reasons)
    // Plain data for the page: spread, JSON and structured clone carry the reasons.
    expect({ ...segment }.reasons).toEqual(reasons)
    expect(JSON.parse(JSON.stringify(segment)).reasons).toEqual(JSON.parse(JSON.stringify(reasons)))
    expect(structuredClone(segment).reasons).toEqual(reasons)
    // Stored for hysteresis across page loads, without the explanation.
    // The write is not awaited by the decision: wait for it.
    await vi.waitFor(async () => expect((await seglet.exportData()).meta.segment).toMatchObject({ id: segment.id, reasons: [] }))
    expect(errors).toEqual([])
  })

  it('writes the page\'s visible time so far with every flush, as one engagement record per page view', async () => {
    let now = Date.now()
    vi.spyOn(Date, 'now').mockImplementation(() => now)
    const { seglet, errors } = start({ capture: { scrollDepth: false, dataLayer: false } })
    const engagements = async () => (await seglet.exportData()).events.filter((e) => e.type === 'engagement')
    now += 2000
    seglet.track({ type: 'search', query: 'linen' })
    await seglet.flush()
    expect(await engagements()).toMatchObject([{ visibleMs: 2000 }])
    now += 3000
    seglet.track({ type: 'search', query: 'wool' })
    await seglet.flush()
    // Updated, not added: the stored record now holds 5 s, and summing records does not count 2 s twice.
    expect(await engagements()).toMatchObject([{ visibleMs: 5000 }])
    now += 1000
    await seglet.flush() // nothing queued: no write for the time alone
    expect(await engagements()).toMatchObject([{ visibleMs: 5000 }])
    window.dispatchEvent(new Event('pagehide'))
    await seglet.flush()
    expect(await engagements()).toMatchObject([{ visibleMs: 6000 }])
    expect(errors).toEqual([])
  })

  it('a beforeunload that leaves the page where it is (a mailto:, tel: or download link) writes the time so far, and the clock goes on', async () => {
    let now = Date.now()
    vi.spyOn(Date, 'now').mockImplementation(() => now)
    const { seglet, errors } = start({ capture: { scrollDepth: false, dataLayer: false } })
    const engagements = async () => (await seglet.exportData()).events.filter((e) => e.type === 'engagement')
    now += 2000
    window.dispatchEvent(new Event('beforeunload'))
    await seglet.flush()
    expect(await engagements()).toMatchObject([{ visibleMs: 2000 }])
    // The page stayed: its time goes on, and its pagehide writes it.
    now += 3000
    window.dispatchEvent(new Event('pagehide'))
    await seglet.flush()
    expect(await engagements()).toMatchObject([{ visibleMs: 5000 }])
    expect(errors).toEqual([])
  })

  it('starts cold, with the default segment, on too little evidence', async () => {
    const { seglet } = start()
    const decided = nextSegment(seglet)
    seglet.track({ type: 'page_view', url: '/', pageType: 'home' })
    await seglet.flush()
    const segment = await decided
    expect(segment.coldStart).toBe(true)
  })

  it('restores the last segment for a returning shopper from stored history', async () => {
    const first = start({ storage: { dbName: 'core-returning' } })
    const decided = nextSegment(first.seglet)
    browse(first.seglet, 6)
    await first.seglet.flush()
    const segment = await decided
    await first.seglet.destroy()
    running = running.filter((s) => s !== first.seglet)

    const second = start({ storage: { dbName: 'core-returning' } })
    // No new event: the decision comes from what the first visit stored.
    const again = await nextSegment(second.seglet)
    expect(again.id).toBe(segment.id)
  })

  it('persists nothing while consent is pending, and everything once granted', async () => {
    const { seglet } = start({ consent: 'pending', storage: { dbName: 'core-consent' } })
    browse(seglet, 2)
    await seglet.flush()
    expect((await indexedDB.databases()).some((d) => d.name === 'core-consent')).toBe(false)
    expect((await seglet.exportData()).events).toHaveLength(4)
    await seglet.setConsent('granted')
    expect((await indexedDB.databases()).some((d) => d.name === 'core-consent')).toBe(true)
    await seglet.setConsent('denied')
    expect((await indexedDB.databases()).some((d) => d.name === 'core-consent')).toBe(false)
  })

  it('keeps what earlier visits stored when a page that started pending hears pending again', async () => {
    const dbName = 'core-pending-again'
    const earlier = start({ storage: { dbName } })
    browse(earlier.seglet, 2)
    await earlier.seglet.flush()
    await earlier.seglet.destroy()
    running = running.filter((s) => s !== earlier.seglet)
    // The next page starts pending; its consent manager repeats "no answer yet", then the shopper grants.
    const { seglet } = start({ consent: 'pending', storage: { dbName } })
    await seglet.setConsent('pending')
    expect((await indexedDB.databases()).some((d) => d.name === dbName)).toBe(true)
    await seglet.setConsent('granted')
    expect((await seglet.exportData()).events.filter((e) => e.type === 'page_view')).toHaveLength(2)
    // Withdrawn from granted, pending deletes, as documented.
    await seglet.setConsent('pending')
    expect((await indexedDB.databases()).some((d) => d.name === dbName)).toBe(false)
  })

  it('treats Global Privacy Control as denied unless the shop opts out', () => {
    Object.defineProperty(navigator, 'globalPrivacyControl', { value: true, configurable: true })
    try {
      expect(start().seglet.getConsent()).toBe('denied')
      expect(start({ respectGlobalPrivacyControl: false }).seglet.getConsent()).toBe('granted')
    } finally {
      Object.defineProperty(navigator, 'globalPrivacyControl', { value: undefined, configurable: true })
    }
  })

  it('forgets everything: database, segment and hooks', async () => {
    const { seglet } = start({ storage: { dbName: 'core-forget' } })
    const decided = nextSegment(seglet)
    browse(seglet, 4)
    await seglet.flush()
    await decided
    await seglet.forget()
    expect((await indexedDB.databases()).some((d) => d.name === 'core-forget')).toBe(false)
    expect(seglet.getSegment()).toBeNull()
    expect(document.documentElement.hasAttribute('data-seglet-segment')).toBe(false)
    expect((await seglet.exportData()).events).toEqual([])
  })

  it('withdrawn consent takes the segment of the deleted history off the page: getSegment(), <html> and blocks', async () => {
    document.body.innerHTML = '<p id="offer" data-seglet-show="engaged light" hidden>offer</p>'
    const { seglet } = start({ storage: { dbName: 'core-withdrawn' } })
    const decided = nextSegment(seglet)
    browse(seglet, 4)
    await seglet.flush()
    await decided
    expect(document.documentElement.hasAttribute('data-seglet-segment')).toBe(true)
    expect(document.getElementById('offer')!.hidden).toBe(false)
    await seglet.setConsent('denied')
    expect((await indexedDB.databases()).some((d) => d.name === 'core-withdrawn')).toBe(false)
    expect(seglet.getSegment()).toBeNull()
    expect(document.documentElement.hasAttribute('data-seglet-segment')).toBe(false)
    expect(document.documentElement.className).not.toMatch(/seglet-/)
    expect(document.getElementById('offer')!.hidden).toBe(true)
    document.body.innerHTML = ''
  })

  it('forget(): the rest of the page keeps what it tracks in memory, shown, hidden and shown again; the next page stores again', async () => {
    const setVisibility = (state: DocumentVisibilityState) => {
      Object.defineProperty(document, 'visibilityState', { value: state, configurable: true })
      document.dispatchEvent(new Event('visibilitychange'))
    }
    const dbName = 'core-forget-memory'
    const exists = async () => (await indexedDB.databases()).some((d) => d.name === dbName)
    // With autocapture: its engagement (this page view's visible time so far) is asked for at every write and hide.
    const { seglet, errors } = start({ storage: { dbName, flushDelayMs: 20 }, capture: {} })
    try {
      seglet.track({ type: 'search', query: 'mug' })
      await seglet.flush()
      expect(await exists()).toBe(true)
      await seglet.forget()
      seglet.track({ type: 'search', query: 'linen' })
      await seglet.flush()
      setVisibility('hidden')
      await new Promise((r) => setTimeout(r, 60))
      setVisibility('visible')
      window.dispatchEvent(new Event('pagehide'))
      await seglet.flush()
      await new Promise((r) => setTimeout(r, 60))
      expect(await exists()).toBe(false)
      // Kept for this page: its decisions and exportData() see it.
      const kept = await seglet.exportData()
      expect(kept.storage).toBe('memory')
      expect(kept.events.map((e) => (e as { query?: string }).query)).toContain('linen')
      expect(kept.events.map((e) => (e as { query?: string }).query)).not.toContain('mug')
      expect(errors).toEqual([])
    } finally {
      await seglet.destroy()
      running = running.filter((s) => s !== seglet)
      delete (document as { visibilityState?: unknown }).visibilityState
    }
    // The next page load, consent granted: stored again.
    const next = start({ storage: { dbName, flushDelayMs: 20 } })
    next.seglet.track({ type: 'search', query: 'next-page' })
    await next.seglet.flush()
    const db = await openDB(dbName)
    expect((await db.getAll('events')).map((e: { query?: string }) => e.query)).toEqual(['next-page'])
    db.close()
  })

  it('forget() while a decision is under way: nothing decided from the forgotten history is shown or stored', async () => {
    // The decision runs when the page is idle; forget() is called at several points of it.
    for (const delayMs of [0, 3, 30]) {
      const dbName = `core-forget-racing-${delayMs}`
      const { seglet } = start({ storage: { dbName } })
      const first = nextSegment(seglet)
      browse(seglet, 4)
      await seglet.flush()
      await first
      browse(seglet, 3, 'informational')
      await seglet.flush()
      await new Promise((resolve) => setTimeout(resolve, delayMs))
      await seglet.forget()
      await new Promise((resolve) => setTimeout(resolve, 600))
      expect((await indexedDB.databases()).some((d) => d.name === dbName), `forget() after ${delayMs} ms`).toBe(false)
      expect(seglet.getSegment(), `forget() after ${delayMs} ms`).toBeNull()
      await seglet.destroy()
    }
  })

  it('withdrawn consent with segmentWithoutConsent: later decisions rest on this page\'s events only, not the deleted history', async () => {
    const dbName = 'core-withdrawn'
    await visitWithOrder(dbName)

    const { seglet } = start({ storage: { dbName }, segmentWithoutConsent: true })
    // The model decides from the stored history: the order gives a value segment.
    browse(seglet, 1)
    await seglet.flush()
    await vi.waitFor(() => expect(seglet.getSegment() && !seglet.getSegment()!.restored).toBe(true), { timeout: 3000 })
    expect(seglet.getSegment()?.valueSegment).toBeDefined()
    await seglet.setConsent('denied')
    expect((await indexedDB.databases()).some((d) => d.name === dbName)).toBe(false)
    const before = seglet.getSegment()!.decidedAt
    browse(seglet, 3, 'informational')
    await seglet.flush()
    await vi.waitFor(() => expect(seglet.getSegment()!.decidedAt).toBeGreaterThan(before), { timeout: 3000 })
    const segment = seglet.getSegment()!
    expect(segment.valueSegment).toBeUndefined()
    expect(segment.repeatProbability).toBeUndefined()
    expect(seglet.explain().map((r) => r.text).join()).not.toMatch(/order/)
  })

  it('withdrawn consent with segmentWithoutConsent: the segment of the deleted history leaves the page before this page tracks again', async () => {
    const { seglet } = start({ storage: { dbName: 'core-withdrawn-without-consent' }, segmentWithoutConsent: true })
    const decided = nextSegment(seglet)
    browse(seglet, 4)
    await seglet.flush()
    await decided
    expect(document.documentElement.hasAttribute('data-seglet-segment')).toBe(true)
    await seglet.setConsent('denied')
    // The decision after the withdrawal finds none of this page's events in memory: nothing to decide from.
    await vi.waitFor(() => expect(seglet.getSegment()).toBeNull(), { timeout: 3000 })
    expect(document.documentElement.hasAttribute('data-seglet-segment')).toBe(false)
    expect(seglet.explain()).toEqual([])
  })

  it('consent withdrawn and granted again later on the page: decisions rest on what is stored since, not the deleted history', async () => {
    const dbName = 'core-withdrawn-regranted'
    await visitWithOrder(dbName)

    const { seglet } = start({ storage: { dbName }, personalize: { segmentHint: true } })
    browse(seglet, 1)
    await seglet.flush()
    await vi.waitFor(() => expect(seglet.getSegment() && !seglet.getSegment()!.restored).toBe(true), { timeout: 3000 })
    expect(seglet.getSegment()?.valueSegment).toBeDefined()
    // The shopper withdraws consent in the banner, browses on, and later grants it again.
    await seglet.setConsent('denied')
    expect((await indexedDB.databases()).some((d) => d.name === dbName)).toBe(false)
    expect(seglet.getSegment()).toBeNull()
    await new Promise((resolve) => setTimeout(resolve, 300))
    await seglet.setConsent('granted')
    // Nothing of the deleted history comes back with consent: no segment, no hint, until a decision from what is stored since.
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(seglet.getSegment()).toBeNull()
    expect(document.cookie).not.toMatch(/seglet_hint/)
    browse(seglet, 3, 'informational')
    await seglet.flush()
    await vi.waitFor(() => expect(seglet.getSegment()).not.toBeNull(), { timeout: 3000 })
    const segment = seglet.getSegment()!
    expect(segment.valueSegment).toBeUndefined()
    expect(seglet.explain().map((r) => r.text).join()).not.toMatch(/order/)
    await new Promise((resolve) => setTimeout(resolve, 300))
    const stored = (await seglet.exportData()).meta['segment'] as Segment | undefined
    expect(stored?.valueSegment).toBeUndefined()
    document.cookie = 'seglet_hint=; Max-Age=0; Path=/'
  })

  /** A shopper decided on a first visit, back on a second page: the Seglet of that page and the segments it shows. */
  async function returningShopper(dbName: string) {
    const first = start({ storage: { dbName } })
    const decided = nextSegment(first.seglet)
    browse(first.seglet, 4)
    await first.seglet.flush()
    await decided
    await first.seglet.destroy()
    running = running.filter((s) => s !== first.seglet)
    const second = start({ storage: { dbName } })
    const shown: Segment[] = []
    second.seglet.onSegment((segment) => shown.push(segment))
    return { ...second, shown }
  }

  it('consent denied and granted again in one task: the segment of the deleted history is not restored', async () => {
    const { seglet, errors, shown } = await returningShopper('core-regranted')
    void seglet.setConsent('denied')
    await seglet.setConsent('granted')
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(shown.filter((segment) => segment.restored)).toEqual([])
    expect(document.documentElement.hasAttribute('data-seglet-segment')).toBe(false)
    expect((await seglet.exportData()).meta).toEqual({})
    expect(errors).toEqual([])
  })

  it('forget() at start: the segment of the forgotten history is not restored', async () => {
    const { seglet, errors, shown } = await returningShopper('core-forgotten-at-start')
    await seglet.forget()
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(shown.filter((segment) => segment.restored)).toEqual([])
    expect(seglet.getSegment()).toBeNull()
    expect(document.documentElement.hasAttribute('data-seglet-segment')).toBe(false)
    expect(errors).toEqual([])
  })

  it('makes no network request of its own', async () => {
    const fetchSpy = vi.fn()
    vi.stubGlobal('fetch', fetchSpy)
    const beacon = vi.fn()
    Object.defineProperty(navigator, 'sendBeacon', { value: beacon, configurable: true })
    const open = vi.spyOn(XMLHttpRequest.prototype, 'open')
    const { seglet } = start()
    const decided = nextSegment(seglet)
    browse(seglet, 6)
    seglet.track({ type: 'purchase', orderId: 'o1', value: 20, currency: 'EUR', items: [{ productId: 'p1', quantity: 1, price: 20 }] })
    await seglet.flush()
    await decided
    await seglet.exportData()
    expect(fetchSpy).not.toHaveBeenCalled()
    expect(beacon).not.toHaveBeenCalled()
    expect(open).not.toHaveBeenCalled()
    vi.unstubAllGlobals()
  })

  it('refuses a shop pack from another origin before any request, reports it once, and keeps capturing', async () => {
    const fetchSpy = vi.fn()
    vi.stubGlobal('fetch', fetchSpy)
    const { seglet, errors } = start({
      model: { sessionPackUrl: 'https://cdn.example/session.json', sessionPackIntegrity: 'sha256-' + btoa('x'.repeat(32)) },
    })
    browse(seglet, 3)
    await seglet.flush()
    await vi.waitFor(() => expect(errors.map((e) => e.code)).toContain('pack_origin'), { timeout: 10_000 })
    browse(seglet, 3)
    await seglet.flush()
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(errors.filter((e) => e.code === 'pack_origin')).toHaveLength(1)
    expect(fetchSpy).not.toHaveBeenCalled()
    expect((await seglet.exportData()).events.length).toBe(12)
    vi.unstubAllGlobals()
  })
})

describe('errors a developer can see', () => {
  it('refuses an unknown option, naming it and the option meant', () => {
    expect(() => createSeglet({ consnet: 'granted' } as SegletOptions)).toThrow(OptionsError)
    expect(() => createSeglet({ consnet: 'granted' } as SegletOptions)).toThrow("unknown option 'consnet' — did you mean 'consent'?")
    expect(() => createSeglet({ storage: { retentionDays: Infinity } })).toThrow('storage.retentionDays must be a number from 1 to 3650; got Infinity')
    expect(() => createSeglet({ personalize: { antiFlikcer: true } } as SegletOptions)).toThrow("did you mean 'personalize.antiFlicker'?")
  })

  it('setConsent() with a bad value throws at the call, not as a rejection', () => {
    const { seglet } = start()
    expect(() => seglet.setConsent('true' as never)).toThrow(OptionsError)
    // A missing value is not a withdrawal to 'pending': it is refused like any other.
    expect(() => seglet.setConsent(undefined as never)).toThrow(OptionsError)
    expect(seglet.getConsent()).toBe('granted')
  })

  it('onSegment() refuses a callback that is not a function', () => {
    const { seglet } = start()
    expect(() => seglet.onSegment(42 as never)).toThrow(OptionsError)
    expect(() => seglet.onSegment(42 as never)).toThrow('onSegment(callback) must be function; got 42')
  })

  it('without onError, reported errors go to console.warn once per code', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      const seglet = createSeglet({ consent: 'granted', storage: { dbName: `core-warn-${++n}` }, capture: { autocapture: false } })
      running.push(seglet)
      seglet.shopifyEvent({ name: 'product_viewed' })
      seglet.shopifyEvent({ name: 'product_viewed' })
      seglet.shopifyEvent(42)
      // The bridges' code is a part of its own, imported the first time a bridge has something to map.
      await vi.waitFor(() => expect(warn).toHaveBeenCalled())
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(warn).toHaveBeenCalledTimes(1)
      expect(String(warn.mock.calls[0][0])).toMatch(/^Seglet bridge_invalid: /)
      // With onError, nothing goes to the console.
      const { seglet: quiet, errors } = start()
      quiet.shopifyEvent({ name: 'product_viewed' })
      await vi.waitFor(() => expect(errors).toHaveLength(1))
      expect(warn).toHaveBeenCalledTimes(1)
    } finally {
      warn.mockRestore()
    }
  })

  it('never shows a URL\'s user name and password in a message', () => {
    const error = new OptionsError('The model pack https://shop:s3cret@shop.example/p.json and //u@cdn.example/x failed')
    expect(error.message).toBe('The model pack https://…@shop.example/p.json and //…@cdn.example/x failed')
    expect(error.message).not.toContain('s3cret')
  })
})

