import { createHash } from 'node:crypto'
import { readFile, readdir, stat, unlink, utimes } from 'node:fs/promises'
import { join } from 'node:path'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { getRequestListener, RequestError, type HttpBindings } from '@hono/node-server'
import { Hono, type Context } from 'hono'
import { dashboardAsset } from '../dashboard/dashboardAsset'
import { pageStatsFile, type PageStatsFile } from '../estimates/pageStatsFile'
import type { Estimator } from '../estimates/types'
import { createIngest, type Ingest, type PackContext, type StorageTrouble } from '../ingest/createIngest'
import { createClientLimiter } from '../ingest/createClientLimiter'
import { isCrossSite } from '../ingest/isCrossSite'
import { addDays } from '../lib/addDays'
import { writeFileAtomic } from '../lib/writeFileAtomic'
import { makeFolder } from '../lib/makeFolder'
import { utcDay } from '../lib/utcDay'
import { purgeReports } from '../storage/purgeReports'
import { readSums } from '../storage/readSums'
import { storeOf, trainingStatus } from '../learn/trainingStatus'
import { SQL } from '../storage/sql'
import type { Database } from '../storage/types'
import { clientAddress } from './clientAddress'
import { isAllowedHost, isFromThisMachine } from './isAllowedHost'
import { toAllowedHost } from '../lib/toAllowedHost'
import { gzipAnswer } from './gzipAnswer'
import { readPageKeyLists } from './pageKeyLists'
import { readPublishedFile } from '../packs/readPublishedFile'
import { readPublishedPacks } from '../packs/readPublishedPacks'
import { readManifestExpiry, shownFolder } from '../packs/manifestExpiry'
import { packContexts } from '../estimates/packLeafNames'
import { answerReport, refusalBody } from './answerReport'
import { toReportEpsilon } from '../../src/reports/lib/isReportEpsilon'
import { isCanonicalPath } from './isCanonicalPath'
import { isCrossSiteRead } from './isCrossSiteRead'
import { SECURITY_HEADER_LIST, SECURITY_HEADERS } from './securityHeaders'
import { isDiskFull } from '../lib/isDiskFull'
import { toCurrency } from '../lib/toCurrency'
import { unlessLate } from '../lib/unlessLate'

/** Options of `createCollector`; the command line fills them (see `collector --help`). */
export interface CollectorOptions {
  /** Days raw reports are kept for a re-estimate (0: none). @default 30 */
  rawRetentionDays?: number
  /** The ε in force: reports with another ε are refused. @default 2 */
  epsilon?: number
  /** Days the insights and the page-statistics table cover, ending today. @default 28 */
  windowDays?: number
  /**
   * The ISO 4217 code of the shop's order values (`EUR`): insights.json says it as `currency`, and the dashboard
   * writes money in it. A code that is none throws a `CollectorError`. @default none (money as plain figures)
   */
  currency?: string
  /** Reports one client address may send per minute, and at once. @default { perMinute: 60, burst: 20 } */
  rateLimit?: { perMinute?: number; burst?: number }
  /**
   * Largest body accepted, in bytes; a report declaring more with `Expect: 100-continue` is refused `413` without
   * `100 Continue`, so its body is never sent (`createCollectorServer` leaves that to `listener`). @default 512
   */
  maxBodyBytes?: number
  /** Most reports stored per UTC day by this process; past it, 503 with Retry-After (see `createIngest`). @default 200_000 */
  maxReportsPerDay?: number
  /** Called the first time in a UTC day that `maxReportsPerDay` refuses a report. @default none */
  onReportsCapped?: (day: string) => void
  /** New packs (pack ids with their leaf counts) accepted per UTC day by this process; past it, 503 with Retry-After (see `createIngest`). @default 10 */
  maxNewPacksPerDay?: number
  /**
   * Packs always accepted, whatever `maxNewPacksPerDay`: the shipped and published ones (see `packContexts`). The
   * insights and the page-statistics table follow the one of these, of `packs` and of the packs `packsDir` holds
   * at the time with the most reports, ahead of any other pack id. @default []
   */
  knownPacks?: readonly PackContext[]
  /**
   * Model packs (parsed JSON) browsers may use besides the ones `packsDir` holds (the shipped ones): combined with
   * those as browsers combine them (see `packContexts`), their pack ids are known, like `knownPacks`. The insights
   * and the page-statistics table follow the known pack with the most reports; reports of other pack ids only
   * while no known pack has any (see `createReportEstimator`). @default []
   */
  packs?: readonly unknown[]
  /** Called the first time in a UTC day that `maxNewPacksPerDay` refuses a report. @default none */
  onPacksCapped?: (day: string) => void
  /** The shop's public origins, when the collector sits behind a proxy under another host name. @default [] */
  allowedOrigins?: readonly string[]
  /**
   * Host names (`Host` headers, any port) answered besides the loopback ones (`localhost`, `*.localhost`, `127.x.x.x`,
   * `[::1]`); `['*']`: any. A request naming another host is refused `421 {"error":"misdirected_request"}` before any
   * route: a page of another site whose name it made resolve to 127.0.0.1 (DNS rebinding) would otherwise read the
   * insights and the dashboard, post reports and rewrite the table as if it were the collector's own origin. Empty,
   * the check applies only to a request that came from this machine (see `isFromThisMachine`: over a loopback
   * connection, the collector listening on 127.0.0.1, `::1` or `localhost`; or, listening on all addresses, at any
   * address of this machine) without `trustProxy`, and a `Host` naming the address it reached (`10.0.0.5`) is taken
   * too. @default []
   */
  allowedHosts?: readonly string[]
  /**
   * Read the client address from X-Forwarded-For (only behind the shop's own proxies): `true` behind one proxy, or
   * the number of proxies in front (2 for a CDN before a load balancer; see `clientAddress`). @default false
   */
  trustProxy?: boolean | number
  /** Folder the page-statistics table is written to; none when unset. @default undefined */
  pageStatsDir?: string
  /**
   * Days a table under its own name is kept once the pointer names another: as long as a page rendered from the
   * older pointer may still load it (the shop's HTML cache, then up to a day for the report part). @default 2
   */
  pageStatsKeepDays?: number
  /**
   * Folder `publish-pack` writes signed packs to, served at `/seglet/packs.manifest` and `/seglet/<kind>-v<n>.json`;
   * `insights.json` says when its manifest expires (`manifest`). @default undefined (not served)
   */
  packsDir?: string
  /**
   * Fewest training answers a retrain fits from, as the shop runs `retrain --min-answers`: `insights.json`'s
   * `training` and the dashboard say whether a retrain would fit now by it. @default MIN_TRAINING_ANSWERS (20,000)
   */
  minTrainingAnswers?: number
  /**
   * A line the dashboard shows as a banner under its title, and `insights.json` carries as `notice`: what its
   * figures are when they are not a shop's (the simulation's preview says they are simulated). A function is called
   * at each read, for a line that changes while the collector runs (the preview's, once its retrain has run). @default none
   */
  notice?: string | (() => string | undefined)
  /** Ingest batching (see `createIngest`). @default {} */
  batch?: { maxBatch?: number; maxDelayMs?: number }
  /** Clock. @default Date.now */
  now?: () => number
  /**
   * Called with what went wrong when a request is answered `500 {"error":"internal"}` (the database down, a full
   * disk), and the request's method and path (never its body, query or address): the operator's only account of it.
   * @default writes `seglet collector: <method> <path> failed: <error>` and the stack to `console.error`
   */
  onRequestError?: (error: unknown, request: string) => void
  /**
   * Called when the database starts failing to store reports (`'store'`: they are refused with 503), to sum them
   * (`'sum'`: they wait and are summed again) or to answer within `reportTimeoutMs` (`'timeout'`: reports are
   * refused `503 storage_timeout` or left unanswered), once per run of failures (see `createIngest`).
   * @default writes one line to `console.error`
   */
  onStorageFailed?: (what: StorageTrouble, error: unknown) => void
  /**
   * Called when storing or summing works again, or the database answers again, after `onStorageFailed`. An answer
   * that is an error ends a `'timeout'` run too: `onStorageFailed('store', error)` follows it.
   * @default writes one line to `console.error`
   */
  onStorageRecovered?: (what: StorageTrouble) => void
  /**
   * How long `/seglet/health` waits for the database, in ms (`--health-timeout`), before it answers `503 {"error":"storage_timeout"}`: a
   * database that took the connection and went silent (a network that drops packets) would otherwise hold the
   * check until the load balancer's own timeout. @default HEALTH_TIMEOUT_MS
   */
  healthTimeoutMs?: number
  /**
   * Longest a report waits for its write, in ms (`--report-timeout`; see `createIngest`'s `writeTimeoutMs`): past it, a report not yet
   * sent to the database is refused `503 {"error":"storage_timeout"}` (never written), and one whose write was sent
   * has its connection closed without an answer (its write may still land: stored once if it does). A database that
   * went silent then no longer holds a connection per report, up to the server's `maxConnections`. @default REPORT_TIMEOUT_MS
   */
  reportTimeoutMs?: number
  /**
   * Longest a dashboard read waits for the database, in ms (`--read-timeout`): `insights.json`, and the
   * page-statistics table when it is computed for the request (its `GET` before the first table, its `POST`). Past
   * it the read is answered `503 {"error":"storage_timeout"}` with a `Retry-After`, and while it still waits, later
   * reads are answered so at once, sending the database nothing more: a database that went silent would otherwise
   * hold each dashboard load, and a connection of the pool per load, until it answers. What waits goes on, and a
   * table it was rewriting is written once the database answers; a rewrite (`POST`) answered at once meanwhile is
   * made once the read that waits ends. @default READ_TIMEOUT_MS
   */
  readTimeoutMs?: number
}

/** A running collector's parts: the HTTP handler and the jobs the scheduler calls. */
export interface Collector {
  app: Hono<{ Bindings: HttpBindings }>
  /** The Node.js request listener to serve (`http.createServer(collector.listener)`): the app, with reports answered directly. */
  listener: (req: IncomingMessage, res: ServerResponse) => void
  ingest: Ingest
  /** Recomputes the page-statistics table (and writes it to `pageStatsDir`). */
  regeneratePageStats(): Promise<PageStatsFile>
  /** Drops raw reports past the retention. */
  purge(): Promise<void>
  /** Waits for a running purge or rewrite and stores what is pending; call before closing the database. */
  close(): Promise<void>
}

export const REPORTS_PATH = '/seglet/reports'
export const INSIGHTS_PATH = '/seglet/insights.json'
export const PAGE_STATS_PATH = '/seglet/page-stats.json'
export const DASHBOARD_PATH = '/seglet/dashboard'
/** For a container's or load balancer's health check: `200` while the database answers and stores reports. */
export const HEALTH_PATH = '/seglet/health'

/**
 * How long the health check waits for the database, in ms, before it says `503 storage_timeout`: a ping takes a few
 * ms, and this is under the 5 s most load balancers give a check (give it more than this: a Kubernetes probe's
 * `timeoutSeconds: 3`), so the replica is taken out on the collector's word, not on a check that timed out.
 */
export const HEALTH_TIMEOUT_MS = 2_000

/**
 * How long a dashboard read waits for the database by default, in ms (`readTimeoutMs`): the insights of a long
 * window take a second or two, and this is well under the 60 s a shop's proxy commonly waits for an answer, so the
 * collector, not the proxy, says what happened.
 */
export const READ_TIMEOUT_MS = 20_000

/**
 * A dashboard read whose first step, summing the reports stored since the last pass, failed: answered
 * `503 {"error":"storage_failed","message":…}` (see {@link summingFailedMessage}). Figures without those reports
 * would be short of reports the collector acknowledged, with nothing in them to say so.
 */
class SummingFailed extends Error {
  // The database's own words: a rewrite on a timer that fails so is logged as it was before (see main's jobFailure).
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause })
  }
}

/** What a read is answered when the stored reports cannot be summed: a full disk (SQLSTATE 53100) said as such. */
function summingFailedMessage(cause: unknown): string {
  const after = 'no stored report is lost: the figures are shown again, with every report in them, once it can sum them'
  return isDiskFull(cause)
    ? `the database's disk is full, so the reports stored since the figures were last summed cannot be added to them: free space on the database's disk; ${after}`
    : `the database cannot sum the reports stored since the figures were last summed (the collector's log says why): check that it is up and can write, and that its disk is not full; ${after}`
}

/** What a dashboard read past `readTimeoutMs` is answered, for the operator reading the JSON. */
const READ_TIMEOUT_MESSAGE = 'the database did not answer in time: the figures could not be read; try again later, and check that the database is up and reachable'

/**
 * Creates the collector: the report endpoint, the insights, the page-statistics table and the dashboard, over one
 * database and one estimator. No route reads or sets a cookie, and no client address reaches the database.
 * Run `reestimate` on the database first when the estimator's page keys may have changed.
 *
 * @example
 * const collector = createCollector(db, createReportEstimator({ pageKeys: ['home', 'product/mug'] }), { epsilon: 2 })
 * http.createServer(collector.listener).listen(8787, '127.0.0.1')
 */
export function createCollector<Parsed>(db: Database, estimator: Estimator<Parsed>, options: CollectorOptions = {}): Collector {
  const now = options.now ?? Date.now
  // Exactly its hundredths, as the pages send it (0.7 × 3 is 2.0999999999999996; reports carry 2.1).
  const epsilon = toReportEpsilon(options.epsilon ?? 2)
  const rawRetentionDays = options.rawRetentionDays ?? 30
  const windowDays = options.windowDays ?? 28
  const currency = options.currency === undefined ? undefined : toCurrency(options.currency)
  const maxBodyBytes = options.maxBodyBytes ?? 512
  const allowedOrigins = options.allowedOrigins ?? []
  const trustProxy = options.trustProxy ?? false
  const allowedHosts = (options.allowedHosts ?? []).map(toAllowedHost)
  const anyHost = allowedHosts.includes('*')
  const onRequestError = options.onRequestError ?? logRequestError
  const keepTablesMs = (options.pageStatsKeepDays ?? DEFAULT_PAGE_STATS_KEEP_DAYS) * 86_400_000
  const limiter = createClientLimiter({ ...options.rateLimit, now })
  const ingest = createIngest(db, estimator, {
    rawRetentionDays,
    epsilons: [epsilon],
    maxReportsPerDay: options.maxReportsPerDay,
    onCapped: options.onReportsCapped,
    maxNewPacksPerDay: options.maxNewPacksPerDay,
    knownPacks: options.knownPacks,
    // Those published while it runs too: a retrain publishes the shop's next pack without a restart.
    readKnownPacks: options.packsDir === undefined ? undefined : async () => packContexts([...(options.packs ?? []), ...(await readPublishedPacks(options.packsDir!))]),
    onPacksCapped: options.onPacksCapped,
    onStorageFailed: options.onStorageFailed ?? logStorageFailed,
    onStorageRecovered: options.onStorageRecovered ?? logStorageRecovered,
    now,
    writeTimeoutMs: options.reportTimeoutMs,
    ...options.batch,
  })
  const endpoint = { allowedOrigins, maxBodyBytes }
  let pageStats: PageStatsFile | undefined

  const query = async () => {
    // Reads see every acknowledged report: what is stored but not yet summed is summed first. A database that cannot
    // (a full disk) gets the read answered 503 `storage_failed`, not figures that leave some reports out.
    await ingest.flush().catch((error: unknown) => {
      throw new SummingFailed(error)
    })
    const to = utcDay(now())
    // The packs published now, not only when it started: a retrain publishes while the collector runs.
    const published = options.packsDir === undefined ? [] : await readPublishedPacks(options.packsDir)
    const knownPacks = [...(options.knownPacks ?? []), ...packContexts([...(options.packs ?? []), ...published])]
    // Their segment names too: a pack the shop trained and published shows its names, not leaf numbers.
    return { from: addDays(to, -windowDays + 1), to, epsilon, pageKeyLists: await readPageKeyLists(db, estimator.pageKeys), knownPacks, packs: [...(options.packs ?? []), ...published], published }
  }

  const writePageStats = async () => {
    const q = await query()
    const stats = estimator.pageStats(await readSums(db, q.from, q.to, estimator.windowCounters), q)
    const file = pageStatsFile(q.to, stats)
    if (options.pageStatsDir) {
      const dir = options.pageStatsDir
      await makeFolder(dir)
      // Each file whole: a reader never sees half a table. The table under its own name first, never changed
      // after; then the pointer to it (name and integrity in one file): a page rendered from any pointer loads
      // a table that matches the integrity it was given, even after the next rewrite.
      const name = pageStatsFileName(file.integrity)
      await writeFileAtomic(join(dir, name), file.text)
      // The table the pointer named until now is marked as replaced now (its time): it is kept that long from
      // here, not from when it was written, which may be longer ago than pages rendered a minute ago may use it.
      const previous = (await readPointer(dir))?.file
      if (previous !== undefined && previous !== name) {
        const time = new Date()
        await utimes(join(dir, previous), time, time).catch(() => undefined)
      }
      await writeFileAtomic(join(dir, PAGE_STATS_POINTER), `${JSON.stringify({ file: name, integrity: file.integrity, day: file.table.day })}\n`)
      const target = join(dir, 'page-stats.json')
      await writeFileAtomic(target, file.text)
      await writeFileAtomic(`${target}.integrity`, `${file.integrity}\n`)
      await pruneOldTables(dir, name, Date.now(), keepTablesMs)
    }
    pageStats = file
    return file
  }

  // One rewrite at a time (the dashboard's button, the hourly timer, a script), or two would race: an older table
  // could land over a newer one, or one's integrity file beside the other's table. A call during a rewrite gets
  // the next one, which starts when it ends and serves every call made meanwhile: each answer was read after its
  // call.
  let running: Promise<PageStatsFile> | undefined
  let next: Promise<PageStatsFile> | undefined
  const regeneratePageStats = (): Promise<PageStatsFile> => {
    if (!running) return (running = writePageStats().finally(() => (running = undefined)))
    return (next ??= running
      .catch(() => {})
      .then(() => {
        next = undefined
        return regeneratePageStats()
      }))
  }

  // The table the folder's pointer names, once this collector has a table of its own: the one another collector on
  // the same folder (a replica) wrote after it, if so. Every collector on the folder then serves, and names on the
  // dashboard, the table pages were rendered from, whichever the load balancer asks. One that cannot be read whole
  // as the pointer says leaves this collector's own table in its place.
  let adopted: PageStatsFile | undefined
  const currentTable = async (): Promise<PageStatsFile | undefined> => {
    const own = pageStats
    if (own === undefined || options.pageStatsDir === undefined) return own
    const pointer = await readPointer(options.pageStatsDir)
    if (pointer?.integrity === undefined || pointer.integrity === own.integrity) return own
    if (adopted?.integrity === pointer.integrity) return adopted
    const text = await readFile(join(options.pageStatsDir, pointer.file), 'utf8').catch(() => undefined)
    if (text === undefined || `sha256-${createHash('sha256').update(text).digest('base64')}` !== pointer.integrity) return own
    try {
      adopted = { table: JSON.parse(text) as PageStatsFile['table'], text, integrity: pointer.integrity }
    } catch {
      return own
    }
    return adopted
  }

  // Purges under way: `close` waits for them, as for a rewrite, so that none queries a closed database.
  const purges = new Set<Promise<void>>()
  const purge = () => {
    const job = purgeReports(db, utcDay(now()), rawRetentionDays)
    purges.add(job)
    const done = () => void purges.delete(job)
    job.then(done, done)
    return job
  }

  // Dashboard reads, bounded (see `readTimeoutMs`). `stalled` is a read that waited past the bound and still waits:
  // until it ends, reads are refused at once, so a silent database is not sent one more query per reload.
  const readTimeoutMs = options.readTimeoutMs ?? READ_TIMEOUT_MS
  const retryAfter = String(Math.max(1, Math.ceil(readTimeoutMs / 1000)))
  let stalled: Promise<void> | undefined
  // A page-statistics rewrite asked for while `stalled`, made once it ends (unless the collector is closing by then).
  let rewriteAfterStall: Promise<void> | undefined
  let closing = false
  const LATE = 'late'
  const boundedRead = async <T>(read: () => Promise<T>): Promise<T | typeof LATE> => {
    if (stalled) return LATE
    const job = read()
    const result = await unlessLate(job, readTimeoutMs)
    if (result === LATE && !stalled) {
      // Its end, an answer or an error, is nobody's to report now: the request was answered.
      const ended: Promise<void> = job.then(
        () => {},
        () => {},
      )
      stalled = ended
      void ended.then(() => {
        if (stalled === ended) stalled = undefined
      })
    }
    return result
  }
  const readTimedOut = (c: Context) =>
    c.json({ error: 'storage_timeout', message: READ_TIMEOUT_MESSAGE }, 503, { 'retry-after': retryAfter, 'cache-control': 'no-store' })

  const app = new Hono<{ Bindings: HttpBindings }>()
  app.use('*', async (c, next) => {
    await next()
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value)
    c.res.headers.delete('set-cookie')
  })
  // insights.json over a long window is megabytes of JSON, the chart library 200 KB: gzipped to a client that takes it.
  // A revalidation of the file as it would be sent (`no-cache` answers with an ETag) is answered 304 here, with the
  // headers of that answer: its Vary and its ETag in the form the client was given.
  app.use('*', async (c, next) => {
    await next()
    if (c.req.method === 'GET' || c.req.method === 'HEAD') {
      c.res = await gzipAnswer(c.res, c.req.header('accept-encoding'), c.req.method === 'HEAD', c.req.header('if-none-match'))
    }
  })
  // Each route under one spelling: the shop's sign-in matches paths as they came (see isCanonicalPath).
  app.use('*', async (c, next) => {
    if (!isCanonicalPath(c.env?.incoming?.url ?? new URL(c.req.url).pathname)) return c.json({ error: 'not_found' }, 404)
    await next()
  })

  app.post(REPORTS_PATH, async (c) => {
    const header = headerReader(c)
    // The Node.js request itself when there is one: cheaper than building a web stream over it.
    const incoming = c.env?.incoming
    const body = incoming && Symbol.asyncIterator in incoming ? incoming : (c.req.raw.body as AsyncIterable<Uint8Array> | null)
    const answer = await answerReport({ header, client: clientAddress(incoming, header, trustProxy), body }, ingest, limiter, endpoint)
    if (answer.status === 202) return c.body(null, 202)
    if (answer.status === 'unanswered') {
      // Its write may still land: the connection is closed without an answer (see ReportAnswer). Without one (the
      // app called with a Request of its own), 504: the collector did not hear back from the database in time.
      if (incoming?.socket) {
        incoming.socket.destroy()
        return c.body(null, 504)
      }
      return c.json(refusalBody(answer.code), 504)
    }
    if (answer.retryAfter !== undefined) c.header('retry-after', String(answer.retryAfter))
    return c.json(refusalBody(answer.code, maxBodyBytes), answer.status)
  })
  app.all(REPORTS_PATH, (c) => c.json({ error: 'method_not_allowed' }, 405, { allow: 'POST' }))

  // One check of the database at a time: while one goes unanswered (a silent database), later health checks wait for
  // it rather than each queue a query of its own behind it.
  let checking: Promise<boolean> | undefined
  const checkDatabase = () =>
    (checking ??= (async () => {
      // Unhealthy while reports cannot be stored (they are refused with 503): a replica that loses them is taken out.
      // Taken out, it gets no report to find the database back: the check tries a write itself.
      if ((await ingest.checkStoring()) === 'failing') return false
      await db.query(SQL.ping)
      return true
    })()
      .catch(() => false)
      .finally(() => (checking = undefined)))
  const healthTimeoutMs = options.healthTimeoutMs ?? HEALTH_TIMEOUT_MS
  app.get(HEALTH_PATH, async (c) => {
    c.header('cache-control', 'no-store')
    const healthy = await unlessLate(checkDatabase(), healthTimeoutMs)
    // Reports posted meanwhile are not answered 503 on this account: each waits for its own write up to
    // `reportTimeoutMs` (202 once stored; past it, 503 `storage_timeout` if never sent, else no answer).
    if (healthy === 'late') return c.json({ status: 'failing', error: 'storage_timeout' }, 503)
    if (!healthy) return c.json({ status: 'failing', error: 'storage_failed' }, 503)
    return c.json({ status: 'ok' })
  })

  app.get(INSIGHTS_PATH, async (c) => {
    if (isCrossSiteRead(headerReader(c))) return c.json({ error: 'cross_site', message: CROSS_SITE_READ }, 403)
    const read = await boundedRead(async () => {
      const q = await query()
      const rows = await readSums(db, q.from, q.to, estimator.windowCounters)
      const document = estimator.insights(rows, q)
      const context = document.context as { packId?: string } | null | undefined
      // Of the pack a retrain starts from: the session pack published last, before the figures move to its reports.
      return { document, training: trainingStatus(rows, q, context?.packId, options.minTrainingAnswers, q.published, storeOf(db)) }
    })
    if (read === LATE) return readTimedOut(c)
    const { document, training } = read
    c.header('cache-control', 'no-store')
    // With the table under its own name (`file`, as page-stats.current.json names it) when one is published, the
    // pages it holds and which of them it gives rates and a page value (the estimate's own `published`,
    // `ratesPublished` and `pageValue.enough` say what a rewrite now would hold).
    const shown = await currentTable()
    const file = shown && options.pageStatsDir !== undefined ? pageStatsFileName(shown.integrity) : undefined
    const rows = shown ? Object.entries(shown.table.pages) : []
    return c.json({
      ...document,
      currency,
      notice: typeof options.notice === 'function' ? options.notice() : options.notice,
      // Whether `retrain` would refit the purchase-intent model from the window's training answers now, as it decides.
      training,
      pageStats: shown && {
        path: PAGE_STATS_PATH,
        file,
        integrity: shown.integrity,
        day: shown.table.day,
        pages: rows.map(([key]) => key),
        withRates: rows.filter(([, row]) => row.bounceRate !== undefined).map(([key]) => key),
        withValue: rows.filter(([, row]) => row.pageValue !== undefined).map(([key]) => key),
      },
      // The signed manifest as browsers will judge it: the dashboard says when it is due to be renewed, and how.
      // Its command names the folder as typed, not by the server's path (see shownFolder).
      manifest: options.packsDir === undefined ? undefined : await readManifestExpiry(options.packsDir, now(), shownFolder(options.packsDir)),
    })
  })

  app.get(PAGE_STATS_PATH, async (c) => {
    const file = (await currentTable()) ?? (await boundedRead(regeneratePageStats))
    if (file === LATE) return readTimedOut(c)
    const etag = `"${file.integrity}"`
    // A browser revalidating the copy in its HTTP cache (`no-cache`) gets no body when it is the current table (304).
    return c.body(file.text, 200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache', etag, 'x-seglet-integrity': file.integrity })
  })
  // On demand from the dashboard; same-site only, like the report endpoint.
  app.post(PAGE_STATS_PATH, async (c) => {
    if (isCrossSite(headerReader(c), allowedOrigins)) return c.json(refusalBody('cross_site'), 403)
    // Asked for while another read waits on the silent database (answered at once, sending it nothing): made once that
    // read ends, as a rewrite that waited past the bound itself is, so the dashboard's "not rewritten yet" holds.
    if (stalled) rewriteAfterStall ??= stalled.then(() => (closing ? undefined : regeneratePageStats())).then(
      () => void (rewriteAfterStall = undefined),
      (error: unknown) => {
        rewriteAfterStall = undefined
        reportRequestError(onRequestError, error, `POST ${PAGE_STATS_PATH}`)
      },
    )
    const file = await boundedRead(regeneratePageStats)
    if (file === LATE) return readTimedOut(c)
    return c.json({ path: PAGE_STATS_PATH, integrity: file.integrity, day: file.table.day, pages: Object.keys(file.table.pages).length })
  })

  // Tables under their own names (page-stats.current.json names the latest): never changed, so cached for good.
  const readTable = (name: string) => (options.pageStatsDir === undefined ? Promise.resolve(undefined) : readFile(join(options.pageStatsDir, name), 'utf8').catch(() => undefined))
  app.get('/seglet/:file{page-stats-[0-9a-f]{64}\\.json}', async (c) => {
    const text = await readTable(c.req.param('file'))
    if (text === undefined) return c.json({ error: 'not_found' }, 404)
    return c.body(text, 200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=31536000, immutable' })
  })
  // Another method on a table that is there: 405, as on the collector's other paths (not a 404 saying it is not).
  app.all('/seglet/:file{page-stats-[0-9a-f]{64}\\.json}', async (c) =>
    (await readTable(c.req.param('file'))) === undefined ? c.json({ error: 'not_found' }, 404) : c.json({ error: 'method_not_allowed' }, 405, { allow: 'GET, HEAD' }),
  )

  // The pointer to the latest table, for a page renderer that cannot read the folder (on another host).
  app.get(`/seglet/${PAGE_STATS_POINTER}`, async (c) => {
    const text = options.pageStatsDir === undefined ? undefined : await readFile(join(options.pageStatsDir, PAGE_STATS_POINTER), 'utf8').catch(() => undefined)
    if (text === undefined) return c.json({ error: 'not_found' }, 404)
    // Revalidated on every use: a renderer asking again while it names the same table gets no body (304).
    const etag = `"sha256-${createHash('sha256').update(text).digest('base64')}"`
    return c.body(text, 200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache', etag })
  })

  // Signed packs, as `publish-pack` wrote them: public files, revalidated on every use.
  app.get('/seglet/:file', async (c, next) => {
    const file = options.packsDir === undefined ? undefined : await readPublishedFile(options.packsDir, c.req.param('file'))
    if (!file) return next()
    // Browsers check the manifest daily: a revalidation of the file as it is gets no body (304).
    const etag = `"sha256-${createHash('sha256').update(file.body).digest('base64')}"`
    return c.body(file.body, 200, { 'content-type': file.type, 'cache-control': 'no-cache', etag })
  })

  // Revalidated on every load, by ETag: an unchanged file (the chart library is 200 KB) is answered 304 without it.
  const serveAsset = (c: Context, name: string) => {
    const asset = dashboardAsset(name)
    if (!asset) return c.json({ error: 'not_found' }, 404)
    return c.body(asset.body, 200, { 'content-type': asset.type, 'cache-control': 'no-cache', etag: asset.etag })
  }
  app.get(DASHBOARD_PATH, (c) => serveAsset(c, 'index.html'))
  app.get(`${DASHBOARD_PATH}/:asset`, (c) => serveAsset(c, c.req.param('asset')))
  // Another method on a path that is there is 405 with the methods it takes (RFC 9110), not a 404 saying it is not.
  const notAllowed = (allow: string) => (c: Context) => c.json({ error: 'method_not_allowed' }, 405, { allow })
  for (const path of [INSIGHTS_PATH, HEALTH_PATH, DASHBOARD_PATH, `/seglet/${PAGE_STATS_POINTER}`]) app.all(path, notAllowed('GET, HEAD'))
  app.all(PAGE_STATS_PATH, notAllowed('GET, HEAD, POST'))
  app.all(`${DASHBOARD_PATH}/:asset`, (c) => (dashboardAsset(c.req.param('asset')) ? notAllowed('GET, HEAD')(c) : c.json({ error: 'not_found' }, 404)))
  app.all('/seglet/:file', async (c) => {
    // A GET or HEAD here found no file in the routes above.
    const file = c.req.method === 'GET' || c.req.method === 'HEAD' || options.packsDir === undefined ? undefined : await readPublishedFile(options.packsDir, c.req.param('file'))
    return file ? notAllowed('GET, HEAD')(c) : c.json({ error: 'not_found' }, 404)
  })
  app.notFound((c) => c.json({ error: 'not_found' }, 404))
  app.onError((error, c) => {
    // Told to the operator once per run of failures, by `onStorageFailed` ('sum'), not at every read.
    if (error instanceof SummingFailed) return c.json({ error: 'storage_failed', message: summingFailedMessage(error.cause) }, 503, { 'cache-control': 'no-store' })
    reportRequestError(onRequestError, error, `${c.req.method} ${c.req.path}`)
    return c.json({ error: 'internal' }, 500)
  })

  // A request without a Host header (HTTP/1.0: a load balancer's health check, as HAProxy sends it by default) is
  // answered as if it named this host: the routes never read the host, and without it every such request got 400.
  // A request the Node.js adapter cannot turn into a web Request (a backslash in its path, `OPTIONS *`) is answered
  // 400 before any route, as the collector's other errors: security headers and a JSON error, not an empty body.
  // What the app's own error handler does not take (a value thrown that is no Error: a database driver's string or
  // object) is answered 500 here, and the operator told the request's method and path, as the app does.
  const failed = (error: unknown, incoming: { method?: string; url?: string } | undefined) => {
    reportRequestError(onRequestError, error, incoming ? `${incoming.method} ${(incoming.url ?? '').split('?')[0]}` : 'request')
    return jsonAnswer(500, { error: 'internal' })
  }
  const fetchApp = (request: Request, env: { incoming?: { method?: string; url?: string } }) => {
    try {
      const answer = app.fetch(request, env as HttpBindings)
      return answer instanceof Promise ? answer.catch((error: unknown) => failed(error, env.incoming)) : answer
    } catch (error) {
      return failed(error, env.incoming)
    }
  }
  const appListener = getRequestListener(fetchApp, {
    hostname: 'localhost',
    errorHandler: (error) => (error instanceof RequestError ? jsonAnswer(400, { error: 'bad_request' }) : failed(error, undefined)),
  })
  // Reports are most of the traffic: answered straight from the Node.js request, without building web Request and
  // Response objects, by the same function as the route above. Everything else goes through the app.
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    // Without --allowed-host, the address this machine reached it at is a name of its own too (a proxy here forwarding
    // to http://192.0.2.2:8787 names it); given, only those names and the loopback ones, as ever.
    const checked = allowedHosts.length > 0 || (!trustProxy && isFromThisMachine(req.socket))
    if (!anyHost && checked && !isAllowedHost(req.headers.host, allowedHosts, allowedHosts.length > 0 ? undefined : req.socket?.localAddress)) {
      return void refuseHost(req, res)
    }
    // `Expect: 100-continue` (see createCollectorServer): the client sends the body once told `100 Continue`, said
    // here by the one `maxBodyBytes` that also refuses it, so a limit raised or lowered governs both.
    const expectsContinue = isContinueExpected(req)
    const url = req.url ?? ''
    if (req.method !== 'POST' || (url !== REPORTS_PATH && !url.startsWith(REPORTS_PATH + '?'))) {
      if (expectsContinue && Number(req.headers['content-length'] ?? 0) <= maxBodyBytes) askForBody(res)
      return void appListener(req, res)
    }
    const header = (name: string) => {
      const value = req.headers[name]
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value
    }
    // Asked for only when it is read: after the refusals that need no body, and within the limit (readBody refuses a
    // longer declared length before it reads).
    const body: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => {
        if (expectsContinue) askForBody(res)
        return req[Symbol.asyncIterator]()
      },
    }
    answerReport({ header, client: clientAddress(req, header, trustProxy), body }, ingest, limiter, endpoint).then(
      (answer) => {
        if (answer.status === 202) return void res.writeHead(202, [...SECURITY_HEADER_LIST]).end()
        // Its write was sent and may still land: no answer, so the browser does not tell it failed (see ReportAnswer).
        if (answer.status === 'unanswered') return void res.destroy()
        const body = JSON.stringify(refusalBody(answer.code, maxBodyBytes))
        const headers = [...SECURITY_HEADER_LIST, 'content-type', 'application/json', 'content-length', String(Buffer.byteLength(body))]
        if (answer.retryAfter !== undefined) headers.push('retry-after', String(answer.retryAfter))
        // Refused before its body was read whole (too large, another type, cross-site, past the rate): the connection
        // is closed, or it would wait, up to the request timeout, for the rest of a body nobody reads.
        if (!req.complete) headers.push('connection', 'close')
        res.writeHead(answer.status, headers).end(body)
      },
      (error: unknown) => {
        reportRequestError(onRequestError, error, `POST ${REPORTS_PATH}`)
        if (!res.headersSent) res.writeHead(500, [...SECURITY_HEADER_LIST, 'content-type', 'application/json']).end('{"error":"internal"}')
        else res.destroy()
      },
    )
  }

  return {
    app,
    listener,
    ingest,
    regeneratePageStats,
    purge,
    close: async () => {
      closing = true
      // Their failures are their callers' to report.
      await Promise.allSettled([running, next, ...purges])
      await ingest.close()
    },
  }
}

/** Why a page of another site cannot have a browser fetch `insights.json` (see `isCrossSiteRead`). */
const CROSS_SITE_READ = "the insights are read from the collector's own origin only: open /seglet/dashboard"

/** The file the page-statistics pointer names for the table of `integrity` (`sha256-<base64>`): its digest in hex. */
export const pageStatsFileName = (integrity: string): string => `page-stats-${Buffer.from(integrity.slice('sha256-'.length), 'base64').toString('hex')}.json`

/** The pointer to the latest table, `{ file, integrity, day }`, written after the table it names. */
export const PAGE_STATS_POINTER = 'page-stats.current.json'

/**
 * Days a table under its own name is kept once replaced (`pageStatsKeepDays`): a day of the shop's HTML cache,
 * then up to a day before the report part of a page rendered from the older pointer loads it.
 */
export const DEFAULT_PAGE_STATS_KEEP_DAYS = 2

const TABLE_NAME = /^page-stats-[0-9a-f]{64}\.json$/
/** A temporary file `writeFileAtomic` leaves beside one of the page-statistics files when the process dies while it writes. */
const TEMPORARY_NAME = /^page-stats(?:-[0-9a-f]{64}\.json|\.current\.json|\.json|\.json\.integrity)\.\d+-[0-9a-f]{8}\.tmp$/
/** A temporary file untouched this long is left by a write that died: a write under way takes seconds at most. */
const STALE_TEMPORARY_MS = 3_600_000

/**
 * `page-stats.current.json` in `dir`: the table it names, if it can be read, with that table's integrity when the
 * pointer gives one.
 */
async function readPointer(dir: string): Promise<{ file: string; integrity?: string } | undefined> {
  try {
    const { file, integrity } = (JSON.parse(await readFile(join(dir, PAGE_STATS_POINTER), 'utf8')) ?? {}) as { file?: unknown; integrity?: unknown }
    if (typeof file !== 'string' || !TABLE_NAME.test(file)) return undefined
    return typeof integrity === 'string' ? { file, integrity } : { file }
  } catch {
    return undefined
  }
}

/**
 * Deletes tables under their own names last written or replaced more than `keepMs` ago; never `current`, nor the
 * one the pointer names now (another collector on the same folder may have written it). Deletes too the
 * temporary files of page-statistics writes that died half-way (a collector killed, a host cut off) more than
 * {@link STALE_TEMPORARY_MS} ago; a write under way, or another program's files, are left alone.
 */
async function pruneOldTables(dir: string, current: string, time: number, keepMs: number): Promise<void> {
  const pointed = (await readPointer(dir))?.file
  for (const name of await readdir(dir)) {
    if (TEMPORARY_NAME.test(name)) {
      const info = await stat(join(dir, name)).catch(() => undefined)
      if (info && time - info.mtimeMs > STALE_TEMPORARY_MS) await unlink(join(dir, name)).catch(() => undefined)
      continue
    }
    if (name === current || name === pointed || !TABLE_NAME.test(name)) continue
    const info = await stat(join(dir, name)).catch(() => undefined)
    if (info && time - info.mtimeMs > keepMs) await unlink(join(dir, name)).catch(() => undefined)
  }
}

/** Why a request naming another host is refused (see `allowedHosts`): what the operator who meant it can do. */
const MISDIRECTED =
  'this collector answers for localhost and the names given with --allowed-host only (a page of another site could reach it by making its own name resolve to 127.0.0.1): open it as http://127.0.0.1:<port>/, or start it with --allowed-host <name>'

/**
 * Refuses a request for a host the collector does not answer for: `421 Misdirected Request` (RFC 9110 §15.5.20, an
 * origin server rejecting a target URI that does not match an origin it has been configured for).
 */
function refuseHost(req: IncomingMessage, res: ServerResponse): void {
  const body = JSON.stringify({ error: 'misdirected_request', message: MISDIRECTED })
  const headers = [...SECURITY_HEADER_LIST, 'content-type', 'application/json', 'content-length', String(Buffer.byteLength(body))]
  // Its body, if any, is not read: not waited for either.
  if (!req.complete) headers.push('connection', 'close')
  res.writeHead(421, headers).end(body)
}

/** Whether the client waits for `100 Continue` before it sends the body (as Node.js reads `Expect`). */
function isContinueExpected(req: IncomingMessage): boolean {
  return req.httpVersionMajor === 1 && req.httpVersionMinor >= 1 && /(?:^|\W)100-continue(?:$|\W)/i.test(req.headers.expect ?? '')
}

/**
 * Says `100 Continue` unless Node.js said it already: served by a bare `http.createServer(collector.listener)`, with
 * no `checkContinue` listener, Node.js says it to every request before the listener sees it (its `_sent100`).
 */
function askForBody(res: ServerResponse): void {
  if (!(res as ServerResponse & { _sent100?: boolean })._sent100) res.writeContinue()
}

/** A JSON answer with the security headers, for answers given outside the app. */
function jsonAnswer(status: number, body: object): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...SECURITY_HEADERS, 'content-type': 'application/json' } })
}

/** Reads request headers from the Node.js request when there is one (no web Headers object is built). */
function headerReader(c: { env?: HttpBindings; req: { raw: Request } }): (name: string) => string | null {
  const incoming = c.env?.incoming
  if (incoming && incoming.headers) {
    return (name) => {
      const value = incoming.headers[name]
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value
    }
  }
  return (name) => c.req.raw.headers.get(name)
}

/** The default of `onRequestError`: one line an operator can search for, then the stack. */
function logRequestError(error: unknown, request: string): void {
  console.error(`seglet collector: ${request} failed: ${error instanceof Error ? error.message : String(error)}`)
  if (error instanceof Error && error.stack) console.error(error.stack)
}

/** The default of `onStorageFailed`. */
function logStorageFailed(what: StorageTrouble, error: unknown): void {
  const cause = error instanceof Error ? error.message : String(error)
  console.error(
    what === 'store'
      ? `seglet collector: the database cannot store reports (${cause}): refusing them with 503 storage_failed until it can`
      : what === 'sum'
        ? `seglet collector: the database cannot sum the stored reports (${cause}): they wait and are tried again`
        : `seglet collector: the database does not answer (${cause}): refusing the reports that wait longer with 503 storage_timeout, or leaving them unanswered once their write was sent, until it does`,
  )
}

/** The default of `onStorageRecovered`. */
function logStorageRecovered(what: StorageTrouble): void {
  console.error(`seglet collector: the database ${what === 'store' ? 'stores reports' : what === 'sum' ? 'sums the stored reports' : 'answers'} again`)
}

/** Calls the shop's `onRequestError`; a hook that throws changes nothing of the answer. */
function reportRequestError(onRequestError: (error: unknown, request: string) => void, error: unknown, request: string): void {
  try {
    onRequestError(error, request)
  } catch {
    // The answer is still the 500.
  }
}
