import type { StoredEvent } from '../events/types'
import { DEFAULT_SESSION_GAP_MS, sessionize } from '../features/sessionize'
import { MAX_PRICE } from '../events/limits'
import { checkTruth } from './encodeReport'
import { checkContext } from './lib/checkContext'
import { utcDay } from './ledger'
import { isReportPageKey } from './lib/isReportPageKey'
import { orderValueBucket } from './schema'
import type { SessionRecord } from './sessionRecord'
import type { ReportContext, ReportPage, ReportTruth } from './types'

/** What a report is built from: the truth of one closed session, its context and its day. */
export interface ClosedSession {
  truth: ReportTruth
  context: ReportContext
  /** UTC day of the session's start, `YYYY-MM-DD`: the only time the report carries. */
  day: string
  /** Time (ms) of the session's first event; stays on the device (the ledger), so no session is reported twice. */
  start: number
}

/** Input of {@link buildReportTruth}. */
export interface BuildReportTruthInput {
  /** Stored events, any order. */
  events: readonly StoredEvent[]
  /** The recorded decisions of the latest sessions (`readSessionRecords()`). */
  records: readonly SessionRecord[]
  /**
   * The context to report against when no decision was ever recorded (`SHIPPED_PACK_CONTEXT` while the shop
   * uses the shipped packs): the session then reports the cold-start default.
   * @default undefined (no report before a decision was recorded)
   */
  context?: ReportContext
  now: number
  /** @default DEFAULT_SESSION_GAP_MS */
  sessionGapMs?: number
}

/**
 * The truth of the latest **closed** session (its last event more than one session gap ago, so its outcome
 * is known), or `null` when there is none, or no decision was ever recorded and no `context` is given (no
 * pack context to report against). The segment leaves and the arm come from the decision recorded for that
 * session; a session without one (a cold start: fewer page views than a decision needs, such as a bounce)
 * has null leaves and arm `'none'`, against the newest record's packs (of a start no later than `now`), or `context`
 * when there is no such record (or, without `context`, a record of a later start: a clock that was ahead).
 * The outcome and the pages come from its events: ordered, the order-value bucket of its orders' total, and
 * its page views that carry a page key, in order (all of them: the page-value question asks about the whole
 * session; the page questions draw from the last `MAX_REPORT_PAGES`), each with whether the session
 * had that one page only (bounced), ended there (exited) and had an order after it. Stored data a report
 * cannot carry never makes it throw: a page key that is not 1–`MAX_PAGE_KEY_LENGTH` characters counts as none,
 * an order value that is not an amount capture accepts (0–`MAX_PRICE`) as 0, and a record that does not fit its packs is never used (its session
 * gives `null`). A record of packs no report can carry is used: `encodeReport()` refuses it, and the shop is told.
 *
 * @example
 * const closed = buildReportTruth({ events: await store.getEvents(), records: await readSessionRecords(store), now: Date.now() })
 */
export function buildReportTruth({ events, records, now, sessionGapMs = DEFAULT_SESSION_GAP_MS, ...input }: BuildReportTruthInput): ClosedSession | null {
  // The newest record's packs are the ones in use; `context` only stands in before any decision. A record this
  // version cannot report (old data, another version, a hand-written one) is passed over, never relied on. Nor is
  // one of a later start than now (recorded while the clock was ahead): it would stand as the packs in use until its
  // time came, whatever packs the shop moved to since; it only stands in when nothing else can.
  const context = records.find((r) => r.start <= now && reportable(r))?.context ?? input.context ?? records.find(reportable)?.context
  if (!context) return null
  const sessions = sessionize(events.filter((e) => e.ts <= now), sessionGapMs)
  let session: StoredEvent[] | undefined
  for (let i = sessions.length - 1; i >= 0 && !session; i--) {
    if (now - sessions[i][sessions[i].length - 1].ts > sessionGapMs) session = sessions[i]
  }
  if (!session) return null
  const start = session[0].ts
  const end = session[session.length - 1].ts
  const record = records.find((r) => r.start >= start && r.start <= end)
  // Its session is not reported (nothing is stored or spent): later sessions are.
  if (record && !reportable(record)) return null

  const orders = new Map<string, number>()
  const pageViews: { key?: unknown; ts: number }[] = []
  let lastOrderAt = -Infinity
  for (const event of session) {
    if (event.type === 'purchase') {
      // A value that is not an amount capture accepts (old or hand-written data: NaN, negative, past MAX_PRICE,
      // Infinity) counts as 0, never as the top bucket.
      const value = Math.max(0, event.value)
      orders.set(event.orderId, value <= MAX_PRICE ? value : 0)
      lastOrderAt = event.ts
    } else if (event.type === 'page_view') pageViews.push({ key: event.pageKey, ts: event.ts })
  }
  const ordered = orders.size > 0
  let total = 0
  for (const value of orders.values()) total += value

  const pages: ReportPage[] = []
  pageViews.forEach((view, i) => {
    // A key a report cannot carry (old or hand-written data) counts as none: that page is left out of the answers.
    if (!isReportPageKey(view.key)) return
    pages.push({ key: view.key, bounced: pageViews.length === 1, exited: i === pageViews.length - 1, orderFollowed: lastOrderAt >= view.ts })
  })

  return {
    truth: {
      segmentLeaf: record ? record.segmentLeaf : null,
      valueSegment: record ? record.valueSegment : null,
      ordered,
      orderValueBucket: ordered ? orderValueBucket(total) : 0,
      arm: record ? record.arm : 'none',
      pages,
      ...(record?.learn ? { learn: record.learn } : {}),
    },
    context: record ? record.context : context,
    day: utcDay(start),
    start,
  }
}

/**
 * Whether a recorded decision fits its own pack context, as a report needs. Packs no report can carry (more than
 * `MAX_LEAVES` labels, a pack id too long) are not bad data but the packs the page ran: such a record is used, and
 * `encodeReport()` refuses it with `report_out_of_range`, which the shop is told.
 */
function reportable({ context, ...record }: SessionRecord): boolean {
  try {
    checkContext(context.packId, context.segmentLeaves, context.valueLeaves, 'report_out_of_range')
  } catch {
    return true
  }
  try {
    checkTruth({ ...record, ordered: false, orderValueBucket: 0, pages: [] }, context)
    return true
  } catch {
    return false
  }
}
