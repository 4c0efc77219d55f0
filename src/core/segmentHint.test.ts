// The segment hint cookie as a running Seglet writes and removes it (jsdom's cookie jar).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { SegletError } from '../errors'
import { clearSegmentHint } from '../personalize/clearSegmentHint'
import { writeSegmentHint } from '../personalize/writeSegmentHint'
import type { Segment } from '../segments'
import { readSegmentHint } from '../server'
import type { Seglet, SegletOptions } from './createSeglet'
import { createSeglet } from './index'

let running: Seglet[] = []
let n = 0
const start = (options: SegletOptions = {}) => {
  const errors: SegletError[] = []
  const seglet = createSeglet({
    consent: 'granted',
    storage: { dbName: `hint-test-${++n}` },
    capture: { autocapture: false },
    personalize: { segmentHint: true },
    onError: (e) => errors.push(e),
    ...options,
  })
  running.push(seglet)
  return { seglet, errors }
}

/** Tracks a short session and flushes it, which schedules a decision. */
const browse = async (seglet: Seglet): Promise<void> => {
  for (let i = 0; i < 6; i++) {
    seglet.track({ type: 'page_view', url: `/products/p${i}`, pageType: 'product' })
    seglet.track({ type: 'engagement', url: `/products/p${i}`, pageType: 'product', visibleMs: 45_000, scrollDepth: 0.8 })
  }
  await seglet.flush()
}

/** Tracks a short session and resolves with the first segment decided from it. */
const decide = async (seglet: Seglet): Promise<Segment> => {
  const decided = new Promise<Segment>((resolve) => {
    const off = seglet.onSegment((segment) => (off(), resolve(segment)), { immediate: false })
  })
  await browse(seglet)
  return decided
}

/** The hint as the shop's server would read it from this document's cookies. */
const serverHint = () => readSegmentHint(document.cookie)
const band = (s: Segment) => (s.intent >= s.intentThreshold ? 'high' : s.intent >= s.intentThreshold / 2 ? 'medium' : 'low')

beforeEach(() => clearSegmentHint())
afterEach(async () => {
  for (const seglet of running) await seglet.destroy()
  running = []
  clearSegmentHint()
  vi.restoreAllMocks()
})

describe('segment hint cookie', () => {
  it('a browser held out removes a hint left from before (a larger holdout share), and writes none', async () => {
    document.cookie = 'seglet_hint=casual-browser.high; Path=/'
    const { seglet } = start({ personalize: { segmentHint: true, holdout: 1 } })
    await browse(seglet)
    await vi.waitFor(() => expect(seglet.getSegment()?.arm).toBe('holdout'), { timeout: 10_000 })
    await vi.waitFor(() => expect(serverHint()).toBeNull())
    expect(document.cookie).toBe('')
  })

  it('forget() while a decision records its session (reports on) leaves no hint behind', async () => {
    const { seglet } = start({ reports: { endpoint: '/seglet/reports' } })
    let forgotten: Promise<void> | undefined
    // The shopper clicks "Forget me" as the page is personalised, a microtask after the segment.
    seglet.onSegment(() => void Promise.resolve().then(() => (forgotten ??= seglet.forget())), { immediate: false })
    await browse(seglet)
    await vi.waitFor(() => expect(forgotten).toBeDefined(), { timeout: 10_000 })
    await forgotten
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(seglet.getSegment()).toBeNull()
    expect(document.cookie).toBe('')
  })

  it.each([
    ['after a decision here', true],
    ['with no decision here before (the panel loaded the model part)', false],
  ])('forget() on this page, %s: the decisions from what it tracks afterwards write neither the hint nor the database', async (_, decidedBefore) => {
    const dbName = `hint-test-forget-${++n}`
    const exists = async () => (await indexedDB.databases()).some((d) => d.name === dbName)
    const { seglet, errors } = start({ storage: { dbName } })
    if (decidedBefore) {
      await decide(seglet)
      await vi.waitFor(() => expect(serverHint()).not.toBeNull())
    }
    await seglet.forget()
    expect(serverHint()).toBeNull()
    performance.clearMeasures('seglet:decision')
    await browse(seglet)
    await vi.waitFor(() => expect(performance.getEntriesByName('seglet:decision')).not.toHaveLength(0), { timeout: 10_000 })
    await new Promise((wait) => setTimeout(wait, 300))
    // Decided from this page's events, in memory.
    expect(seglet.getSegment()).not.toBeNull()
    expect(serverHint()).toBeNull()
    expect(await exists()).toBe(false)
    expect(errors).toEqual([])
  })

  it("another tab's forget() during a decision: that decision, made from the deleted history, is dropped and writes no hint", async () => {
    // The decision waits on the page-statistics table's request, held here until the database is gone.
    let answer!: (response: Response) => void
    vi.stubGlobal('fetch', vi.fn(() => new Promise<Response>((resolve) => (answer = resolve))))
    const dbName = `hint-test-deleted-${++n}`
    const { seglet } = start({ storage: { dbName }, capture: { autocapture: false, pageStatsUrl: '/seglet/page-stats.json', pageStatsIntegrity: 'sha256-x' } })
    const decided = vi.fn()
    seglet.onSegment(decided, { immediate: false })
    await browse(seglet)
    await vi.waitFor(() => expect(answer).toBeTypeOf('function'), { timeout: 10_000 })
    // Another tab deletes the database: this page's connection closes and it carries on in memory.
    await new Promise((done) => (indexedDB.deleteDatabase(dbName).onsuccess = done))
    answer(new Response(null, { status: 404 }))
    await new Promise((wait) => setTimeout(wait, 1500))
    expect(serverHint()).toBeNull()
    expect(decided).not.toHaveBeenCalled()
    // Nor do the decisions from what this page tracks afterwards.
    performance.clearMeasures('seglet:decision')
    await browse(seglet)
    await vi.waitFor(() => expect(performance.getEntriesByName('seglet:decision')).not.toHaveLength(0), { timeout: 10_000 })
    await new Promise((wait) => setTimeout(wait, 300))
    expect(serverHint()).toBeNull()
    vi.unstubAllGlobals()
  })

  it("another tab's forget() or withdrawn consent: this tab writes no hint again, from what it tracks afterwards either", async () => {
    const dbName = `hint-test-deleted-${++n}`
    const { seglet } = start({ storage: { dbName } })
    await decide(seglet)
    await vi.waitFor(() => expect(serverHint()).not.toBeNull())
    // The shopper asks to be forgotten (or withdraws consent) in another tab: it deletes the database, this
    // page's connection closes, and the hint cookie the shop's server reads is removed.
    await new Promise((done) => (indexedDB.deleteDatabase(dbName).onsuccess = done))
    clearSegmentHint()
    // This tab still holds consent granted in its memory, and goes on deciding from what it tracks.
    performance.clearMeasures('seglet:decision')
    for (let i = 0; i < 8; i++) {
      seglet.track({ type: 'page_view', url: `/products/q${i}`, pageType: 'product' })
      seglet.track({ type: 'add_to_cart', productId: `q${i}`, quantity: 1, price: 20, currency: 'EUR' })
      seglet.track({ type: 'engagement', url: `/products/q${i}`, pageType: 'product', visibleMs: 45_000, scrollDepth: 0.8 })
    }
    await seglet.flush()
    await vi.waitFor(() => expect(performance.getEntriesByName('seglet:decision')).not.toHaveLength(0), { timeout: 10_000 })
    await new Promise((wait) => setTimeout(wait, 300))
    expect(seglet.getSegment()).not.toBeNull()
    expect(serverHint()).toBeNull()
    // Shown again later: no hint either.
    for (const state of ['hidden', 'visible'] as const) {
      Object.defineProperty(document, 'visibilityState', { value: state, configurable: true })
      document.dispatchEvent(new Event('visibilitychange'))
    }
    seglet.track({ type: 'page_view', url: '/cart', pageType: 'cart' })
    await seglet.flush()
    await new Promise((wait) => setTimeout(wait, 500))
    expect(serverHint()).toBeNull()
  })

  it("removes a hint it wrote in the instant another tab's forget() removed it, at its next decision", async () => {
    const dbName = `hint-test-race-${++n}`
    const { seglet } = start({ storage: { dbName } })
    await decide(seglet)
    await vi.waitFor(() => expect(serverHint()).not.toBeNull())
    // Another tab deletes the database and removes the hint, but this tab's decision, ending just then, had
    // written it again before it learnt of the deletion: the cookie is still there.
    await new Promise((done) => (indexedDB.deleteDatabase(dbName).onsuccess = done))
    expect(serverHint()).not.toBeNull()
    performance.clearMeasures('seglet:decision')
    seglet.track({ type: 'page_view', url: '/products/r1', pageType: 'product' })
    await seglet.flush()
    await vi.waitFor(() => expect(performance.getEntriesByName('seglet:decision')).not.toHaveLength(0), { timeout: 10_000 })
    await vi.waitFor(() => expect(serverHint()).toBeNull())
  })

  it("forget() removes the hint again once the deletion ends: another tab's decision may write it in those milliseconds", async () => {
    const { seglet } = start()
    await decide(seglet)
    await vi.waitFor(() => expect(serverHint()).not.toBeNull())
    // Another tab's decision, ending while this deletion runs, writes its hint after this page removed it.
    const deleteDatabase = indexedDB.deleteDatabase.bind(indexedDB)
    vi.spyOn(indexedDB, 'deleteDatabase').mockImplementation((name) => {
      expect(serverHint()).toBeNull()
      document.cookie = 'seglet_hint=casual-browser.high; Path=/'
      return deleteDatabase(name)
    })
    await seglet.forget()
    expect(indexedDB.deleteDatabase).toHaveBeenCalled()
    expect(serverHint()).toBeNull()
  })

  it('writes only the segment id and intent band, first-party, Lax, short-lived, when a segment is decided', async () => {
    const writes: string[] = []
    const own = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie')!
    vi.spyOn(Document.prototype, 'cookie', 'set').mockImplementation(function (this: Document, value: string) {
      writes.push(value)
      own.set!.call(this, value)
    })
    const { seglet, errors } = start()
    const segment = await decide(seglet)
    await vi.waitFor(() => expect(serverHint()).not.toBeNull())
    expect(serverHint()).toEqual({ segmentId: segment.id, intentBand: band(segment) })
    expect(writes.at(-1)).toBe(`seglet_hint=${segment.id}.${band(segment)}; Max-Age=1800; Path=/; SameSite=Lax`)
    expect(document.cookie).toBe(`seglet_hint=${segment.id}.${band(segment)}`)
    expect(errors).toEqual([])
  })

  it('is off by default', async () => {
    const { seglet } = start({ personalize: {} })
    await decide(seglet)
    await new Promise((r) => setTimeout(r, 50))
    expect(document.cookie).toBe('')
  })

  it('is not written while consent is pending, even with segments decided in memory', async () => {
    const { seglet } = start({ consent: 'pending', segmentWithoutConsent: true })
    await decide(seglet)
    await new Promise((r) => setTimeout(r, 50))
    expect(document.cookie).toBe('')
  })

  it('is written as soon as consent is granted after segments were decided without it, not at the next change', async () => {
    const { seglet } = start({ consent: 'pending', segmentWithoutConsent: true })
    const segment = await decide(seglet)
    await new Promise((r) => setTimeout(r, 50))
    expect(document.cookie).toBe('')
    await seglet.setConsent('granted')
    // No further browsing: the decision consent schedules changes nothing, and writes the hint all the same.
    await vi.waitFor(() => expect(serverHint()).toEqual({ segmentId: segment.id, intentBand: band(segment) }))
  })

  it('does not come back with the segment of the history that withdrawn consent deleted, only with the next decision', async () => {
    const { seglet } = start()
    await decide(seglet)
    await vi.waitFor(() => expect(serverHint()).not.toBeNull())
    await seglet.setConsent('pending')
    expect(document.cookie).toBe('')
    await seglet.setConsent('granted')
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(document.cookie).toBe('')
    const segment = await decide(seglet)
    await vi.waitFor(() => expect(serverHint()).toEqual({ segmentId: segment.id, intentBand: band(segment) }))
  })

  it('is removed when consent is denied or withdrawn, and by forget()', async () => {
    const { seglet } = start()
    await decide(seglet)
    await vi.waitFor(() => expect(serverHint()).not.toBeNull())
    await seglet.setConsent('pending')
    expect(document.cookie).toBe('')

    await seglet.setConsent('granted')
    // The next decision writes the hint again.
    await browse(seglet)
    await vi.waitFor(() => expect(serverHint()).not.toBeNull())
    await seglet.setConsent('denied')
    expect(document.cookie).toBe('')

    await seglet.setConsent('granted')
    await browse(seglet)
    await vi.waitFor(() => expect(serverHint()).not.toBeNull())
    await seglet.forget()
    expect(document.cookie).toBe('')
  })

  it('removes a hint left by an earlier page when consent is denied or Global Privacy Control is on, keeps it while pending', async () => {
    const earlier = 'seglet_hint=casual-browser.low; Max-Age=1800; Path=/'
    document.cookie = earlier
    start({ consent: 'pending' })
    expect(document.cookie).toBe('seglet_hint=casual-browser.low')
    start({ consent: 'denied' })
    expect(document.cookie).toBe('')

    document.cookie = earlier
    Object.defineProperty(navigator, 'globalPrivacyControl', { value: true, configurable: true })
    try {
      start({ consent: 'granted' })
      expect(document.cookie).toBe('')
    } finally {
      Object.defineProperty(navigator, 'globalPrivacyControl', { value: undefined, configurable: true })
    }
  })

  it('removes a hint on a page without the option too (another template, or the hint turned off since), and leaves the page\'s cookies alone', async () => {
    for (const personalize of [{}, undefined, { segmentHint: false }]) {
      document.cookie = 'cart=3; Path=/'
      document.cookie = 'seglet_hint=casual-browser.low; Path=/'
      start({ consent: 'denied', personalize })
      expect(document.cookie).toBe('cart=3')
    }
    // Consent withdrawn on such a page.
    document.cookie = 'seglet_hint=casual-browser.low; Path=/'
    const { seglet } = start({ consent: 'granted' })
    expect(document.cookie.split('; ').sort()).toEqual(['cart=3', 'seglet_hint=casual-browser.low'])
    await seglet.setConsent('denied')
    expect(document.cookie).toBe('cart=3')
    document.cookie = 'cart=; Max-Age=0; Path=/'
  })
})

describe('writeSegmentHint()', () => {
  const segment = { id: 'casual-browser', intent: 0.3, intentThreshold: 0.4884 } as Segment

  it('marks the cookie Secure on https', () => {
    const doc = { cookie: '', location: { protocol: 'https:' } } as unknown as Document
    writeSegmentHint(doc, segment)
    expect(doc.cookie).toBe('seglet_hint=casual-browser.medium; Max-Age=1800; Path=/; SameSite=Lax; Secure')
  })

  it('removes the hint instead of writing an id it cannot carry', () => {
    document.cookie = 'seglet_hint=casual-browser.low; Path=/'
    writeSegmentHint(document, { ...segment, id: 'a;b=c' })
    expect(document.cookie).toBe('')
  })

  it('throws the browser\'s error in a document without cookies, which the decision reports', () => {
    const doc = {} as Document
    Object.defineProperty(doc, 'cookie', { set: () => { throw new DOMException('sandboxed', 'SecurityError') } })
    expect(() => writeSegmentHint(doc, segment)).toThrow('sandboxed')
  })
})
