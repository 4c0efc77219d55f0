import { readLedger, utcDay } from './ledger'
import { toReportEpsilon } from './lib/isReportEpsilon'
import type { ReportOptions } from './options'
import { DEFAULT_DAILY_EPSILON, QUESTION_DESCRIPTIONS } from './schema'

/** What the transparency panel says about private reports. */
export interface ReportSummary {
  /** ε this browser may spend per UTC day. */
  epsilonPerDay: number
  /** ε spent today (UTC), or what a later day spent when the clock moved back since, if more. */
  spentToday: number
  /**
   * Consent is pending: what earlier visits stored, the ledger of the reports they sent included, is not read, so
   * there is no account of them (`last` absent, `spentToday` this page's). The panel says so.
   */
  unread?: boolean
  /** The last report, when there was one. */
  last?: {
    /** UTC day it was sent, `YYYY-MM-DD`. */
    sentDay: string
    /** UTC day of the visit it described. */
    sessionDay: string
    /** ε it spent. */
    epsilon: number
    /**
     * How its send went: `'sent'` (delivered), `'sending'` (under way), `'unanswered'` (no answer: a network
     * error, a page left mid-send, or none `UNANSWERED_AFTER_MS` after it left) or `'failed'` (the shop answered
     * with an error). Unless delivered, it was prepared and its day's budget spent all the same.
     */
    delivery: 'sent' | 'sending' | 'unanswered' | 'failed'
    /** What its one answer was about, in plain words. */
    held: string
  }
}

/** Time after a report left without an answer from which the panel tells its delivery as not confirmed. */
export const UNANSWERED_AFTER_MS = 5 * 60_000

/**
 * The panel's account of private reports, from the daily budget ledger.
 * @example
 * const summary = await readReportSummary(store, { endpoint: '/seglet/reports' })
 */
export async function readReportSummary(store: { getMeta(key: string): Promise<unknown> }, options: ReportOptions, now = Date.now()): Promise<ReportSummary> {
  const ledger = await readLedger(store)
  const epsilonPerDay = typeof options.epsilonPerDay === 'number' ? options.epsilonPerDay : DEFAULT_DAILY_EPSILON
  // What a later day spent (a clock moved back since) counts as today's, as it does for the report part: the most
  // one such day spent, as each spent a day's budget on a day of its own.
  const today = utcDay(now)
  let spentToday = 0
  for (const day in ledger.spent) if (day >= today) spentToday = Math.max(spentToday, ledger.spent[day])
  const summary: ReportSummary = { epsilonPerDay, spentToday: toReportEpsilon(spentToday) }
  const last = ledger.last
  // A damaged last entry (a store written by hand, a broken browser) is told as none, not as a visit on "undefined".
  if (last && typeof last.sentDay === 'string' && typeof last.sessionDay === 'string' && typeof last.epsilon === 'number') {
    const held = QUESTION_DESCRIPTIONS.get(last.question) ?? 'one answer'
    const { sending } = last
    // A send that never settled is not told as delivered; a clock moved back since it left does not keep it under way.
    const delivery =
      last.failed === true ? 'failed' : typeof sending !== 'number' ? 'sent' : now >= sending && now - sending < UNANSWERED_AFTER_MS ? 'sending' : 'unanswered'
    summary.last = { sentDay: last.sentDay, sessionDay: last.sessionDay, epsilon: last.epsilon, delivery, held }
  }
  return summary
}
