import { isReportDay } from './lib/isReportDay'
import { toReportEpsilon } from './lib/isReportEpsilon'
import { MAX_REPORT_EPSILON } from './schema'
import type { QuestionId } from './types'
import { MAX_CLOCK_SKEW_MS } from '../privacy/retention'

/** Meta key of the daily privacy-budget ledger. `forget()` deletes it with everything else. */
export const LEDGER_META_KEY = 'report-ledger'

/** Days the ledger keeps (the panel shows today; older days only tell that the budget was kept). */
export const LEDGER_DAYS = 7

/**
 * The daily privacy-budget ledger: ε spent per UTC day and the last report sent. Written before a report
 * leaves the device, so a page that closes while sending never spends the day's budget twice.
 */
export interface ReportLedger {
  /** ε spent per UTC day (`YYYY-MM-DD`), the last `LEDGER_DAYS` days. */
  spent: Record<string, number>
  /** The last report. */
  last?: ReportEntry
  /**
   * The start of a session reported under a clock that was ahead (see {@link moveLaterDays}): its events stay
   * stored, and when their time comes it is not reported again.
   */
  ahead?: number
  /**
   * Set by `readLedger` when it read a last report of which neither the session start nor the day sent can be
   * read (a day sent that ends more than `MAX_CLOCK_SKEW_MS` from now counts as unread): the time it put in their
   * place must be stored, or every later read would put a later one. Never stored.
   */
  unread?: true
}

/**
 * A report in the ledger: the UTC day it was sent, the day of the session it described, what it answered,
 * `sending` (the time it left) until the shop answers, `0` after a send that got no answer (a network error, a
 * page left mid-send, which rejects although the shop may have it), and `failed` when the shop answered with an
 * error: that day's budget stays spent all the same. A `sending` that stays (a collector that never answers, a
 * mark that could not be stored) tells that its delivery was not confirmed.
 */
export interface ReportEntry {
  sentDay: string
  sessionDay: string
  sessionStart: number
  epsilon: number
  question: QuestionId
  sending?: number
  failed?: true
}

// A day after any: what the ledger cannot read as a day counts as today's.
const LATER = '9999-12-31'

/** The UTC day of a time, `YYYY-MM-DD`. */
export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10)

/**
 * Reads the ledger at time `now`; an absent one counts as empty. A read that fails rejects: the day's budget cannot
 * be checked, so nothing may be sent. What no version writes (hand-written or damaged data) is never read as less
 * spent: a day's spend that is not an ε counts as `MAX_REPORT_EPSILON`, so does today's when no day can be read or a
 * key is not a day (a list's `0`), and a last report whose session start is not a time as having reported every
 * session until the end of the day it was sent (only a day written `YYYY-MM-DD` is read as one: `Date.parse()` takes
 * `7` or `2026` for a day of 2001 or 2026). When that day cannot be read either, or ends more than
 * `MAX_CLOCK_SKEW_MS` after `now` (no report was sent on it: damaged data, which would keep every session until then
 * unreported), every session until
 * `MAX_CLOCK_SKEW_MS` after `now`: its spend went to a day of `spent`, so it was sent by today, unless a later day is
 * spent there (a clock moved back, see {@link moveLaterDays}); and no session it could tell of starts later. The
 * ledger is then marked `unread`, for the reporter to store that time once, so that the sessions after it are
 * reported again. An `ahead` that is not a time names no session: it is left out, so that no start that is not a
 * time is ever stored again.
 */
export async function readLedger(store: { getMeta(key: string): Promise<unknown> }, now = Date.now()): Promise<ReportLedger> {
  const value = (await store.getMeta(LEDGER_META_KEY)) as Partial<ReportLedger> | undefined
  const spent: Record<string, number> = {}
  if (value && typeof value.spent === 'object' && value.spent !== null) {
    for (const [day, epsilon] of Object.entries(value.spent)) {
      // A key that is not a day (a list's `0`): spent on a day after any, which counts as today's (see moveLaterDays).
      if (!isReportDay(day)) spent[LATER] = MAX_REPORT_EPSILON
      else spent[day] = Number.isFinite(epsilon) && epsilon >= 0 ? epsilon : MAX_REPORT_EPSILON
    }
  } else if (value !== undefined) {
    // No day can be read: spent on a day after any.
    spent[LATER] = MAX_REPORT_EPSILON
  }
  const ledger: ReportLedger = { spent }
  const last = value?.last
  if (last && typeof last === 'object') {
    // A sent day that ends more than MAX_CLOCK_SKEW_MS from now was never one: read as no day.
    const end = isReportDay(last.sentDay) ? Date.parse(last.sentDay) + 86_399_999 : NaN
    const sessionStart = Number.isFinite(last.sessionStart) ? last.sessionStart : end <= now + MAX_CLOCK_SKEW_MS ? end : undefined
    ledger.last = { ...last, sessionStart: sessionStart ?? now + MAX_CLOCK_SKEW_MS }
    if (sessionStart === undefined) ledger.unread = true
  }
  if (Number.isFinite(value?.ahead)) ledger.ahead = value!.ahead
  return ledger
}

/** The ledger after one more report: its ε added to the day, days older than `LEDGER_DAYS` dropped. */
export function addToLedger(ledger: ReportLedger, entry: ReportEntry): ReportLedger {
  const spent: Record<string, number> = {}
  const days = Object.keys(ledger.spent).sort().slice(-(LEDGER_DAYS - 1))
  for (const day of days) spent[day] = ledger.spent[day]
  // Hundredths, so that spending is exact (ε values are in hundredths).
  spent[entry.sentDay] = toReportEpsilon((spent[entry.sentDay] ?? 0) + entry.epsilon)
  return { spent, last: entry, ahead: ledger.ahead }
}

/**
 * The ledger (changed in place) once the clock has moved back to `now`: what days after `today` spent becomes today's, and the last
 * reported session starts no later than the store still reads events (`MAX_CLOCK_SKEW_MS` ahead), its real start
 * kept as `ahead`. Without it a clock once set weeks ahead would keep every day until then spent, and every
 * session since unreported.
 * `undefined` when no day after today was spent.
 */
export function moveLaterDays(ledger: ReportLedger, today: string, now: number): ReportLedger | undefined {
  let later = 0
  for (const day in ledger.spent) {
    if (day > today) {
      // The most one such day spent, not their sum: each was a day's budget, spent on a day of its own.
      later = Math.max(later, ledger.spent[day])
      delete ledger.spent[day]
    }
  }
  if (!later) return
  ledger.spent[today] = Math.max(ledger.spent[today] ?? 0, later)
  if (ledger.last && ledger.last.sessionStart > now + MAX_CLOCK_SKEW_MS) {
    // Its events stay stored (reads skip them until their time): that session must not be reported again then.
    ledger.ahead = ledger.last.sessionStart
    ledger.last.sessionStart = now + MAX_CLOCK_SKEW_MS
  }
  return ledger
}

/**
 * Whether the ledger has spent the budget of `today` — or of a later day, for a clock that moved back since:
 * the budget of the day the clock went back to is not spent again.
 */
export function isDaySpent(ledger: ReportLedger, today: string): boolean {
  for (const day in ledger.spent) if (day >= today && ledger.spent[day] > 0) return true
  return false
}
