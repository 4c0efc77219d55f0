// Private reports: the exit answer of a session that left from a page without a key, and the daily budget
// against a clock that moved back, a ledger that cannot be read, and two tabs with and without Web Locks.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { StoredEvent } from '../events/types'
import { createStore, type EventStore } from '../store'
import { buildReportTruth } from './buildReportTruth'
import { createReporter, type ReporterContext } from './createReporter'
import { encodeReport } from './encodeReport'
import { LEDGER_META_KEY } from './ledger'
import { olhHash } from './mechanisms/olh'
import { EMPTY_PAGE_CODE, pageCode, pageKeyHash } from './lib/pageCode'
import { questionMechanism } from './lib/questionMechanism'
import { parseReport } from './parseReport'
import { recordSession, sessionRecordOf } from './sessionRecord'
import { SHIPPED_PACK_CONTEXT } from './shippedPackContext'
import { installFakeLocks } from './testing/fakeLocks'

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
const NOW = Date.UTC(2026, 10, 29, 12)
let n = 0
const ev = (ts: number, fields: Record<string, unknown>): StoredEvent => ({ id: `r${++n}`, ts, ...fields }) as StoredEvent
const labels = { id: 'session@1.0.0', labels: ['a', 'b', 'c', 'd'] }
const lifetime = { id: 'lifetime@1.0.0', labels: ['w', 'x', 'y', 'z'] }
const visit = (at: number): StoredEvent[] => [
  ev(at, { type: 'page_view', url: '/p/mug', pageType: 'product', pageKey: 'product/mug' }),
  ev(at + MIN, { type: 'page_view', url: '/cart', pageType: 'cart', pageKey: 'cart' }),
]

let stores: EventStore[] = []
let fetchMock: ReturnType<typeof vi.fn>
let removeLocks = () => {}
beforeEach(() => {
  removeLocks = installFakeLocks()
  fetchMock = vi.fn(async () => new Response(null, { status: 204 }))
  vi.stubGlobal('fetch', fetchMock)
})
afterEach(async () => {
  removeLocks()
  vi.useRealTimers()
  vi.unstubAllGlobals()
  for (const s of stores) await s.close()
  stores = []
})
async function storeWith(events: StoredEvent[], dbName = `budget-${++n}`): Promise<EventStore> {
  const store = createStore({ dbName, persist: true })
  stores.push(store)
  for (const e of events) store.enqueue(e)
  await store.flush()
  await recordSession(store, sessionRecordOf(events[0].ts, { segmentId: 'c', coldStart: false, valueSegmentId: 'x', arm: 'none' }, labels, lifetime))
  return store
}
const ctx = (store: EventStore, now: () => number, getMeta?: EventStore['getMeta']): ReporterContext => ({
  store: getMeta ? Object.assign(Object.create(store) as EventStore, { getMeta }) : store,
  options: { reports: { endpoint: '/seglet/reports' } },
  report: () => {},
  getConsent: () => 'granted',
  getEpoch: () => 0,
  now,
})

describe('the exit answer', () => {
  it('pageExit answers "no keyed exit page" when the session ended on a page without a page key', () => {
    // Two pages: a keyed product page, then the order confirmation, which has no page key. The session exited there.
    const events = [
      ev(NOW - 3 * HOUR, { type: 'page_view', url: '/p/boot', pageType: 'product', pageKey: 'product/boot' }),
      ev(NOW - 3 * HOUR + MIN, { type: 'page_view', url: '/thanks', pageType: 'checkout' }),
    ]
    const closed = buildReportTruth({ events, records: [], now: NOW, context: SHIPPED_PACK_CONTEXT })!
    expect(closed.truth.pages).toEqual([{ key: 'product/boot', bounced: false, exited: false, orderFollowed: false }])
    const mechanism = questionMechanism('pageExit', closed.context, 8)
    if (mechanism.kind !== 'olh') throw new Error('olh expected')
    let boot = 0
    let empty = 0
    for (let i = 0; i < 4000; i++) {
      const r = parseReport(encodeReport(closed.truth, closed.context, { epsilon: 8, day: closed.day }))
      if (r.question !== 'pageExit' || r.answer.kind !== 'olh') continue
      const { a, b, value } = r.answer
      if (olhHash(mechanism, a, b, pageCode(pageKeyHash('product/boot'), false)) === value) boot++
      if (olhHash(mechanism, a, b, EMPTY_PAGE_CODE) === value) empty++
    }
    // At ε = 8 nearly every answer supports its true code: the truth should be "no keyed exit page".
    expect(empty).toBeGreaterThan(boot)
  })
})

describe('at most one report a day', () => {
  it('does not send a second report the same real day after the clock moved back a day', async () => {
    // The last visit was two days ago; today's first page (clock at D 12:00) reports it.
    const store = await storeWith(visit(NOW - 2 * DAY))
    await createReporter(ctx(store, () => NOW)).run()
    expect(fetchMock).toHaveBeenCalledTimes(1)
    // The clock is set back a day (manual change / correction of a fast clock). Half an hour of real time
    // later the shopper browses, and two hours later opens another page.
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(NOW - DAY + 30 * MIN)
    for (const e of visit(NOW - DAY + 30 * MIN)) store.enqueue(e)
    await store.flush()
    await createReporter(ctx(store, () => NOW - DAY + 2 * HOUR)).run()
    expect(fetchMock).toHaveBeenCalledTimes(1)
  })

  it('does not spend the day twice when the ledger cannot be read', async () => {
    const store = await storeWith(visit(NOW - 5 * HOUR))
    await createReporter(ctx(store, () => NOW)).run()
    expect(await store.getMeta(LEDGER_META_KEY)).toBeDefined()
    for (const e of visit(NOW - 2 * HOUR)) store.enqueue(e)
    await store.flush()
    // A later page of the same day whose read of the ledger fails (a transient IndexedDB error).
    const failing: EventStore['getMeta'] = (key) => (key === LEDGER_META_KEY ? Promise.reject(new Error('read failed')) : store.getMeta(key))
    await createReporter(ctx(store, () => NOW + HOUR, failing)).run()
    expect(fetchMock).toHaveBeenCalledTimes(1)
  })

  it('two tabs at once send one report: the Web Lock lets one read and spend the day', async () => {
    const events = visit(NOW - 3 * HOUR)
    const a = await storeWith(events, 'budget-tabs')
    const b = createStore({ dbName: 'budget-tabs', persist: true })
    stores.push(b)
    await Promise.all([createReporter(ctx(a, () => NOW)).run(), createReporter(ctx(b, () => NOW)).run()])
    expect(fetchMock).toHaveBeenCalledTimes(1)
  })

  it('sends nothing without Web Locks (a page not served over HTTPS, an older browser): two tabs could both spend the day', async () => {
    removeLocks()
    expect((navigator as { locks?: unknown }).locks).toBeUndefined()
    const events = visit(NOW - 3 * HOUR)
    const a = await storeWith(events, 'budget-no-locks')
    const b = createStore({ dbName: 'budget-no-locks', persist: true })
    stores.push(b)
    await Promise.all([createReporter(ctx(a, () => NOW)).run(), createReporter(ctx(b, () => NOW)).run()])
    expect(fetchMock).not.toHaveBeenCalled()
    installFakeLocks()
    await createReporter(ctx(a, () => NOW)).run()
    expect(fetchMock).toHaveBeenCalledTimes(1)
  })
})
