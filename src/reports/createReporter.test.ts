import { createHash } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { SegletError } from '../errors'
import type { StoredEvent } from '../events/types'
import type { Consent } from '../privacy'
import { createStore, type EventStore } from '../store'
import { createReporter, NEXT_DAY_SPREAD_MS, type ReporterContext } from './createReporter'
import { isDaySpent, LEDGER_META_KEY, readLedger, utcDay } from './ledger'
import { pageKeyHash } from './lib/pageCode'
import { pageStatsTableCacheKey } from './loadPageStatsTable'
import { installFakeLocks } from './testing/fakeLocks'
import { parseReport } from './parseReport'
import { readReportSummary, UNANSWERED_AFTER_MS } from './readReportSummary'
import { readSessionRecords, recordSession, sessionRecordOf } from './sessionRecord'

const HOUR = 3_600_000
const DAY = 24 * HOUR
// Noon UTC, so "an hour ago" is the same UTC day.
const NOW = Date.UTC(2026, 10, 29, 12)
const context = { id: 'session@1.0.0', labels: ['a', 'b', 'c', 'd'] }
const lifetime = { id: 'lifetime@1.0.0', labels: ['w', 'x', 'y', 'z'] }

let n = 0
let stores: EventStore[] = []
let fetchMock: ReturnType<typeof vi.fn>
let errors: SegletError[]

const ev = (ts: number, fields: Record<string, unknown>): StoredEvent => ({ id: `e${++n}`, ts, ...fields }) as StoredEvent

/** A closed session an hour before `at`: a search, a product page with a key, an order with private fields. */
const session = (at: number): StoredEvent[] => [
  ev(at - 2 * HOUR, { type: 'page_view', url: '/search?q=red+boots&email=a@b.example', pageType: 'search', pageKey: 'search' }),
  ev(at - 2 * HOUR + 1000, { type: 'search', query: 'red boots size 43' }),
  ev(at - 2 * HOUR + 2000, { type: 'page_view', url: '/products/boot-9f3a', pageType: 'product', pageKey: 'product/boot' }),
  ev(at - 2 * HOUR + 3000, { type: 'product_view', productId: 'sku-secret-77', price: 129.5, currency: 'EUR' }),
  ev(at - 2 * HOUR + 4000, { type: 'purchase', orderId: 'order-4711', value: 129.5, currency: 'EUR', items: [{ productId: 'sku-secret-77', quantity: 1, price: 129.5 }] }),
]

async function storeWith(events: StoredEvent[], recordAt = events[0]?.ts, dbName = `reports-${++n}`): Promise<EventStore> {
  const store = createStore({ dbName, persist: true })
  stores.push(store)
  for (const event of events) store.enqueue(event)
  await store.flush()
  if (recordAt !== undefined) {
    await recordSession(store, sessionRecordOf(recordAt, { segmentId: 'c', coldStart: false, valueSegmentId: 'x', arm: 'holdout' }, context, lifetime))
  }
  return store
}

function ctx(store: EventStore, overrides: Partial<ReporterContext> & { consent?: Consent } = {}): ReporterContext {
  const { consent = 'granted', ...rest } = overrides
  return {
    store,
    options: { reports: { endpoint: '/seglet/reports' } },
    report: (error) => errors.push(error),
    getConsent: () => consent,
    getEpoch: () => 0,
    now: () => NOW,
    ...rest,
  }
}

// The reports sent (the page-statistics table is fetched too, with a GET).
const sentBodies = () => fetchMock.mock.calls.filter(([, init]) => (init as RequestInit).method === 'POST').map(([, init]) => String((init as RequestInit).body))

let removeLocks = () => {}
beforeEach(() => {
  errors = []
  removeLocks = installFakeLocks()
  fetchMock = vi.fn(async () => new Response(null, { status: 204 }))
  vi.stubGlobal('fetch', fetchMock)
})
afterEach(async () => {
  removeLocks()
  vi.useRealTimers()
  vi.unstubAllGlobals()
  for (const store of stores) await store.close()
  stores = []
})

const tableText = JSON.stringify({ format: 'seglet-page-stats', version: 1, generated: 'test', day: '2026-11-28', epsilon: 2, reports: 1, pages: {}, valuePages: ['product/boot', 'cart'] })
const tableCapture = { pageStatsUrl: '/seglet/page-stats.json', pageStatsIntegrity: 'sha256-' + createHash('sha256').update(tableText).digest('base64') }

describe('createReporter', () => {
  it('sends one report about the previous closed session, same origin, without cookies, Referer or redirects', async () => {
    const store = await storeWith(session(NOW))
    await createReporter(ctx(store)).run()
    expect(fetchMock).toHaveBeenCalledTimes(1)
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit]
    expect(url).toBe(new URL('/seglet/reports', location.href).href)
    expect(init).toMatchObject({ method: 'POST', keepalive: true, credentials: 'omit', redirect: 'error', mode: 'same-origin', referrerPolicy: 'no-referrer' })
    const parsed = parseReport(JSON.parse(String(init.body)))
    expect(parsed).toMatchObject({ packId: 'session@1.0.0+lifetime@1.0.0', segmentLeaves: 4, valueLeaves: 4, day: utcDay(NOW - 2 * HOUR), epsilon: 2 })
    expect(errors).toEqual([])
  })

  it('puts none of the shopper\'s event fields in the body: no product, query, URL, order, value or time', async () => {
    const store = await storeWith(session(NOW))
    // Many reports (new days), so every question but the page-value one (no table here) gets drawn: the rarest,
    // at 3% / 55% ≈ 5.5% without a table, misses all 150 draws with p ≈ 2e-4.
    // The device's clock moves with the days: the store refuses events stamped a day ahead of it.
    vi.useFakeTimers({ toFake: ['Date'] })
    for (let day = 0; day < 150; day++) {
      const at = NOW + day * DAY
      vi.setSystemTime(at)
      for (const event of session(at)) store.enqueue(event)
      await store.flush()
      await createReporter(ctx(store, { now: () => at })).run()
    }
    expect(fetchMock.mock.calls.length).toBe(150)
    const questions = new Set<string>()
    for (const body of sentBodies()) {
      for (const secret of ['sku-secret', 'order-4711', 'red', 'boots', '129.5', 'search', 'product/boot', 'products', 'email', '/', 'EUR', 'T1', ':00']) {
        expect(body).not.toContain(secret)
      }
      expect(Object.keys(JSON.parse(body)).sort()).toEqual(['a', 'day', 'eps', 'pack', 'q', 'sl', 'v', 'vl'])
      questions.add(JSON.parse(body).q)
    }
    expect(questions.size).toBe(7)
  })

  /** One report a day for 40 days, each about a session of `sessionAt(at)`; the page-value answers sent. */
  async function pageValueAnswers(store: EventStore, sessionAt: (at: number) => StoredEvent[]) {
    vi.useFakeTimers({ toFake: ['Date'] })
    for (let day = 0; day < 40; day++) {
      const at = NOW + day * DAY
      vi.setSystemTime(at)
      for (const event of sessionAt(at)) store.enqueue(event)
      await store.flush()
      await createReporter(ctx(store, { now: () => at, options: { reports: { endpoint: '/seglet/reports' }, capture: tableCapture } })).run()
    }
    expect(sentBodies()).toHaveLength(40)
    // 40 reports, each a page-value answer with probability 0.45: fewer than 4 has p < 1e-4.
    const asked = sentBodies().map((body) => parseReport(body)).filter((r) => r.question === 'pageValue')
    expect(asked.length).toBeGreaterThan(3)
    return asked
  }

  it('asks the page-value question about the pages of the cached page-statistics table, never about others', async () => {
    const store = await storeWith(session(NOW))
    await store.setMeta(pageStatsTableCacheKey(), { integrity: tableCapture.pageStatsIntegrity, text: tableText })
    const asked = await pageValueAnswers(store, session)
    const listed = [pageKeyHash('product/boot'), pageKeyHash('cart')]
    for (const r of asked) expect(listed).toContain((r.answer as { page: number }).page)
    for (const body of sentBodies()) expect(body).not.toContain('boot')
    // The cached copy: no request but the reports.
    expect(fetchMock).toHaveBeenCalledTimes(40)
  })

  it('asks the page-value question after bounces too: the report loads the table itself, so the questions do not depend on how the shopper browsed', async () => {
    // One page a visit: the model part never loads for such sessions, so nothing cached the table.
    const bounce = (at: number) => [ev(at - 2 * HOUR, { type: 'page_view', url: '/', pageType: 'home', pageKey: 'home' })]
    const store = await storeWith(bounce(NOW), undefined)
    // The table as a body-less response: under jsdom a streamed body's bytes are not an ArrayBuffer WebCrypto takes.
    const served = { ok: true, headers: new Headers(), body: null, arrayBuffer: async () => new TextEncoder().encode(tableText).buffer }
    fetchMock.mockImplementation(async (_url: string, init?: RequestInit) => (init?.method === 'POST' ? new Response(null, { status: 204 }) : served))
    await pageValueAnswers(store, bounce)
    // One request for the table, then its cached copy.
    expect(fetchMock.mock.calls.filter(([, init]) => (init as RequestInit).method !== 'POST')).toHaveLength(1)
    expect(errors).toEqual([])
  })

  it('has a fixed size, whatever the session held', async () => {
    const sizes = new Set<number>()
    const sessions: StoredEvent[][] = [
      session(NOW),
      [ev(NOW - 2 * HOUR, { type: 'page_view', url: '/', pageType: 'home' })],
      Array.from({ length: 30 }, (_, i) => ev(NOW - 3 * HOUR + i * 1000, { type: 'page_view', url: `/p/${i}`, pageType: 'product', pageKey: `product/${'k'.repeat(90)}${i}` })),
      [...session(NOW), ev(NOW - HOUR - 1, { type: 'purchase', orderId: 'o2', value: 99_999, currency: 'EUR', items: [] })],
    ]
    for (const events of sessions) {
      for (let i = 0; i < 8; i++) {
        const at = NOW + i * DAY
        // The device's clock moves with the days: the store refuses events stamped a day ahead of it.
        vi.useFakeTimers({ toFake: ['Date'] })
        vi.setSystemTime(at)
        const shifted = events.map((e) => ({ ...e, id: `${e.id}-${i}`, ts: e.ts + i * DAY }))
        await createReporter(ctx(await storeWith(shifted), { now: () => at })).run()
      }
    }
    for (const body of sentBodies()) sizes.add(body.length)
    expect(fetchMock.mock.calls.length).toBe(32)
    expect(sizes.size).toBe(1)
  })

  it.each<[string, Partial<ReporterContext> & { consent?: Consent }]>([
    ['consent pending', { consent: 'pending' }],
    ['consent denied', { consent: 'denied' }],
  ])('sends nothing with %s', async (_name, overrides) => {
    const store = await storeWith(session(NOW))
    await createReporter(ctx(store, overrides)).run()
    expect(fetchMock).not.toHaveBeenCalled()
    expect(await store.getMeta(LEDGER_META_KEY)).toBeUndefined()
  })

  it('sends nothing with Global Privacy Control on, even when the shop counts consent as granted', async () => {
    vi.stubGlobal('navigator', { ...navigator, globalPrivacyControl: true })
    const store = await storeWith(session(NOW))
    await createReporter(ctx(store)).run()
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('sends nothing while the current session is still open, nor in memory mode', async () => {
    const open = await storeWith(session(NOW).map((e) => ({ ...e, ts: e.ts + 2 * HOUR - 60_000 })))
    await createReporter(ctx(open)).run()
    const memory = createStore({ dbName: `reports-${++n}`, persist: false })
    stores.push(memory)
    for (const event of session(NOW)) memory.enqueue(event)
    await memory.flush()
    await createReporter(ctx(memory)).run()
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('sends at most once a day and never the same session twice; a new day and a newer closed session send again', async () => {
    const store = await storeWith(session(NOW))
    await createReporter(ctx(store)).run()
    // Another page the same day, with a newer closed session: the day's budget is spent.
    for (const event of session(NOW + 3 * HOUR)) store.enqueue(event)
    await store.flush()
    await createReporter(ctx(store, { now: () => NOW + 5 * HOUR })).run()
    expect(fetchMock).toHaveBeenCalledTimes(1)
    // The next day: the newest closed session is the one not reported yet.
    await createReporter(ctx(store, { now: () => NOW + DAY })).run()
    expect(fetchMock).toHaveBeenCalledTimes(2)
    // The day after, nothing new happened: that session was reported already.
    await createReporter(ctx(store, { now: () => NOW + 2 * DAY })).run()
    expect(fetchMock).toHaveBeenCalledTimes(2)
    const ledger = await readLedger(store)
    expect(ledger.spent).toEqual({ [utcDay(NOW)]: 2, [utcDay(NOW + DAY)]: 2 })
    expect(ledger.last).toMatchObject({ sentDay: utcDay(NOW + DAY), sessionDay: utcDay(NOW + HOUR), epsilon: 2 })
  })

  it('a page left open across midnight UTC tries again on the next day, unless the epoch changed', async () => {
    const store = await storeWith(session(NOW))
    let clock = NOW
    let epoch = 0
    const setTimer = vi.spyOn(globalThis, 'setTimeout')
    const reporter = createReporter(ctx(store, { now: () => clock, getEpoch: () => epoch }))
    await reporter.run()
    expect(fetchMock).toHaveBeenCalledTimes(1)
    // One wake, at 00:00–00:15 UTC of the next day (NOW is noon).
    const next = () => {
      const found = setTimer.mock.calls.filter(([, delay]) => Number(delay) >= HOUR).map(([run, delay]) => ({ run: run as () => void, delay: Number(delay) }))
      setTimer.mockClear()
      return found
    }
    const [first, ...more] = next()
    expect(more).toEqual([])
    expect(first.delay).toBeGreaterThanOrEqual(12 * HOUR)
    expect(first.delay).toBeLessThanOrEqual(12 * HOUR + NEXT_DAY_SPREAD_MS)
    // The shopper browsed on in the evening; the tab stays open past midnight without a page load.
    for (const event of session(NOW + 10 * HOUR)) store.enqueue(event)
    await store.flush()
    clock = NOW + 12 * HOUR + 60_000
    first.run()
    await reporter.run()
    expect(fetchMock).toHaveBeenCalledTimes(2)
    expect(sentBodies().map((body) => JSON.parse(body).day)).toEqual([utcDay(NOW - 2 * HOUR), utcDay(NOW + 8 * HOUR)])
    // A consent manager granting again (a new epoch, and a run): the wake follows the new epoch.
    const [stale] = next()
    epoch++
    await reporter.run()
    const [second, ...others] = next()
    expect(others).toEqual([])
    const run = vi.spyOn(reporter, 'run')
    stale.run()
    expect(run).not.toHaveBeenCalled()
    second.run()
    expect(run).toHaveBeenCalledTimes(1)
    await reporter.run()
    // forget(), a consent change or destroy() (a new epoch without a run) cancel the wake.
    const [third] = next()
    epoch++
    third.run()
    expect(run).toHaveBeenCalledTimes(2)
    expect(fetchMock).toHaveBeenCalledTimes(2)
    expect(errors).toEqual([])
  })

  it('spends nothing on a previous session older than the collector accepts (a shopper back after more than a week)', async () => {
    // NOW is 2026-11-29: the collector takes sessions from 2026-11-22 on, and refuses older ones (422).
    const old = await storeWith(session(NOW - 8 * DAY))
    await createReporter(ctx(old)).run()
    expect(fetchMock).not.toHaveBeenCalled()
    expect(errors).toEqual([])
    expect(await old.getMeta(LEDGER_META_KEY)).toBeUndefined()
    const weekOld = await storeWith(session(NOW - 7 * DAY))
    await createReporter(ctx(weekOld)).run()
    expect(sentBodies().map((body) => JSON.parse(body).day)).toEqual(['2026-11-22'])
  })

  it('spends reports.epsilonPerDay, one report a day', async () => {
    const store = await storeWith(session(NOW))
    await createReporter(ctx(store, { options: { reports: { endpoint: '/seglet/reports', epsilonPerDay: 0.5 } } })).run()
    expect(JSON.parse(sentBodies()[0]).eps).toBe(0.5)
    expect((await readLedger(store)).spent[utcDay(NOW)]).toBe(0.5)
  })

  it('drops a report being prepared when forget() or a consent change bumps the epoch', async () => {
    const store = await storeWith(session(NOW))
    let epoch = 0
    const slow = Object.create(store) as EventStore
    // forget() lands while the report reads the events.
    slow.getEvents = async () => {
      const events = await store.getEvents()
      epoch++
      return events
    }
    await createReporter(ctx(slow, { getEpoch: () => epoch })).run()
    expect(fetchMock).not.toHaveBeenCalled()
    expect(await store.getMeta(LEDGER_META_KEY)).toBeUndefined()
  })

  it('forget() deletes the ledger with everything else', async () => {
    const store = await storeWith(session(NOW))
    await createReporter(ctx(store)).run()
    expect(await store.getMeta(LEDGER_META_KEY)).toBeDefined()
    await store.forget()
    expect(await store.getMeta(LEDGER_META_KEY)).toBeUndefined()
  })

  it.each([
    ['another origin', 'https://collector.example/seglet/reports', 'report_origin'],
    ['a protocol-relative URL', '//collector.example/r', 'report_origin'],
    ['credentials in the URL', `${location.protocol}//user:pw@${location.host}/r`, 'report_origin'],
    ['not a string', 42, 'invalid_option'],
  ])('refuses an endpoint on %s, reported once, and sends nothing', async (_name, endpoint, code) => {
    const store = await storeWith(session(NOW))
    const reporter = createReporter(ctx(store, { options: { reports: { endpoint: endpoint as string } } }))
    await reporter.run()
    await reporter.run()
    expect(fetchMock).not.toHaveBeenCalled()
    expect(errors.map((e) => e.code)).toEqual([code])
  })

  // A shopper on a page whose address tells who they are, and on the shop's home page, where a relative endpoint
  // happens to resolve to the root: refused there too, or only the browsers due to report on the home page would.
  it.each(
    ['/account/orders/order-4711/?email=a@b.example', '/'].flatMap((at) => [
      ['a relative path', 'seglet/reports', at],
      ['a parent path', '../seglet/reports', at],
      ['a path from the current folder', './seglet/reports', at],
      ['a query alone', '?report', at],
      ['a scheme-relative path', `${location.protocol}seglet/reports`, at],
      // The URL parser drops spaces and C0 controls before a URL, not a no-break space: this one is relative.
      ['a path after a no-break space', '\u00a0/seglet/reports', at],
    ]),
  )('refuses an endpoint given as %s (%s, on %s), which would carry the page\'s address, and sends nothing', async (_name, endpoint, at) => {
    const page = location.href
    history.replaceState(null, '', at)
    try {
      const store = await storeWith(session(NOW))
      await createReporter(ctx(store, { options: { reports: { endpoint } } })).run()
      expect(fetchMock).not.toHaveBeenCalled()
      expect(errors.map((e) => [e.code, e.field])).toEqual([['invalid_option', 'endpoint']])
      expect(await store.getMeta(LEDGER_META_KEY)).toBeUndefined()
    } finally {
      history.replaceState(null, '', page)
    }
  })

  it.each([
    ['a path from the root', '/seglet/reports'],
    ['a full same-origin URL', `${location.origin}/seglet/reports`],
    ['a same-origin URL without its scheme', `//${location.host}/seglet/reports`],
    ['a path from the root after a space', ' /seglet/reports'],
  ])('sends to %s whatever page the shopper is on', async (_name, endpoint) => {
    const page = location.href
    history.replaceState(null, '', '/account/orders/order-4711/?email=a@b.example')
    try {
      await createReporter(ctx(await storeWith(session(NOW)), { options: { reports: { endpoint } } })).run()
      expect(fetchMock.mock.calls.map(([url]) => String(url))).toEqual([`${location.origin}/seglet/reports`])
    } finally {
      history.replaceState(null, '', page)
    }
  })

  it('reports a send that got no answer once through onError and never throws; the day\'s budget stays spent', async () => {
    fetchMock.mockImplementation(async () => {
      throw new TypeError('Failed to fetch')
    })
    const store = await storeWith(session(NOW))
    const reporter = createReporter(ctx(store))
    await expect(reporter.run()).resolves.toBeUndefined()
    await expect(reporter.run()).resolves.toBeUndefined()
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ code: 'report_unconfirmed' })
    expect((await readLedger(store)).spent[utcDay(NOW)]).toBe(2)
    await createReporter(ctx(store)).run()
    expect(fetchMock).toHaveBeenCalledTimes(1)
  })

  it('reports a non-2xx answer', async () => {
    fetchMock.mockImplementation(async () => new Response('no', { status: 429 }))
    await createReporter(ctx(await storeWith(session(NOW)))).run()
    expect(errors.map((e) => [e.code, e.message])).toEqual([['report_failed', 'The private report could not be sent: HTTP 429']])
  })

  it.each([
    ['a 503 answer', async () => new Response('no', { status: 503 })],
    ['a refusal', async () => new Response('{"error":"report_invalid"}', { status: 400 })],
  ])('marks the last report failed after %s, and the panel reads it from the store: the budget stays spent', async (_name, send) => {
    fetchMock.mockImplementation(send)
    const store = await storeWith(session(NOW))
    await createReporter(ctx(store)).run()
    expect(errors.map((e) => e.code)).toEqual(['report_failed'])
    expect(await readLedger(store)).toMatchObject({ spent: { [utcDay(NOW)]: 2 }, last: { sentDay: utcDay(NOW), failed: true } })
    expect((await readReportSummary(store, { endpoint: '/seglet/reports' }, NOW)).last).toMatchObject({ sentDay: utcDay(NOW), delivery: 'failed' })
  })

  it('tells a send that got no answer (a network error, or the page left mid-send, which rejects although the shop may have it) as not confirmed at once, never as undelivered', async () => {
    fetchMock.mockImplementation(async () => Promise.reject(new TypeError('Failed to fetch')))
    const store = await storeWith(session(NOW))
    await createReporter(ctx(store)).run()
    // onError is told the same: not confirmed, not failed.
    expect(errors.map((e) => [e.code, e.message])).toEqual([['report_unconfirmed', 'The private report got no answer, so its delivery is not confirmed: Failed to fetch']])
    expect(errors[0].cause).toBeInstanceOf(TypeError)
    const { last } = await readLedger(store)
    expect(last).not.toHaveProperty('failed')
    expect(last).toMatchObject({ sentDay: utcDay(NOW), sending: 0 })
    expect((await readLedger(store)).spent).toEqual({ [utcDay(NOW)]: 2 })
    expect((await readReportSummary(store, { endpoint: '/seglet/reports' }, NOW)).last).toMatchObject({ delivery: 'unanswered' })
  })

  it('does not mark a delivered report failed', async () => {
    const store = await storeWith(session(NOW))
    await createReporter(ctx(store)).run()
    expect((await readLedger(store)).last).not.toHaveProperty('failed')
    expect((await readLedger(store)).last).not.toHaveProperty('sending')
    expect((await readReportSummary(store, { endpoint: '/seglet/reports' }, NOW)).last).toMatchObject({ delivery: 'sent' })
  })

  it('tells of a send that never settles as being sent, then as not confirmed, never as delivered', async () => {
    // A collector that accepts the connection and never answers.
    fetchMock.mockImplementation(() => new Promise(() => undefined))
    const store = await storeWith(session(NOW))
    void createReporter(ctx(store)).run()
    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1))
    expect((await readLedger(store)).last).toMatchObject({ sending: NOW })
    const summary = (now: number) => readReportSummary(store, { endpoint: '/seglet/reports' }, now)
    expect((await summary(NOW)).last).toMatchObject({ delivery: 'sending' })
    expect((await summary(NOW + UNANSWERED_AFTER_MS)).last).toMatchObject({ delivery: 'unanswered' })
  })

  it('leaves other tabs telling of a failed send as not confirmed, never as delivered, when its mark cannot be stored', async () => {
    fetchMock.mockImplementation(async () => Promise.reject(new TypeError('Failed to fetch')))
    const dbName = `reports-${++n}`
    const store = await storeWith(session(NOW), undefined, dbName)
    const other = await storeWith([], undefined, dbName)
    let writes = 0
    // The quota runs out after the ledger is written: the mark is kept by this page only.
    const full: ReporterContext['store'] = {
      mode: store.mode,
      getEvents: () => store.getEvents(),
      getMeta: (key) => store.getMeta(key),
      setMeta: async (key, value) => (key === LEDGER_META_KEY && ++writes > 1 ? false : store.setMeta(key, value)),
    }
    await createReporter({ ...ctx(store), store: full }).run()
    expect(errors.map((e) => e.code)).toEqual(['report_unconfirmed'])
    expect((await readReportSummary(other, { endpoint: '/seglet/reports' }, NOW + UNANSWERED_AFTER_MS)).last).toMatchObject({ delivery: 'unanswered' })
  })

  it.each([
    [0, 'this'], [1, 'this'], [2, 'this'], [3, 'this'], [5, 'this'], [8, 'this'], [13, 'this'], [-1, 'this'],
    [0, 'another'], [2, 'another'], [5, 'another'], [-1, 'another'],
  ])('forget() landing %i microtasks (-1: a task) into the writing of the spent budget, in %s tab, leaves nothing stored', async (ticks, tab) => {
    const dbName = `reports-forget-${ticks}-${tab}`
    const store = await storeWith(session(NOW), undefined, dbName)
    const other = createStore({ dbName, persist: true })
    stores.push(other)
    let epoch = 0
    const racing = Object.assign(Object.create(store) as EventStore, {
      setMeta(key: string, value: unknown) {
        const written = store.setMeta(key, value)
        if (key === LEDGER_META_KEY && epoch === 0) {
          let wait: Promise<unknown> = ticks < 0 ? new Promise((resolve) => setTimeout(resolve)) : Promise.resolve()
          for (let i = 0; i < ticks; i++) wait = wait.then()
          void wait.then(() => {
            if (tab === 'another') return other.forget()
            epoch++
            return store.forget()
          })
        }
        return written
      },
    })
    await createReporter(ctx(racing, { getEpoch: () => epoch })).run()
    await new Promise((resolve) => setTimeout(resolve, 50))
    if (tab === 'this') expect(await store.getMeta(LEDGER_META_KEY)).toBeUndefined()
    const next = createStore({ dbName, persist: true })
    stores.push(next)
    expect(await next.getMeta(LEDGER_META_KEY)).toBeUndefined()
    expect(await next.getMeta('report-sessions')).toBeUndefined()
    expect(await next.getEvents()).toEqual([])
  })

  it('stores nothing again when forget() lands while a send that then fails is under way', async () => {
    const store = await storeWith(session(NOW))
    let epoch = 0
    fetchMock.mockImplementation(async () => {
      epoch++
      await store.forget()
      throw new TypeError('Failed to fetch')
    })
    await createReporter(ctx(store, { getEpoch: () => epoch })).run()
    expect(fetchMock).toHaveBeenCalledTimes(1)
    expect(await store.getMeta(LEDGER_META_KEY)).toBeUndefined()
  })
})

describe('bad stored data', () => {
  // Capture never stores these, but old data, another version or a hand-written record can hold them.
  it.each([
    ['an empty page key', ''],
    ['a page key of 101 characters', 'p'.repeat(101)],
    ['a page key that is not a text', 42],
  ])('a session with %s is still reported, that page left out; nothing stored changes', async (_name, pageKey) => {
    const events = session(NOW)
    events.splice(2, 0, ev(NOW - 2 * HOUR + 1500, { type: 'page_view', url: '/odd', pageType: 'other', pageKey }))
    const store = await storeWith(events)
    await store.setMeta(pageStatsTableCacheKey(), { integrity: tableCapture.pageStatsIntegrity, text: tableText })
    const before = await store.getEvents()
    await createReporter(ctx(store, { options: { reports: { endpoint: '/seglet/reports' }, capture: tableCapture } })).run()
    expect(errors).toEqual([])
    expect(sentBodies()).toHaveLength(1)
    expect(await store.getEvents()).toEqual(before)
  })

  it.each([
    ['a segment leaf the pack does not have', { segmentLeaf: 9 }],
    ['a value leaf the pack does not have', { valueSegment: -1 }],
    ['an arm this version does not know', { arm: 'other' }],
    ['training tables this version does not have', { context: { packId: 'session@9+lifetime@9', segmentLeaves: 4, valueLeaves: 4, learnTables: [99] } }],
  ])('a recorded decision with %s sends nothing about its session, and never stops a later one', async (_name, bad) => {
    const first = session(NOW)
    const store = await storeWith(first, undefined)
    const records = [{ ...sessionRecordOf(first[0].ts, { segmentId: 'c', coldStart: false, valueSegmentId: 'x', arm: 'holdout' }, context, lifetime), ...bad }]
    await store.setMeta('report-sessions', records)
    const reports = (now: number) => createReporter(ctx(store, { now: () => now, options: { reports: { endpoint: '/seglet/reports', learnShare: 1 } } })).run()
    await reports(NOW)
    expect(sentBodies()).toHaveLength(0)
    // No budget spent and nothing written for it: looking at it again later costs what any reported session costs.
    expect(await store.getMeta(LEDGER_META_KEY)).toBeUndefined()
    // The next day, a bounce with no decision of its own (the bad record is still the newest): reported against the
    // shipped packs, as before any decision.
    for (const event of [ev(NOW + DAY - 2 * HOUR, { type: 'page_view', url: '/', pageType: 'home', pageKey: 'home' })]) store.enqueue(event)
    await store.flush()
    await reports(NOW + DAY)
    expect(sentBodies()).toHaveLength(1)
    expect(errors).toEqual([])
    expect(await store.getMeta('report-sessions')).toEqual(records)
  })
  // Not bad data: the packs the page runs, which no report can carry. The shop is told, as the README says.
  it.each([
    ['more than 16 segment labels', Array.from({ length: 17 }, (_, i) => `s${i}`), 'session@1.0.0'],
    ['a pack id of more than 64 characters', ['a', 'b', 'c', 'd'], `session@1.0.0-${'f'.repeat(60)}`],
  ])('a decision of packs no report can carry (%s) is told once through onError as report_out_of_range, nothing sent', async (_name, labels, id) => {
    const first = session(NOW)
    const store = await storeWith(first, undefined)
    await store.setMeta('report-sessions', [sessionRecordOf(first[0].ts, { segmentId: 'a', coldStart: false, valueSegmentId: 'x', arm: 'none' }, { id, labels }, lifetime)])
    await createReporter(ctx(store, { options: { reports: { endpoint: '/seglet/reports' } } })).run()
    expect(sentBodies()).toHaveLength(0)
    expect(errors.map((e) => e.code)).toEqual(['report_out_of_range'])
    expect((await readLedger(store)).spent).toEqual({})
  })
})

describe('recorded decisions', () => {
  it('keeps the decisions two tabs of the shop record at once', async () => {
    const dbName = `reports-${++n}`
    const tabs = [await storeWith([], undefined, dbName), await storeWith([], undefined, dbName)]
    const record = (start: number) => sessionRecordOf(start, { segmentId: 'c', coldStart: false, valueSegmentId: 'x', arm: 'holdout' }, context, lifetime)
    // A tab still on the previous session and one that began a new session record their decisions at the same moment.
    await Promise.all([recordSession(tabs[0], record(NOW - DAY)), recordSession(tabs[1], record(NOW))])
    expect((await readSessionRecords(tabs[0])).map((r) => r.start)).toEqual([NOW, NOW - DAY])
  })

  it('keeps the decision another tab records after this tab failed to store its own (a full quota)', async () => {
    const dbName = `reports-${++n}`
    const tabs = [await storeWith([], undefined, dbName), await storeWith([], undefined, dbName)]
    const record = (start: number) => sessionRecordOf(start, { segmentId: 'c', coldStart: false, valueSegmentId: 'x', arm: 'holdout' }, context, lifetime)
    await recordSession(tabs[0], record(NOW - 2 * DAY))
    const put = IDBObjectStore.prototype.put
    const full = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      const request = put.call(this, value, key)
      // As a full quota does: the transaction aborts and nothing of it is stored.
      this.transaction.abort()
      return request
    })
    await recordSession(tabs[0], record(NOW - DAY))
    full.mockRestore()
    // Another tab records its session; then the first tab records a later one, from the list as stored.
    await recordSession(tabs[1], record(NOW - HOUR))
    expect((await readSessionRecords(tabs[0])).map((r) => r.start)).toEqual([NOW - HOUR, NOW - 2 * DAY])
    await recordSession(tabs[0], record(NOW))
    expect((await readSessionRecords(tabs[1])).map((r) => r.start)).toEqual([NOW, NOW - HOUR, NOW - 2 * DAY])
  })

  it('keeps the recorded decisions IndexedDB fails to read: a new decision is not recorded over them, and no report tells a decided session as a cold start', async () => {
    const store = await storeWith(session(NOW))
    const record = (start: number) => sessionRecordOf(start, { segmentId: 'c', coldStart: false, valueSegmentId: 'x', arm: 'holdout' }, context, lifetime)
    await recordSession(store, record(NOW - DAY))
    const kept = await store.getMeta('report-sessions')
    // The store's own read of the list fails inside IndexedDB, as reading a damaged value does; writes still work.
    const get = IDBObjectStore.prototype.get
    const damaged = vi.spyOn(IDBObjectStore.prototype, 'get').mockImplementation(function (this: IDBObjectStore, key: IDBValidKey | IDBKeyRange) {
      if (key === 'report-sessions') throw new DOMException('Failed to read the value', 'UnknownError')
      return get.call(this, key)
    })
    try {
      await expect(recordSession(store, record(NOW))).rejects.toThrow('Failed to read the value')
      await createReporter(ctx(store)).run()
    } finally {
      damaged.mockRestore()
    }
    expect(await store.getMeta('report-sessions')).toEqual(kept)
    expect(sentBodies()).toHaveLength(0)
    expect((await readLedger(store)).spent).toEqual({})
    // Once it reads again, the session is reported with its own decision.
    await createReporter(ctx(store)).run()
    expect(sentBodies().map((b) => JSON.parse(b).pack)).toEqual(['session@1.0.0+lifetime@1.0.0'])
  })

  it('drops the sessions recorded while the clock was ahead, so they push out neither the decision just made nor the sessions a report is about', async () => {
    const store = await storeWith([], undefined)
    const record = (start: number) => sessionRecordOf(start, { segmentId: 'c', coldStart: false, valueSegmentId: 'x', arm: 'holdout' }, context, lifetime)
    // Two sessions of a clock a year ahead, and the visit before the clock was set right.
    await store.setMeta('report-sessions', [record(NOW + 365 * DAY), record(NOW + 364 * DAY), record(NOW - 2 * DAY)])
    await recordSession(store, record(NOW - DAY))
    await recordSession(store, record(NOW))
    expect((await readSessionRecords(store)).map((r) => r.start)).toEqual([NOW, NOW - DAY, NOW - 2 * DAY])
    // A session that started within the clock skew the store accepts after this one is kept (two tabs' clocks).
    await recordSession(store, record(NOW + 12 * HOUR))
    await recordSession(store, record(NOW))
    expect((await readSessionRecords(store)).map((r) => r.start)).toEqual([NOW + 12 * HOUR, NOW, NOW - DAY])
  })

  it('never lets a malformed stored record push out the decision just made', async () => {
    const store = await storeWith([], undefined)
    const record = (start: number) => sessionRecordOf(start, { segmentId: 'c', coldStart: false, valueSegmentId: 'x', arm: 'holdout' }, context, lifetime)
    // Old or hand-written data: a start that is not a time, an Infinity that would stay the newest for ever.
    await store.setMeta('report-sessions', [record(NOW - 2 * DAY), record(NOW - 3 * DAY), { ...record(0), start: Number.NaN }, { ...record(0), start: Infinity }])
    await recordSession(store, record(NOW))
    expect((await readSessionRecords(store)).map((r) => r.start)).toEqual([NOW, NOW - 2 * DAY, NOW - 3 * DAY])
  })

  it('reports a cold-start session against the packs of the latest decision, not of one recorded while the clock was ahead', async () => {
    const store = await storeWith([], undefined)
    const record = (start: number, id: string) => sessionRecordOf(start, { segmentId: 'c', coldStart: false, valueSegmentId: 'x', arm: 'holdout' }, { ...context, id: `session@${id}` }, { ...lifetime, id: `lifetime@${id}` })
    // A decision recorded while the device's clock said nine days later, under the packs of then; since the clock was
    // put right, the shop moved to new packs and a decision was recorded under them.
    await store.setMeta('report-sessions', [record(NOW + 9 * DAY, '1.0.0')])
    await recordSession(store, record(NOW - DAY, '2.0.0'))
    // A bounce without a decision of its own.
    store.enqueue(ev(NOW - 2 * HOUR, { type: 'page_view', url: '/', pageType: 'home', pageKey: 'home' }))
    await store.flush()
    await createReporter(ctx(store, { options: { reports: { endpoint: '/seglet/reports' }, model: { sessionPackUrl: '/packs/session.json' } } })).run()
    expect(errors).toEqual([])
    expect(sentBodies().map((b) => JSON.parse(b).pack)).toEqual(['session@2.0.0+lifetime@2.0.0'])
  })

  it.each([
    ['an empty pack id', { packId: '' }],
    ['no leaf counts', { segmentLeaves: undefined, valueLeaves: undefined }],
    ['a pack id that is a list', { packId: ['session@9.0.0+lifetime@9.0.0'] }],
  ])('passes over a newest record with %s: a cold-start session is reported against the packs in use', async (_name, broken) => {
    const first = session(NOW)
    const store = await storeWith(first, first[0].ts - DAY)
    const [good] = await readSessionRecords(store)
    await store.setMeta('report-sessions', [{ ...good, start: NOW, context: { ...good.context, ...broken } }, good])
    await createReporter(ctx(store)).run()
    expect(errors).toEqual([])
    expect(sentBodies().map((b) => JSON.parse(b).pack)).toEqual(['session@1.0.0+lifetime@1.0.0'])
  })
})

describe('at most one report a day', () => {
  it('a clock moved back a day does not make that day new again', async () => {
    const store = await storeWith(session(NOW - 2 * DAY))
    await createReporter(ctx(store)).run()
    expect(fetchMock).toHaveBeenCalledTimes(1)
    // The device's clock now says yesterday; a newer session closes.
    for (const event of session(NOW - DAY + 2 * HOUR)) store.enqueue(event)
    await store.flush()
    await createReporter(ctx(store, { now: () => NOW - DAY + 4 * HOUR })).run()
    expect(fetchMock).toHaveBeenCalledTimes(1)
  })

  it('a clock that was set weeks ahead, then corrected, counts that report as today\'s only: the next days report again', async () => {
    const ahead = NOW + 30 * DAY
    const store = await storeWith(session(NOW))
    // The report sent while the device's clock said a month later (its future-stamped events are pruned since).
    await store.setMeta(LEDGER_META_KEY, { spent: { [utcDay(ahead)]: 2 }, last: { sentDay: utcDay(ahead), sessionDay: utcDay(ahead - 2 * HOUR), sessionStart: ahead - 2 * HOUR, epsilon: 2, question: 'segment' } })
    // The clock is right again: that report's ε counts as today's.
    await createReporter(ctx(store)).run()
    expect(fetchMock).not.toHaveBeenCalled()
    // The day after next, a newer closed session is reported, and only one a day.
    for (const event of session(NOW + 2 * DAY)) store.enqueue(event)
    await store.flush()
    await createReporter(ctx(store, { now: () => NOW + 2 * DAY })).run()
    await createReporter(ctx(store, { now: () => NOW + 2 * DAY + HOUR })).run()
    expect(sentBodies().map((body) => JSON.parse(body).day)).toEqual([utcDay(NOW + 2 * DAY - 2 * HOUR)])
    expect((await readLedger(store)).spent).toEqual({ [utcDay(NOW)]: 2, [utcDay(NOW + 2 * DAY)]: 2 })
  })

  it('counts a week of reports sent under a clock a year ahead as one day\'s budget spent today, not seven', async () => {
    const store = await storeWith(session(NOW))
    const ahead = (i: number) => NOW + (365 + i) * DAY
    const spent = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [utcDay(ahead(i)), 2]))
    await store.setMeta(LEDGER_META_KEY, { spent, last: { sentDay: utcDay(ahead(6)), sessionDay: utcDay(ahead(6)), sessionStart: ahead(6) - 2 * HOUR, epsilon: 2, question: 'segment' } })
    await createReporter(ctx(store)).run()
    expect(fetchMock).not.toHaveBeenCalled()
    expect((await readLedger(store)).spent).toEqual({ [utcDay(NOW)]: 2 })
  })

  it('a session reported under a clock that was ahead is not reported again when its time comes; later ones are', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const ahead = NOW + 30 * DAY
    // Written and reported while the device's clock said a month later.
    vi.setSystemTime(ahead)
    const store = await storeWith(session(ahead))
    await store.setMeta(LEDGER_META_KEY, { spent: { [utcDay(ahead)]: 2 }, last: { sentDay: utcDay(ahead), sessionDay: utcDay(ahead - 2 * HOUR), sessionStart: ahead - 2 * HOUR, epsilon: 2, question: 'segment' } })
    // The clock is right again; a session of the next day is reported.
    vi.setSystemTime(NOW)
    await createReporter(ctx(store)).run()
    vi.setSystemTime(NOW + 2 * DAY)
    for (const event of session(NOW + 2 * DAY)) store.enqueue(event)
    await store.flush()
    await createReporter(ctx(store, { now: () => NOW + 2 * DAY })).run()
    expect(sentBodies()).toHaveLength(1)
    // A month later the first session's events are read again: it was reported, and is not sent a second time.
    vi.setSystemTime(ahead + DAY)
    await createReporter(ctx(store, { now: () => ahead + DAY })).run()
    expect(sentBodies()).toHaveLength(1)
    // A session after it is.
    vi.setSystemTime(ahead + 3 * DAY)
    for (const event of session(ahead + 3 * DAY)) store.enqueue(event)
    await store.flush()
    await createReporter(ctx(store, { now: () => ahead + 3 * DAY })).run()
    expect(sentBodies().map((body) => JSON.parse(body).day)).toEqual([utcDay(NOW + 2 * DAY - 2 * HOUR), utcDay(ahead + 3 * DAY - 2 * HOUR)])
  })

  it.each([
    ['a session start that is not a time', { sessionStart: Number.NaN }],
    ['a session start that is a text', { sessionStart: '1' }],
    ['no session start', { sessionStart: undefined }],
  ])('a stored last report with %s (damaged data) counts every session until the end of its day as reported', async (_name, damaged) => {
    const store = await storeWith(session(NOW - DAY))
    const yesterday = utcDay(NOW - DAY)
    await store.setMeta(LEDGER_META_KEY, { spent: { [yesterday]: 2 }, last: { sentDay: yesterday, sessionDay: yesterday, epsilon: 2, question: 'segment', ...damaged } })
    // Yesterday's session was that report's: it is not sent again.
    await createReporter(ctx(store)).run()
    expect(sentBodies()).toHaveLength(0)
    // A session after that day is.
    for (const event of session(NOW + DAY)) store.enqueue(event)
    await store.flush()
    await createReporter(ctx(store, { now: () => NOW + DAY })).run()
    expect(sentBodies().map((body) => JSON.parse(body).day)).toEqual([utcDay(NOW + DAY - 2 * HOUR)])
  })

  it.each([
    ['a number', 7],
    ['a year', '2026'],
    ['a word and a number', 'day 1'],
    ['a day not written as YYYY-MM-DD', '2026-11-3'],
  ])('a stored last report without a session start, sent on a day that is %s (damaged data), counts the sessions until then as reported', async (_name, sentDay) => {
    const store = await storeWith(session(NOW - DAY))
    const yesterday = utcDay(NOW - DAY)
    await store.setMeta(LEDGER_META_KEY, { spent: {}, last: { sentDay, sessionDay: yesterday, epsilon: 2, question: 'segment' } })
    await createReporter(ctx(store)).run()
    expect(sentBodies()).toHaveLength(0)
  })

  it.each([
    ['a session start and a sent day that are not a time and a day', { sessionStart: Number.NaN, sentDay: 'yesterday' }],
    ['neither a session start nor a sent day', { sessionStart: undefined, sentDay: undefined }],
    ['no session start and a sent day centuries ahead', { sessionStart: undefined, sentDay: '2999-12-31' }],
    ['no session start and a sent day a month ahead', { sessionStart: 'x', sentDay: utcDay(NOW + 30 * DAY) }],
    ['no session start and a sent day two days ahead', { sessionStart: undefined, sentDay: utcDay(NOW + 2 * DAY) }],
  ])('a stored last report with %s (damaged data) counts the sessions until a day after it is first read as reported, not every one for good', async (_name, damaged) => {
    const store = await storeWith(session(NOW))
    await store.setMeta(LEDGER_META_KEY, { spent: { [utcDay(NOW - DAY)]: 2 }, last: { sessionDay: utcDay(NOW - DAY), epsilon: 2, question: 'segment', ...damaged } })
    // That report may have been about this session, or any until a day from now (a clock up to a day ahead).
    await createReporter(ctx(store)).run()
    await createReporter(ctx(store, { now: () => NOW + DAY })).run()
    expect(sentBodies()).toHaveLength(0)
    // A session after that is reported, and that day's report counts as the last.
    for (const event of session(NOW + 2 * DAY)) store.enqueue(event)
    await store.flush()
    await createReporter(ctx(store, { now: () => NOW + 2 * DAY })).run()
    expect(sentBodies().map((body) => JSON.parse(body).day)).toEqual([utcDay(NOW + 2 * DAY - 2 * HOUR)])
    expect((await readLedger(store)).last).toMatchObject({ sentDay: utcDay(NOW + 2 * DAY), sessionStart: NOW + 2 * DAY - 2 * HOUR })
  })

  it.each([
    ['not a number', Number.NaN],
    ['infinite', Infinity],
    ['a text', '1'],
  ])('a stored start of a session reported under a clock that was ahead that is %s (damaged data) is never stored again', async (_name, ahead) => {
    const store = await storeWith(session(NOW))
    await store.setMeta(LEDGER_META_KEY, { spent: { [utcDay(NOW - DAY)]: 2 }, ahead })
    await createReporter(ctx(store)).run()
    expect(sentBodies()).toHaveLength(1)
    const stored = (await store.getMeta(LEDGER_META_KEY)) as { ahead?: unknown }
    expect(stored.ahead === undefined || Number.isFinite(stored.ahead)).toBe(true)
  })

  it('a clock moved back after a report whose session start and day sent are unreadable stores no start that is not a time', async () => {
    const store = await storeWith(session(NOW))
    await store.setMeta(LEDGER_META_KEY, { spent: { [utcDay(NOW + 30 * DAY)]: 2 }, last: { sessionDay: 'x', epsilon: 2, question: 'segment' } })
    await createReporter(ctx(store)).run()
    const stored = (await store.getMeta(LEDGER_META_KEY)) as { ahead?: unknown; last: { sessionStart: unknown } }
    expect(Number.isFinite(stored.last.sessionStart)).toBe(true)
    expect(stored.ahead === undefined || Number.isFinite(stored.ahead)).toBe(true)
  })

  it.each([
    ['not a number', Number.NaN],
    ['a text', '2'],
    ['negative', -2],
    ['null', null],
    ['a list of days that is not a record', 'spent'],
    ['a list of days that is an array', [2]],
    ['kept under keys that are not days', { 0: 2, yesterday: 0 }],
    ['kept under a key written as a day that is no calendar day, before today', { '2026-00-45': 2 }],
  ])('a day whose stored spend is %s (damaged data) counts as spent, never as unspent', async (_name, spend) => {
    const store = await storeWith(session(NOW))
    await store.setMeta(LEDGER_META_KEY, { spent: spend === 'spent' || (typeof spend === 'object' && spend !== null) ? spend : { [utcDay(NOW)]: spend } })
    await createReporter(ctx(store)).run()
    expect(sentBodies()).toHaveLength(0)
    expect(isDaySpent(await readLedger(store), utcDay(NOW))).toBe(true)
    // The next day reports again.
    await createReporter(ctx(store, { now: () => NOW + DAY })).run()
    expect(sentBodies()).toHaveLength(1)
  })

  // A page (or an extension) that replaced crypto.getRandomValues with one that leaves the array as it was, or throws.
  it.each([
    ['fills nothing', ((array: Uint32Array) => array) as typeof crypto.getRandomValues],
    [
      'throws',
      (() => {
        throw new DOMException('blocked', 'NotAllowedError')
      }) as typeof crypto.getRandomValues,
    ],
  ])('sends nothing and spends nothing when the browser\'s random source %s, reported once as report_random', async (_, broken) => {
    vi.spyOn(crypto, 'getRandomValues').mockImplementation(broken)
    vi.resetModules()
    const fresh = (await import('./createReporter')) as typeof import('./createReporter')
    const store = await storeWith(session(NOW))
    await fresh.createReporter(ctx(store)).run()
    expect(sentBodies()).toHaveLength(0)
    expect(errors.map((e) => e.code)).toEqual(['report_random'])
    expect(isDaySpent(await readLedger(store), utcDay(NOW))).toBe(false)
    vi.restoreAllMocks()
  })

  it.each([
    ['above 1', 2],
    ['not a number', '0.5'],
  ])('a learnShare %s is refused as an options error naming it: nothing sent, no budget spent', async (_name, learnShare) => {
    const store = await storeWith(session(NOW))
    await createReporter(ctx(store, { options: { reports: { endpoint: '/seglet/reports', learnShare: learnShare as number } } })).run()
    expect(sentBodies()).toHaveLength(0)
    expect(errors.map((e) => [e.code, e.field])).toEqual([['invalid_option', 'learnShare']])
    expect(isDaySpent(await readLedger(store), utcDay(NOW))).toBe(false)
  })

  it('a ledger that cannot be read sends nothing', async () => {
    const store = await storeWith(session(NOW - 3 * HOUR))
    await createReporter(ctx(store)).run()
    expect(await store.getMeta(LEDGER_META_KEY)).toBeDefined()
    for (const event of session(NOW)) store.enqueue(event)
    await store.flush()
    const failing = Object.assign(Object.create(store) as EventStore, {
      getMeta: (key: string) => (key === LEDGER_META_KEY ? Promise.reject(new Error('read failed')) : store.getMeta(key)),
    })
    await createReporter(ctx(failing, { now: () => NOW + HOUR })).run()
    expect(fetchMock).toHaveBeenCalledTimes(1)
  })

  it('a ledger IndexedDB fails to read (a damaged record) sends nothing and keeps the stored ledger, reported once', async () => {
    const store = await storeWith(session(NOW - 3 * HOUR))
    await createReporter(ctx(store)).run()
    const spent = await store.getMeta(LEDGER_META_KEY)
    expect(spent).toBeDefined()
    for (const event of session(NOW)) store.enqueue(event)
    await store.flush()
    // The store's own read of the ledger fails inside IndexedDB, as reading a damaged value does; writes still work.
    const get = IDBObjectStore.prototype.get
    const damaged = vi.spyOn(IDBObjectStore.prototype, 'get').mockImplementation(function (this: IDBObjectStore, key: IDBValidKey | IDBKeyRange) {
      if (key === LEDGER_META_KEY) throw new DOMException('Failed to read the value', 'UnknownError')
      return get.call(this, key)
    })
    try {
      await createReporter(ctx(store, { now: () => NOW + HOUR })).run()
    } finally {
      damaged.mockRestore()
    }
    expect(sentBodies()).toHaveLength(1)
    expect(await store.getMeta(LEDGER_META_KEY)).toEqual(spent)
    expect(errors.map((e) => e.code)).toContain('report_failed')
  })

  it('a ledger that cannot be stored (a full quota) sends nothing that day, reported once: the next page that day sends the one report', async () => {
    const put = IDBObjectStore.prototype.put
    const full = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      const request = put.call(this, value, key)
      // As a full quota does: the transaction aborts and nothing of it is stored.
      if (key === LEDGER_META_KEY) this.transaction.abort()
      return request
    })
    const page = await storeWith(session(NOW - HOUR), undefined, 'reports-ledger-full')
    const reporter = createReporter(ctx(page))
    await expect(reporter.run()).resolves.toBeUndefined()
    await expect(reporter.run()).resolves.toBeUndefined()
    full.mockRestore()
    // Nor does this page's privacy panel tell of a report sent, or of budget spent, today.
    expect(await readReportSummary(page, { endpoint: '/seglet/reports' }, NOW)).toEqual({ epsilonPerDay: 2, spentToday: 0 })
    const sentByFirst = sentBodies().length
    // The next page load the same day finds no ledger stored: it spends the day and sends.
    const next = createStore({ dbName: 'reports-ledger-full', persist: true })
    stores.push(next)
    await createReporter(ctx(next)).run()
    await createReporter(ctx(next, { now: () => NOW + HOUR })).run()
    expect(sentBodies()).toHaveLength(1)
    expect(sentByFirst).toBe(0)
    expect(errors.map((e) => [e.code, e.message])).toEqual([['report_failed', "The private report could not be sent: the day's privacy budget could not be stored"]])
    expect((await readLedger(next)).spent).toEqual({ [utcDay(NOW)]: 2 })
  })

  it('a page whose ledger could not be stored sends nothing the next day either when another tab spent that day', async () => {
    const put = IDBObjectStore.prototype.put
    const full = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      const request = put.call(this, value, key)
      if (key === LEDGER_META_KEY) this.transaction.abort()
      return request
    })
    const page = await storeWith([...session(NOW - HOUR), ...session(NOW + DAY - HOUR)], undefined, 'reports-ledger-full-next-day')
    let time = NOW
    const reporter = createReporter(ctx(page, { now: () => time }))
    await reporter.run()
    full.mockRestore()
    // The next day another tab sends that day's report; the page left open tries again after midnight.
    time = NOW + DAY
    const other = createStore({ dbName: 'reports-ledger-full-next-day', persist: true })
    stores.push(other)
    await createReporter(ctx(other, { now: () => time })).run()
    expect(sentBodies()).toHaveLength(1)
    await reporter.run()
    expect(sentBodies()).toHaveLength(1)
  })

  it('two tabs at once send one report: the Web Lock lets one read and spend the day', async () => {
    const a = await storeWith(session(NOW - HOUR), undefined, 'reports-tabs')
    const b = createStore({ dbName: 'reports-tabs', persist: true })
    stores.push(b)
    await Promise.all([createReporter(ctx(a)).run(), createReporter(ctx(b)).run()])
    expect(fetchMock).toHaveBeenCalledTimes(1)
  })

  it('sends nothing without Web Locks (a page not served over HTTPS, an older browser): two tabs could both spend the day', async () => {
    removeLocks()
    expect((navigator as { locks?: unknown }).locks).toBeUndefined()
    const a = await storeWith(session(NOW - HOUR), undefined, 'reports-no-locks')
    const b = createStore({ dbName: 'reports-no-locks', persist: true })
    stores.push(b)
    await Promise.all([createReporter(ctx(a)).run(), createReporter(ctx(b)).run()])
    expect(fetchMock).not.toHaveBeenCalled()
    installFakeLocks()
    await createReporter(ctx(a)).run()
    expect(fetchMock).toHaveBeenCalledTimes(1)
  })
})
