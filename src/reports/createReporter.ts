import type { ErrorReporter } from '../errors'
import { SegletError } from '../errors'
import type { StoredEvent } from '../events/types'
import type { Consent, PrivacySignalSource } from '../privacy'
import { hasGlobalPrivacyControl } from '../privacy/lib/hasGlobalPrivacyControl'
import { buildReportTruth } from './buildReportTruth'
import { encodeReport } from './encodeReport'
import type { ReportEntry } from './ledger'
import { addToLedger, isDaySpent, LEDGER_META_KEY, moveLaterDays, readLedger, utcDay } from './ledger'
import type { ReportOptions } from './options'
import { readReportOptions } from './options'
import { ALL_QUESTIONS, MAX_REPORT_AGE_DAYS } from './schema'
import { sendReport } from './sendReport'
import { SHIPPED_PACK_CONTEXT } from './shippedPackContext'
import { readSessionRecords } from './sessionRecord'
import { loadValuePages } from './loadValuePages'
import { webLocks } from '../lib/webLocks'

/** What the reporter needs from the running Seglet. */
export interface ReporterContext {
  /** The Seglet store: events, the recorded decisions and the ledger. */
  store: {
    readonly mode: 'indexeddb' | 'memory'
    getEvents(): Promise<StoredEvent[]>
    getMeta(key: string): Promise<unknown>
    /** Resolves to whether the value is stored in IndexedDB (not kept by this page only). */
    setMeta(key: string, value: unknown): Promise<boolean>
  }
  /**
   * The Seglet options: `reports`, `features.sessionGapMs` so reports split sessions as the features do, and
   * `capture.pageStatsUrl`/`pageStatsIntegrity`, whose table lists the pages the page-value question asks about;
   * `model`, whose packs a session without a recorded decision is reported against: without the shop's own or
   * signed packs, the shipped ones, known without loading the model part.
   */
  options: {
    reports?: ReportOptions
    features?: { sessionGapMs?: number }
    capture?: { pageStatsUrl?: string; pageStatsIntegrity?: string }
    model?: { sessionPackUrl?: string; lifetimePackUrl?: string; packKey?: string }
  }
  /** Where failures go, once each kind per page. */
  report: ErrorReporter
  /** The consent in effect. */
  getConsent: () => Consent
  /**
   * A number that changes whenever what is pending must be dropped (`forget()`, consent withdrawn): a report
   * prepared under another number is not sent.
   */
  getEpoch: () => number
  /**
   * Source of the current time.
   * @default Date.now
   */
  now?: () => number
}

/** Sends the day's private report of a running Seglet. */
export interface Reporter {
  /**
   * Sends one report when one is due: consent granted, Global Privacy Control off, events persisted, the
   * day's privacy budget not spent, and a closed session not reported yet. Never rejects; failures are
   * reported once through `onError`. Resolves when done (sent, or nothing to send).
   */
  run(): Promise<void>
  /**
   * Runs again if the epoch is still `epoch`: the next UTC day's attempt of a page left open across midnight
   * (see `wakeNextDay`).
   */
  wake(epoch: number): void
}

/** Name of the Web Lock that keeps two tabs from spending one day's budget twice. */
export const REPORT_LOCK = 'seglet-report'

/**
 * Creates the reporter. `run()` checks every rule again right before the ledger is written and before
 * the report leaves, so a `forget()` or a withdrawn consent in between drops it.
 *
 * @example
 * const reporter = createReporter({ store, options: { reports: { endpoint: '/seglet/reports' } }, report, getConsent, getEpoch })
 * await reporter.run()
 */
export function createReporter(ctx: ReporterContext): Reporter {
  const { store, report } = ctx
  const now = ctx.now ?? Date.now
  const reported = new Set<string>()
  let running: Promise<void> | undefined
  // The UTC day whose report was sent (or whose budget another page spent): nothing more to do until the next.
  let doneDay: string | undefined
  // A ledger this page could not store (a full quota): it sends nothing more, since it could not spend a budget.
  let unstored = false
  let timer: ReturnType<typeof setTimeout> | undefined

  const reportOnce = (error: SegletError) => {
    if (reported.has(error.code)) return
    reported.add(error.code)
    report(error)
  }
  const nav = () => (typeof navigator !== 'undefined' ? (navigator as PrivacySignalSource) : undefined)
  const allowed = () => ctx.getConsent() === 'granted' && !hasGlobalPrivacyControl(nav()) && store.mode === 'indexeddb'

  const attempt = async () => {
    if (unstored || doneDay === utcDay(now()) || !allowed()) return
    const epoch = ctx.getEpoch()
    const live = () => ctx.getEpoch() === epoch && allowed()
    const settings = readReportOptions(ctx.options.reports!)
    await withLock(async () => {
      const time = now()
      const today = utcDay(time)
      const ledger = await readLedger(store, time)
      // A last report of unknown time: the time read in its place holds from now on (see readLedger).
      if (ledger.unread && live()) {
        delete ledger.unread
        await store.setMeta(LEDGER_META_KEY, ledger)
      }
      if (isDaySpent(ledger, today)) {
        doneDay = today
        // A clock moved back: a later day's report counts as today's, and from tomorrow on the budget is there again.
        const moved = moveLaterDays(ledger, today, time)
        if (moved && live()) await store.setMeta(LEDGER_META_KEY, moved)
        return
      }
      const [events, records] = await Promise.all([store.getEvents(), readSessionRecords(store)])
      const model = ctx.options.model ?? {}
      // A first visit of one page (a bounce) never loads the model part, so nothing is recorded for it: with the
      // shipped packs in use it is still reported, as a cold start. Leaving bounces out would bias every rate.
      const shipped = !model.sessionPackUrl && !model.lifetimePackUrl && !model.packKey
      const closed = buildReportTruth({ events, records, now: time, sessionGapMs: ctx.options.features?.sessionGapMs, context: shipped ? SHIPPED_PACK_CONTEXT : undefined })
      // A session older than the collector accepts would spend the day's budget on a report it refuses.
      // Nor is a session reported twice: one reported under a clock that was ahead comes back when its time comes.
      if (!closed || (ledger.last && closed.start <= ledger.last.sessionStart) || closed.start === ledger.ahead || closed.day < utcDay(time - MAX_REPORT_AGE_DAYS * 86_400_000)) return
      const valuePages = await loadValuePages(store, ctx.options.capture, reportOnce)
      const body = encodeReport(closed.truth, closed.context, { epsilon: settings.epsilonPerDay, day: closed.day, learnShare: settings.learnShare, valuePages })
      const question = ALL_QUESTIONS.find((q) => q.code === body.q)!.id
      if (!live()) return
      // The budget is spent before the report leaves: a page closing mid-send never spends it twice. Only a ledger
      // stored spends it: one this page keeps in memory (a full quota) is not seen by another tab or the next page
      // that day, which would send a second report. Then this page sends nothing more (its later spends could not be
      // stored either), and the ledger read is put back: the page's privacy panel, which reads the one kept in memory
      // where none is stored, tells of no report and no budget spent.
      const last: ReportEntry = { sentDay: today, sessionDay: closed.day, sessionStart: closed.start, epsilon: settings.epsilonPerDay, question, sending: time }
      const written = addToLedger(ledger, last)
      const stored = await store.setMeta(LEDGER_META_KEY, written)
      if (!live()) return
      doneDay = today
      if (!stored) {
        unstored = true
        await store.setMeta(LEDGER_META_KEY, ledger)
        throw new Error("the day's privacy budget could not be stored")
      }
      // Stored as being sent until the send settles: the privacy panel of every tab tells a send that never settles,
      // or whose outcome could not be stored, as not confirmed, never as delivered. So is one that got no answer at
      // once (a network error, or the page's leaving cut it short, which rejects although the shop may have it: never
      // told as undelivered); one the shop answered with an error failed. Either keeps the day's budget spent (a
      // second report could tell more). Nothing is stored again after a forget() or a withdrawn consent.
      // onError is told the same: `report_unconfirmed` for no answer, `report_failed` for an error answer.
      const error = await sendReport(settings.href, body).then(
        () => void delete last.sending,
        (reason: unknown) =>
          reason instanceof TypeError
            ? ((last.sending = 0), new SegletError('report_unconfirmed', `The private report got no answer, so its delivery is not confirmed: ${reason.message}`, { cause: reason }))
            : ((last.failed = true), reason),
      )
      if (live()) await store.setMeta(LEDGER_META_KEY, written).catch(() => undefined)
      if (error) throw error
    })
  }

  const reporter: Reporter = {
    run() {
      running ??= attempt()
        .catch((error: unknown) => {
          reportOnce(error instanceof SegletError ? error : new SegletError('report_failed', `The private report could not be sent: ${error instanceof Error ? error.message : String(error)}`, { cause: error }))
        })
        .finally(() => {
          running = undefined
          // A page left open (an SPA, a background tab) tries again on the next UTC day, as a new page would;
          // under the epoch of the latest run (a consent manager that grants again starts a new one).
          clearTimeout(timer)
          timer = allowed() ? wakeNextDay(reporter, ctx.getEpoch(), now()) : undefined
        })
      return running
    },
    wake(epoch) {
      timer = undefined
      if (ctx.getEpoch() === epoch) void reporter.run()
    },
  }
  return reporter
}

// ES2021 (Chrome 84, Safari 14.1, Firefox 79), past the ES2020 the package targets: looked up before use.
declare const WeakRef: undefined | (new <T extends object>(target: T) => { deref(): T | undefined })

/** Latest start of the next day's attempt after midnight UTC, so open pages do not all send at 00:00. */
export const NEXT_DAY_SPREAD_MS = 15 * 60_000

/**
 * Wakes `reporter` a little after the next midnight UTC, holding it only weakly (and nothing else of the page's
 * Seglet, as this function closes over its arguments only): a destroyed Seglet is not kept in memory until then,
 * and `forget()`, a consent change or `destroy()` in between (a new epoch) cancels the wake. Without `WeakRef`
 * (browsers before 2021) the page waits for the next page load, as before.
 */
function wakeNextDay(reporter: Reporter, epoch: number, time: number): ReturnType<typeof setTimeout> | undefined {
  if (typeof WeakRef === 'undefined') return undefined
  const ref = new WeakRef(reporter)
  return setTimeout(() => ref.deref()?.wake(epoch), 86_400_000 - (time % 86_400_000) + Math.random() * NEXT_DAY_SPREAD_MS)
}

/**
 * Runs `task` holding the report lock when no other tab holds it; else skips it. Without Web Locks (a page not
 * served over HTTPS, a browser before 2022) it is skipped too: two tabs could read the ledger at once and both
 * spend the day.
 */
async function withLock(task: () => Promise<void>): Promise<void> {
  const locks = webLocks()
  if (!locks) return
  await locks.request(REPORT_LOCK, { ifAvailable: true }, (lock) => (lock ? task() : undefined))
}
