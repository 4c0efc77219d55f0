import { describe, expect, it } from 'vitest'
import { LEDGER_META_KEY, utcDay } from './ledger'
import { readReportSummary, UNANSWERED_AFTER_MS } from './readReportSummary'
import { MAX_REPORT_EPSILON } from './schema'

const NOW = Date.UTC(2026, 10, 29, 12)
const DAY = 86_400_000
const storeWith = (ledger: unknown) => ({ getMeta: async (key: string) => (key === LEDGER_META_KEY ? ledger : undefined) })
const last = (sentDay: string) => ({ sentDay, sessionDay: sentDay, sessionStart: Date.parse(`${sentDay}T10:00:00Z`), epsilon: 2, question: 'segment' })

describe('readReportSummary', () => {
  it('tells the ε spent today of the daily budget', async () => {
    const summary = await readReportSummary(storeWith({ spent: { '2026-11-28': 2, '2026-11-29': 2 }, last: last('2026-11-29') }), { endpoint: '/r' }, NOW)
    expect(summary).toMatchObject({ epsilonPerDay: 2, spentToday: 2, last: { sentDay: '2026-11-29', epsilon: 2, held: 'the session segment' } })
    expect((await readReportSummary(storeWith(undefined), { endpoint: '/r', epsilonPerDay: 1 }, NOW)).spentToday).toBe(0)
  })

  it('counts what a later day spent as today\'s after the clock moved back, as the report part does', async () => {
    const summary = await readReportSummary(storeWith({ spent: { '2026-11-28': 2, '2026-12-01': 2 }, last: last('2026-12-01') }), { endpoint: '/r' }, NOW)
    expect(summary.spentToday).toBe(2)
    // A clock a year ahead for a week, then set back: each of those days spent a day's budget, never more.
    const week = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [utcDay(NOW + (365 + i) * DAY), 2]))
    expect((await readReportSummary(storeWith({ spent: week }), { endpoint: '/r' }, NOW)).spentToday).toBe(2)
    // Once that day has passed, it is not today's any more.
    expect((await readReportSummary(storeWith({ spent: { '2026-12-01': 2 } }), { endpoint: '/r' }, NOW + 3 * DAY)).spentToday).toBe(0)
  })

  it('tells how the last report\'s send went: delivered, failed (only a stored `true`), or still without an answer', async () => {
    const read = async (fields: Record<string, unknown>, now = NOW) =>
      (await readReportSummary(storeWith({ spent: { '2026-11-29': 2 }, last: { ...last('2026-11-29'), ...fields } }), { endpoint: '/r' }, now)).last?.delivery
    expect(await read({})).toBe('sent')
    expect(await read({ failed: true })).toBe('failed')
    for (const other of [undefined, false, 'yes', 1]) expect(await read({ failed: other })).toBe('sent')
    // A send under way: told as being sent, and after a generous time without an answer (a collector that never
    // answers, a page closed mid-send) as not confirmed, never as delivered.
    expect(await read({ sending: NOW - 1000 })).toBe('sending')
    expect(await read({ sending: NOW - UNANSWERED_AFTER_MS })).toBe('unanswered')
    expect(await read({ sending: NOW + DAY })).toBe('unanswered')
    expect(await read({ sending: 'soon' })).toBe('sent')
  })

  it('tells of no last report when the stored one is damaged, never of a visit on "undefined"', async () => {
    const { sessionDay: _, ...noSessionDay } = last('2026-11-29')
    for (const damaged of [noSessionDay, { ...last('2026-11-29'), sessionDay: 7 }, { ...last('2026-11-29'), epsilon: 'two' }, { ...last('2026-11-29'), sentDay: 7 }]) {
      const summary = await readReportSummary(storeWith({ spent: { '2026-11-29': 2 }, last: damaged }), { endpoint: '/r' }, NOW)
      expect(summary).toEqual({ epsilonPerDay: 2, spentToday: 2 })
    }
  })

  it('tells a day whose stored spend is damaged (not a number, negative) as spent, never as unspent', async () => {
    for (const spend of [Number.NaN, -2, 'two', null]) {
      expect((await readReportSummary(storeWith({ spent: { '2026-11-29': spend } }), { endpoint: '/r' }, NOW)).spentToday).toBe(MAX_REPORT_EPSILON)
    }
  })
})
