import { readLedger, utcDay } from './ledger'
import type { ReportOptions } from './options'
import { ALL_QUESTIONS, DEFAULT_DAILY_EPSILON } from './schema'

/** What the transparency panel says about private reports. */
export interface ReportSummary {
  /** ε this browser may spend per UTC day. */
  epsilonPerDay: number
  /** ε spent today (UTC). */
  spentToday: number
  /** The last report sent, when there was one. */
  last?: {
    /** UTC day it was sent, `YYYY-MM-DD`. */
    sentDay: string
    /** UTC day of the visit it described. */
    sessionDay: string
    /** ε it spent. */
    epsilon: number
    /** What its one answer was about, in plain words. */
    held: string
  }
}

/**
 * The panel's account of private reports, from the daily budget ledger.
 * @example
 * const summary = await readReportSummary(store, { endpoint: '/seglet/reports' })
 */
export async function readReportSummary(store: { getMeta(key: string): Promise<unknown> }, options: ReportOptions, now = Date.now()): Promise<ReportSummary> {
  const ledger = await readLedger(store)
  const epsilonPerDay = typeof options.epsilonPerDay === 'number' ? options.epsilonPerDay : DEFAULT_DAILY_EPSILON
  const summary: ReportSummary = { epsilonPerDay, spentToday: ledger.spent[utcDay(now)] ?? 0 }
  const last = ledger.last
  if (last) {
    const held = ALL_QUESTIONS.find((q) => q.id === last.question)?.describe ?? 'one answer'
    summary.last = { sentDay: last.sentDay, sessionDay: last.sessionDay, epsilon: last.epsilon, held }
  }
  return summary
}
