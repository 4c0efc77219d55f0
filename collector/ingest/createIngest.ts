import { isReportEpsilon, toReportEpsilon } from '../../src/reports/lib/isReportEpsilon'
import { MAX_REPORT_AGE_DAYS } from '../../src/reports/schema'
import { addDays } from '../lib/addDays'
import { utcDay } from '../lib/utcDay'
import { SQL } from '../storage/sql'
import { sumPending } from '../storage/sumPending'
import type { Database, ReportGroup, SumRow } from '../storage/types'
import { addUpBodies } from './addUpBodies'
import { createReplayGuard, type ReplayGuard } from './createReplayGuard'
import type { IngestOutcome, ReportCodec } from './types'
import { unlessLate } from '../lib/unlessLate'

const DAY_MS = 86_400_000

/** Thrown to roll the health check's write back once it went through. */
const ROLL_BACK = Symbol('roll back')

/** Options of `createIngest`. */
export interface IngestOptions {
  /**
   * Days raw reports are kept for a re-estimate; 0 keeps none, only the daily sums.
   * @default 30
   */
  rawRetentionDays?: number
  /**
   * The ε the collector accepts; reports with another ε are refused (422 `report_epsilon`). Empty accepts any ε
   * the report format allows (each ε is summed and decoded apart).
   * @default []
   */
  epsilons?: readonly number[]
  /**
   * Oldest reported day accepted, in days before yesterday (a browser reports its previous session, and may have
   * been offline for a while; the extra day takes a report sent just before midnight UTC that arrives after it);
   * days after tomorrow are refused too. Browsers do not send sessions older than
   * MAX_REPORT_AGE_DAYS: a smaller value refuses some they send.
   * @default MAX_REPORT_AGE_DAYS (7)
   */
  maxAgeDays?: number
  /**
   * Most reports written in one transaction.
   * @default 5000
   */
  maxBatch?: number
  /**
   * Longest a report waits for its batch to be written, in milliseconds. Reports are beacons nobody waits on;
   * a fuller batch costs less per report.
   * @default 200
   */
  maxDelayMs?: number
  /**
   * Longest a report waits for its write, in ms, from when it is accepted: a database that took the connection and
   * went silent (a network that drops packets, a frozen host) would otherwise hold each report, and its HTTP
   * connection, for good. Past it, a report still waiting for its turn (behind the write under way) is refused
   * with 503 `storage_timeout`, taken off the queue and forgotten by the replay guard: it is never written. One
   * whose write was sent is left unanswered (`storage_unconfirmed`): the database may still store it, and a refusal
   * would be told to the shopper as a failure. Its write goes on and, when it lands, the report is stored once.
   * @default REPORT_TIMEOUT_MS (10 s)
   */
  writeTimeoutMs?: number
  /**
   * How long stored reports wait before they are added to the daily sums, in milliseconds. Adding to the sums
   * writes about a thousand counters (with 200 page keys) whatever the number of reports, so it runs at most
   * this often, over everything stored since; a stored report is never lost meanwhile (see `sumPending`), and
   * every read of the estimates sums what is pending first (`flush`), so no answer waits for this.
   * @default 5000
   */
  sumEveryMs?: number
  /**
   * Most reports this process stores per UTC day (by its clock, counted in memory from its start). Past it every
   * report is refused, unparsed, with 503 `reports_capped` and a Retry-After until midnight UTC; nothing stored
   * changes. Browsers send at most one report a day, so set it above the shop's consenting visitors a day; it
   * bounds what a flood from many addresses (which the per-address rate limit cannot stop) writes: raw reports,
   * and the sums they add to.
   * @default 200_000
   */
  maxReportsPerDay?: number
  /** Called the first time in a UTC day that `maxReportsPerDay` refuses a report, with that day. */
  onCapped?: (day: string) => void
  /**
   * Most new packs this process accepts reports of per UTC day (by its clock, counted in memory from its start).
   * A pack is a report's pack id with its leaf counts and ε; it is known when the daily sums already hold it
   * (read once, at the first report), when `knownPacks` lists it, or once this process accepted a report of it.
   * Past the cap, reports of a pack not known are refused with 503 `packs_capped` and a Retry-After until
   * midnight UTC, while reports of known packs are taken as before. Each pack adds its own rows to the daily
   * sums, which are kept for good: this bounds what a flood of made-up pack ids adds to them.
   * @default 10
   */
  maxNewPacksPerDay?: number
  /** Packs (pack id and leaf counts, any ε) always accepted: the shipped and the published ones. @default [] */
  knownPacks?: readonly PackContext[]
  /**
   * Reads the packs known besides `knownPacks` that may change while the process runs (those published in the
   * packs folder): read again before a report of a pack not otherwise known is refused past the cap (one read at a
   * time, shared by the reports waiting for it), so a pack published meanwhile is taken like the others. @default none
   */
  readKnownPacks?: () => Promise<readonly PackContext[]>
  /** Called the first time in a UTC day that `maxNewPacksPerDay` refuses a report, with that day. */
  onPacksCapped?: (day: string) => void
  /** The replay guard (one per process). @default a new one */
  replays?: ReplayGuard
  /**
   * Called when the database starts failing, once per run of failures: `'store'` (reports are refused with 503
   * `storage_failed` and the browsers' reports of those days are lost), `'sum'` (stored reports wait on the
   * unsummed list and are summed again every pass) or `'timeout'` (it does not answer: reports waiting past
   * `writeTimeoutMs` are refused with 503 `storage_timeout`, or left unanswered when their write was sent), with
   * the first error. @default none
   */
  onStorageFailed?: (what: StorageTrouble, error: unknown) => void
  /**
   * Called when storing or summing works again after `onStorageFailed`; for `'timeout'`, when a write or read of
   * the database is answered again, also when that answer is an error (then followed by `onStorageFailed('store')`
   * with it). @default none
   */
  onStorageRecovered?: (what: StorageTrouble) => void
  /** Clock. @default Date.now */
  now?: () => number
}

/**
 * What fails in a run of database failures (see `onStorageFailed`): storing reports, summing them, or any answer
 * within the report timeout.
 */
export type StorageTrouble = 'store' | 'sum' | 'timeout'

/** A report's pack: its pack id and leaf counts (the report group but its day and ε). */
export type PackContext = Pick<ReportGroup, 'packId' | 'segmentLeaves' | 'valueLeaves'>

const packKey = (p: PackContext) => `${p.packId}\u0000${p.segmentLeaves}\u0000${p.valueLeaves}`

/** The ingest stage: checks bodies, batches accepted reports and stores them with their sums. */
export interface Ingest {
  /** Checks one body from `client` (an address held in memory only) and, when accepted, stores it. */
  submit(client: string, text: string): Promise<IngestOutcome>
  /** Whether storing reports fails now (since the last write failed, until one succeeds). */
  storing(): 'ok' | 'failing'
  /**
   * While storing fails, tries the refused batch's write again, rolled back (so nothing is stored), and, when it
   * goes through, stores reports again, as a stored report would: without it, a replica its load balancer took out
   * for failing (so sent no report) would stay failing after the database is back. Resolves to what `storing` says then.
   */
  checkStoring(): Promise<'ok' | 'failing'>
  /** Waits for every accepted report to be stored. */
  flush(): Promise<void>
  /**
   * Stores and sums what is pending, like `flush`, and stops summing on a timer, also when this fails (what is
   * not summed stays on the unsummed list for the next start): call it before closing the database.
   */
  close(): Promise<void>
  /** Reports accepted and refused since start, by outcome code. */
  readonly counts: Readonly<Record<string, number>>
}

/**
 * How long a report waits for its write by default, in ms (`writeTimeoutMs`): a write takes milliseconds, and this
 * is well under the 60 s a shop's proxy commonly waits for an answer, so the collector lets go of the request first.
 */
export const REPORT_TIMEOUT_MS = 10_000

interface Pending<Parsed> {
  client: string
  /** The body as the replay check saw it and as it is stored (see {@link replayForm}). */
  seen: string
  report: Parsed
  group: ReportGroup
  done: (outcome: IngestOutcome) => void
  /** The day whose cap this report counts against (a failed write gives its place back). */
  counted: { stored: number }
  /** Set when its batch's write is sent: from then on, the report may be stored. */
  sent?: boolean
  /** Set when it waited past `writeTimeoutMs` before it was sent: it is never written. */
  dropped?: boolean
}

/**
 * One spelling of a body that parsed: a JSON object's fields sorted by name and written without spaces, so that
 * whitespace, another key order or a number written `2.0` do not make a report sent before a new one. It is also
 * what is stored: a repeated key, whitespace or key order cannot carry anything past the report's own fields.
 */
export function replayForm(text: string): string {
  return replayFormOf(JSON.parse(text))
}

function replayFormOf(value: unknown): string {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return JSON.stringify(value)
  const record = value as Record<string, unknown>
  return JSON.stringify(Object.fromEntries(Object.keys(record).sort().map((key) => [key, record[key]])))
}

/**
 * Creates the ingest stage. Accepted reports are written in batches (one statement per batch) so that thousands
 * per second cost few round trips; the request is answered only once its batch has committed. The daily sums
 * follow at most `sumEveryMs` later, from the stored reports (`sumPending`), so a crash in between loses
 * nothing: the next pass, in this process or another, adds them. A refused body changes nothing.
 *
 * @example
 * const ingest = createIngest(db, codec, { rawRetentionDays: 30 })
 * const outcome = await ingest.submit(address, await request.text())
 */
export function createIngest<Parsed>(db: Database, codec: ReportCodec<Parsed>, options: IngestOptions = {}): Ingest {
  const retention = options.rawRetentionDays ?? 30
  const epsilons = options.epsilons ?? []
  const maxAge = options.maxAgeDays ?? MAX_REPORT_AGE_DAYS
  const maxBatch = options.maxBatch ?? 5000
  const maxDelay = options.maxDelayMs ?? 200
  const writeTimeout = options.writeTimeoutMs ?? REPORT_TIMEOUT_MS
  const maxPerDay = options.maxReportsPerDay ?? 200_000
  const maxNewPacks = options.maxNewPacksPerDay ?? 10
  const shippedPacks = new Set((options.knownPacks ?? []).map(packKey))
  const sumEvery = options.sumEveryMs ?? 5000
  const replays = options.replays ?? createReplayGuard({ now: options.now })
  const now = options.now ?? Date.now
  const counts: Record<string, number> = {}
  let queue: Pending<Parsed>[] = []
  // Reports on the queue that waited past `writeTimeoutMs` (see `drop`).
  let dropped = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  // Group commit: one batch is written at a time; reports arriving meanwhile form the next one, so batches
  // grow with the load and each costs one transaction whatever its size.
  let writing: Promise<void> | undefined
  let summing: Promise<void> | undefined
  let sumTimer: ReturnType<typeof setTimeout> | undefined
  let sumError: unknown
  // Whether storing and summing are failing now: the operator is told when a run of failures starts and ends, not
  // at every report.
  const failing = { store: false, sum: false, timeout: false }
  // The days and bodies of the last batch the database refused: while storing fails, a health check writes them
  // again and rolls that back (see checkStoring).
  let refused: [string[], string[]] = [[], []]
  const failed = (what: StorageTrouble, error: unknown) => {
    // Once closing, a failure is close()'s to report, to its caller.
    if (failing[what] || closed) return
    failing[what] = true
    tell(() => options.onStorageFailed?.(what, error))
  }
  const worked = (what: StorageTrouble) => {
    if (!failing[what]) return
    failing[what] = false
    tell(() => options.onStorageRecovered?.(what))
  }

  // `wait`: for a read of the estimates, also wait for the reports another process is summing now (see sumPending).
  const runSums = (wait = false): Promise<void> => {
    if (sumTimer !== undefined) clearTimeout(sumTimer)
    sumTimer = undefined
    summing ??= sumPending(db, (bodies) => addUpBodies(codec, bodies), { dropRaw: retention === 0, wait }).then(
      () => {
        sumError = undefined
        summing = undefined
        worked('sum')
      },
      (error: unknown) => {
        // The reports stay on the unsummed list; the next pass takes them again.
        failed('sum', error)
        sumError = error
        summing = undefined
        scheduleSums()
      },
    )
    return summing
  }
  // Set by close(): no pass is started on a timer after it, so none queries a database closed after it.
  let closed = false
  const scheduleSums = () => {
    if (sumTimer !== undefined || closed) return
    sumTimer = setTimeout(() => void runSums(), sumEvery)
    sumTimer.unref?.()
  }

  // The accepted days change at UTC midnight only: worked out once a day, not for every report. `stored` counts
  // the reports of the day stored or on their way (a failed write takes them off again).
  let days = { from: 0, to: -1, today: '', oldest: '', newest: '', stored: 0, newPacks: 0, told: new Set<string>() }
  const acceptedDays = (time: number) => {
    if (time < days.from || time >= days.to) {
      const today = utcDay(time)
      const from = Date.parse(`${today}T00:00:00Z`)
      // A day of slack at each end: a report sent just before midnight UTC may arrive after it, and a browser's
      // clock may be a little off the collector's.
      days = { from, to: from + DAY_MS, today, oldest: addDays(today, -maxAge - 1), newest: addDays(today, 1), stored: 0, newPacks: 0, told: new Set<string>() }
    }
    return days
  }

  // The packs (with their ε) the sums hold, read once, at the first report, then kept in memory with those this
  // process accepts: no other report costs a query. A failed read is tried again by the next report.
  let knownPacks: Set<string> | undefined
  let readingPacks: Promise<Set<string>> | undefined
  const readKnownPacks = () =>
    (readingPacks ??= db.query<{ pack_id: string; epsilon: number; segment_leaves: number; value_leaves: number }>(SQL.readPacks).then(
      (rows) => {
        worked('timeout')
        const keys = rows.map((row) => `${packKey({ packId: row.pack_id, segmentLeaves: Number(row.segment_leaves), valueLeaves: Number(row.value_leaves) })}\u0000${Number(row.epsilon)}`)
        return (knownPacks ??= new Set(keys))
      },
      (error: unknown) => {
        readingPacks = undefined
        // As a write's error: answered, with a refusal (also when the report that asked was let go past the timeout).
        worked('timeout')
        failed('store', error)
        throw error
      },
    ))

  // The packs published now, read again only when a report of an unknown pack would be refused past the cap.
  let readingPublished: Promise<void> | undefined
  const isPublished = async (group: PackContext) => {
    if (!options.readKnownPacks) return false
    await (readingPublished ??= options
      .readKnownPacks()
      .then((packs) => packs.forEach((pack) => shippedPacks.add(packKey(pack))), () => {})
      .finally(() => (readingPublished = undefined)))
    return shippedPacks.has(packKey(group))
  }

  // A report that waited past `writeTimeoutMs` for the database: one run of them is told once, like a failure.
  const timedOut = () => failed('timeout', new Error(`no answer within ${writeTimeout} ms`))

  const finish = (outcome: IngestOutcome): IngestOutcome => {
    counts[outcome.code] = (counts[outcome.code] ?? 0) + 1
    return outcome
  }

  // A daily cap's refusal: 503 with a Retry-After until midnight UTC; the operator is told once a day per cap.
  const refuseForToday = (today: typeof days, time: number, code: 'reports_capped' | 'packs_capped', tell?: (day: string) => void) => {
    if (!today.told.has(code)) {
      today.told.add(code)
      tell?.(today.today)
    }
    return finish({ status: 503, code, retryAfter: Math.max(1, Math.ceil((today.to - time) / 1000)) })
  }

  const write = async (batch: Pending<Parsed>[]) => {
    try {
      // One statement: the batch is durable when it returns, and only then acknowledged.
      await db.query(SQL.insertUnsummedReports, [batch.map((item) => item.group.day), batch.map((item) => item.seen)])
      for (const item of batch) item.done({ status: 202, code: 'accepted' })
      worked('timeout')
      worked('store')
      scheduleSums()
    } catch (error) {
      // An error is an answer too: a database that held the write past the timeout and then refused it (a statement
      // cancelled, a lock that timed out) no longer keeps reports waiting, it refuses them. The operator is told
      // both, in that order: the run of reports waiting past the timeout ends, the run of refusals starts.
      worked('timeout')
      failed('store', error)
      refused = [batch.map((item) => item.group.day), batch.map((item) => item.seen)]
      for (const item of batch) {
        item.counted.stored--
        replays.forget(item.client, item.seen)
        item.done({ status: 503, code: 'storage_failed' })
      }
    }
  }

  // A report refused for waiting too long is taken off the queue before the write under way returns, which a silent
  // database may put off for minutes or for good: every report refused meanwhile would otherwise stay in memory. Once
  // they are half the queue, so that each costs the same whatever its length.
  const drop = (item: Pending<Parsed>) => {
    item.dropped = true
    if (++dropped * 2 < queue.length) return
    queue = queue.filter((queued) => !queued.dropped)
    dropped = 0
  }

  const startBatch = () => {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    if (dropped) queue = queue.filter((item) => !item.dropped)
    dropped = 0
    if (writing || queue.length === 0) return
    const batch = queue.splice(0, maxBatch)
    for (const item of batch) item.sent = true
    writing = write(batch).then(() => {
      writing = undefined
      startBatch()
    })
  }

  const ingest: Ingest = {
    async submit(client, text) {
      // Waits for the packs the sums hold the first time only, before any check: the checks and the counts
      // below then run without a pause between them.
      let known = knownPacks
      if (!known) {
        try {
          // Bounded as a write is: the report is not queued yet, so past the bound it is refused, never written.
          const read = await unlessLate(readKnownPacks(), writeTimeout)
          if (read === 'late') {
            timedOut()
            return finish({ status: 503, code: 'storage_timeout' })
          }
          known = read
        } catch {
          // Told to the operator by readKnownPacks().
          return finish({ status: 503, code: 'storage_failed' })
        }
      }
      const time = now()
      const today = acceptedDays(time)
      if (today.stored >= maxPerDay) {
        return refuseForToday(today, time, 'reports_capped', options.onCapped)
      }
      // Read once here: the ε is checked before the report is decoded, and the replay check spells it from this.
      let value: unknown
      try {
        value = JSON.parse(text)
      } catch {}
      // A report of another ε is refused before it is decoded: decoding works out the mechanism of its question,
      // leaf counts and ε and keeps it for the process's life, so bodies naming every ε a report may carry would
      // otherwise fill memory with mechanisms no accepted report uses. An ε no report may carry is left to the
      // decoder, which refuses it first.
      const eps = (value as { eps?: unknown } | null | undefined)?.eps
      if (epsilons.length > 0 && isReportEpsilon(eps) && !epsilons.includes(toReportEpsilon(eps))) {
        return finish({ status: 422, code: 'report_epsilon' })
      }
      let report: Parsed
      try {
        report = codec.parse(text)
      } catch (error) {
        const code = (error as { code?: unknown }).code
        if (code === 'report_malformed') return finish({ status: 400, code })
        return finish({ status: 422, code: typeof code === 'string' ? code : 'report_invalid' })
      }
      const group = codec.groupOf(report)
      const { oldest, newest } = today
      if (group.day < oldest || group.day > newest) {
        return finish({ status: 422, code: 'report_day' })
      }
      if (epsilons.length > 0 && !epsilons.includes(group.epsilon)) return finish({ status: 422, code: 'report_epsilon' })
      if (!shippedPacks.has(packKey(group))) {
        const key = `${packKey(group)}\u0000${group.epsilon}`
        if (!known.has(key)) {
          if (today.newPacks >= maxNewPacks) {
            // A pack published since the start is known: the report goes through the checks again, without a pause.
            if (await isPublished(group)) return ingest.submit(client, text)
            return refuseForToday(today, time, 'packs_capped', options.onPacksCapped)
          }
          today.newPacks++
          known.add(key)
        }
      }
      const seen = replayFormOf(value)
      if (!replays.admit(client, seen)) return finish({ status: 409, code: 'report_replayed' })
      return new Promise<IngestOutcome>((resolve) => {
        // Answered once: by its write, or by the timeout, whichever comes first (a write that lands after the
        // timeout stores the report all the same, unanswered).
        let answered = false
        const done = (outcome: IngestOutcome) => {
          if (answered) return
          answered = true
          clearTimeout(waited)
          resolve(finish(outcome))
        }
        const item: Pending<Parsed> = { client, seen, report, group, done, counted: today }
        const waited = setTimeout(() => {
          timedOut()
          if (item.sent) return done({ status: 'unanswered', code: 'storage_unconfirmed' })
          drop(item)
          today.stored--
          replays.forget(client, seen)
          done({ status: 503, code: 'storage_timeout' })
        }, writeTimeout)
        today.stored++
        queue.push(item)
        if (writing) return
        if (queue.length >= maxBatch) startBatch()
        else if (timer === undefined) timer = setTimeout(startBatch, maxDelay)
      })
    },
    storing: () => (failing.store ? 'failing' : 'ok'),
    async checkStoring() {
      if (!failing.store) return 'ok'
      // The write that was refused, rolled back: a full disk still lets a small row be rewritten where it is (a
      // setting), or a few rows go where pages have room, but not the reports' tables grow by a batch, so only this
      // says whether the reports would be stored. Never committed, so never read or summed.
      try {
        await db.transaction(async (tx) => {
          await tx.query(SQL.insertUnsummedReports, refused)
          throw ROLL_BACK
        })
      } catch (error) {
        if (error !== ROLL_BACK) return 'failing'
      }
      worked('store')
      return 'ok'
    },
    async flush() {
      startBatch()
      while (writing) await writing
      if (summing) await summing
      await runSums(true)
      if (sumError) throw sumError
    },
    async close() {
      closed = true
      try {
        await this.flush()
      } finally {
        if (sumTimer !== undefined) clearTimeout(sumTimer)
        sumTimer = undefined
      }
    },
    counts,
  }
  return ingest
}

/** Adds a batch up per report group: one SumRow per (group, counter). */
export function addUp<Parsed>(codec: ReportCodec<Parsed>, batch: readonly { report: Parsed; group: ReportGroup }[]): SumRow[] {
  const groups = new Map<string, { group: ReportGroup; reports: Parsed[] }>()
  for (const item of batch) {
    const g = item.group
    const key = `${g.day}\u0000${g.packId}\u0000${g.epsilon}\u0000${g.segmentLeaves}\u0000${g.valueLeaves}`
    let entry = groups.get(key)
    if (!entry) groups.set(key, (entry = { group: g, reports: [] }))
    entry.reports.push(item.report)
  }
  const rows: SumRow[] = []
  for (const { group, reports } of groups.values()) {
    for (const [counter, value] of codec.addUp(group, reports)) if (value !== 0) rows.push({ ...group, counter, value })
  }
  return rows
}

/** Runs the shop's storage hook: one that throws changes nothing of what ingest does. */
function tell(hook: () => void): void {
  try {
    hook()
  } catch {
    // Ingest goes on as it would without the hook.
  }
}
