import { describe, expect, it } from 'vitest'
import type { StoredEvent } from '../events/types'
import { buildReportTruth } from './buildReportTruth'
import { encodeReport } from './encodeReport'
import { EMPTY_PAGE_CODE, pageCode, pageKeyHash } from './lib/pageCode'
import { questionMechanism } from './lib/questionMechanism'
import { olhHash } from './mechanisms/olh'
import { parseReport } from './parseReport'
import { SHIPPED_PACK_CONTEXT } from './shippedPackContext'
import { MAX_REPORT_PAGES } from './schema'
import { seededRandom } from '../../sim/seededRandom'
import { sessionRecordOf, type SessionRecord } from './sessionRecord'

const MIN = 60_000
const T = Date.UTC(2026, 10, 28, 23, 50)
let n = 0
const ev = (ts: number, fields: Record<string, unknown>): StoredEvent => ({ id: `e${++n}`, ts, ...fields }) as StoredEvent
const view = (ts: number, pageKey?: string) => ev(ts, { type: 'page_view', url: '/x', pageType: 'other', ...(pageKey ? { pageKey } : {}) })
const buy = (ts: number, value: number, orderId = `o${n}`) => ev(ts, { type: 'purchase', orderId, value, currency: 'EUR', items: [] })
const labels = { id: 'session@1', labels: ['a', 'b', 'c'] }
const record = (start: number, overrides: Partial<SessionRecord> = {}): SessionRecord => ({
  ...sessionRecordOf(start, { segmentId: 'b', coldStart: false, valueSegmentId: 'c', arm: 'treatment' }, labels, { id: 'lifetime@1', labels: ['a', 'b', 'c', 'd'] }),
  ...overrides,
})

describe('buildReportTruth', () => {
  it('describes the latest closed session: leaves and arm from its record, outcome and pages from its events', () => {
    const events = [
      view(T - 200 * MIN, 'home'), // an older session
      view(T, 'home'),
      view(T + 1 * MIN),
      view(T + 2 * MIN, 'product/mug'),
      buy(T + 3 * MIN, 30),
      buy(T + 3 * MIN, 30, 'o-same'),
      buy(T + 3 * MIN + 1, 30, 'o-same'), // the same order captured twice counts once
      view(T + 4 * MIN, 'thanks'),
    ]
    const closed = buildReportTruth({ events, records: [record(T + 1 * MIN), record(T - 200 * MIN, { segmentLeaf: 0 })], now: T + 40 * MIN })
    expect(closed).toEqual({
      truth: {
        segmentLeaf: 1,
        valueSegment: 2,
        ordered: true,
        orderValueBucket: 2, // 60 in [50, 100)
        arm: 'treatment',
        pages: [
          { key: 'home', bounced: false, exited: false, orderFollowed: true },
          { key: 'product/mug', bounced: false, exited: false, orderFollowed: true },
          { key: 'thanks', bounced: false, exited: true, orderFollowed: false },
        ],
      },
      context: { packId: 'session@1+lifetime@1', segmentLeaves: 3, valueLeaves: 4 },
      day: '2026-11-28',
      start: T,
    })
  })

  it('leaves out page keys a report cannot carry and order values that are not amounts (old or hand-written data)', () => {
    const odd = (ts: number, pageKey: unknown) => ev(ts, { type: 'page_view', url: '/x', pageType: 'other', pageKey })
    const events = [view(T, 'home'), odd(T + 1, ''), buy(T + 2, 30), buy(T + 3, Number.NaN), buy(T + 4, -5), odd(T + 5, 'p'.repeat(101)), odd(T + 6, 7)]
    const closed = buildReportTruth({ events, records: [record(T)], now: T + 40 * MIN })
    // The session left from a page without a usable key: no page of it exited.
    expect(closed?.truth).toMatchObject({ ordered: true, orderValueBucket: 1, pages: [{ key: 'home', bounced: false, exited: false, orderFollowed: true }] })
  })

  it.each([Infinity, 1e12])('counts an order value of %s, past any amount capture accepts, as 0, not in the top bucket', (value) => {
    const closed = buildReportTruth({ events: [view(T, 'home'), buy(T + 1, value), buy(T + 2, 30)], records: [record(T)], now: T + 40 * MIN })
    expect(closed?.truth).toMatchObject({ ordered: true, orderValueBucket: 1 })
  })

  it.each([
    ['the session is still open', 29 * MIN, false],
    ['one session gap has passed', 30 * MIN + 1, true],
  ])('a session is closed only when its last event is over a session gap old: %s', (_name, after, closed) => {
    const out = buildReportTruth({ events: [view(T, 'home')], records: [record(T)], now: T + after })
    expect(out !== null).toBe(closed)
  })

  it('reports the closed session before an open one, with its own record', () => {
    const events = [view(T, 'a'), view(T + 60 * MIN, 'b')]
    const out = buildReportTruth({ events, records: [record(T + 60 * MIN, { segmentLeaf: 0 }), record(T)], now: T + 61 * MIN })
    expect(out?.start).toBe(T)
    expect(out?.truth.segmentLeaf).toBe(1)
    expect(out?.truth.pages).toEqual([{ key: 'a', bounced: true, exited: true, orderFollowed: false }])
  })

  it('without a record for the session: no leaves, arm none, the newest record\'s packs; without any record: nothing', () => {
    const events = [view(T, 'a'), view(T + MIN, 'b')]
    const out = buildReportTruth({ events, records: [record(T + 500 * MIN)], now: T + 60 * MIN })
    expect(out?.truth).toMatchObject({ segmentLeaf: null, valueSegment: null, arm: 'none', ordered: false, orderValueBucket: 0 })
    expect(out?.context.packId).toBe('session@1+lifetime@1')
    expect(buildReportTruth({ events, records: [], now: T + 60 * MIN })).toBeNull()
  })

  it('reports a one-page session that no decision was ever recorded for as a cold start against the given context', () => {
    const shipped = { packId: 'session@1.0.0+lifetime@1.0.0', segmentLeaves: 4, valueLeaves: 4 }
    const out = buildReportTruth({ events: [view(T, 'home')], records: [], context: shipped, now: T + 60 * MIN })
    expect(out).toEqual({
      truth: { segmentLeaf: null, valueSegment: null, ordered: false, orderValueBucket: 0, arm: 'none', pages: [{ key: 'home', bounced: true, exited: true, orderFollowed: false }] },
      context: shipped,
      day: '2026-11-28',
      start: T,
    })
    // Still open: nothing yet. A recorded decision's packs win over the given context.
    expect(buildReportTruth({ events: [view(T, 'home')], records: [], context: shipped, now: T + 10 * MIN })).toBeNull()
    expect(buildReportTruth({ events: [view(T, 'home')], records: [record(T + 50 * MIN)], context: shipped, now: T + 60 * MIN })?.context.packId).toBe('session@1+lifetime@1')
    // Not one of a later start than now (recorded while the clock was ahead), unless nothing else gives the packs.
    expect(buildReportTruth({ events: [view(T, 'home')], records: [record(T + 500 * MIN)], context: shipped, now: T + 60 * MIN })?.context).toBe(shipped)
    expect(buildReportTruth({ events: [view(T, 'home')], records: [record(T + 500 * MIN)], now: T + 60 * MIN })?.context.packId).toBe('session@1+lifetime@1')
  })

  it('keeps every keyed page of the session, and no page without a key', () => {
    const events = Array.from({ length: 2 * MAX_REPORT_PAGES }, (_, i) => view(T + i * 1000, i % 3 === 0 ? undefined : `p${i}`))
    const out = buildReportTruth({ events, records: [record(T)], now: T + 60 * MIN })!
    const keyed = events.filter((e) => (e as { pageKey?: string }).pageKey).map((e) => (e as { pageKey?: string }).pageKey)
    expect(out.truth.pages.map((p) => p.key)).toEqual(keyed)
    expect(out.truth.pages.at(-1)).toMatchObject({ exited: true })
  })

  it('answers the page-value question about the whole session: a page viewed before its last MAX_REPORT_PAGES pages counts as viewed', () => {
    // A long session: landed on the listed page, then MAX_REPORT_PAGES + 3 other pages, then an order.
    const events = [view(T, 'landing'), ...Array.from({ length: MAX_REPORT_PAGES + 3 }, (_, i) => view(T + (i + 1) * 1000, `p${i}`)), buy(T + 60_000, 80)]
    const closed = buildReportTruth({ events, records: [record(T)], now: T + 60 * MIN })!
    let answers = 0
    let viewedThenOrdered = 0
    const random = seededRandom(17)
    for (let i = 0; i < 400; i++) {
      const r = parseReport(encodeReport(closed.truth, closed.context, { epsilon: 8, day: closed.day, random, valuePages: ['landing'] }))
      if (r.question !== 'pageValue' || r.answer.kind !== 'krr') continue
      answers++
      if (r.answer.value === 2) viewedThenOrdered++
    }
    // At ε = 8 nearly every answer is the truth: viewed, with an order after.
    expect(answers).toBeGreaterThan(100)
    expect(viewedThenOrdered / answers).toBeGreaterThan(0.95)
  })

  it('ignores events after now and splits sessions by the configured gap', () => {
    const events = [view(T, 'a'), view(T + 5 * MIN, 'b'), view(T + 999 * MIN, 'future')]
    const out = buildReportTruth({ events, records: [record(T + 5 * MIN)], now: T + 7 * MIN, sessionGapMs: MIN })
    expect(out?.start).toBe(T + 5 * MIN)
    expect(out?.truth.pages).toEqual([{ key: 'b', bounced: true, exited: true, orderFollowed: false }])
  })
})

describe('the exit answer', () => {
  it('a session that left from a page without a page key answers "empty", not its last keyed page', () => {
    const events = [view(T - 3 * 60 * MIN, 'product/boot'), view(T - 3 * 60 * MIN + MIN)]
    const closed = buildReportTruth({ events, records: [], now: T, context: SHIPPED_PACK_CONTEXT })!
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
    // At ε = 8 nearly every answer supports its true code: "no keyed exit page".
    expect(empty).toBeGreaterThan(boot)
  })
})
