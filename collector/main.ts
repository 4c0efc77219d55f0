import { constants, readdirSync, readFileSync } from 'node:fs'
import { access, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { join } from 'node:path'
import { COLLECTOR_HELP, parseCollectorArgs, type CollectorArgs } from './cli/parseCollectorArgs'
import { createReportEstimator } from './estimates/createReportEstimator'
import type { Estimator } from './estimates/types'
import type { ParsedReport } from '../src/reports/types'
import { packContexts } from './estimates/packLeafNames'
import { readPublishedPacks } from './packs/readPublishedPacks'
import { manifestExpiryLine, readManifestExpiry } from './packs/manifestExpiry'
import { isSegletError } from '../src/errors'
import { createCollectorServer, type CollectorServer } from './server/createCollectorServer'
import { createCollector, DASHBOARD_PATH, HEALTH_PATH, PAGE_STATS_PATH, REPORTS_PATH } from './server/createCollector'
import { migrate } from './storage/migrate'
import { SECURITY_HEADER_LIST } from './server/securityHeaders'
import { readPageKeys, reestimate } from './server/reestimate'
import { openDatabase } from './storage/openDatabase'
import type { Database } from './storage/types'
import { retrainCommand } from './learn/retrainCommand'
import { closestName } from '../src/options/closestName'
import { PACK_COMMANDS, runPackCommand } from './packs/packCommands'
import { sumPending } from './storage/sumPending'
import { addUpBodies } from './ingest/addUpBodies'
import { fileProblem } from './lib/fileProblem'
import { isDiskFull } from './lib/isDiskFull'
import { makeFolder } from './lib/makeFolder'
import { RAW_RETENTION_SETTING, writeSetting } from './storage/settings'

export { KEEP_ALIVE_MS, STOP_IDLE_MS } from './server/createCollectorServer'

const HOUR_MS = 3_600_000

/**
 * How long a stop waits for requests under way before it closes their connections, in ms: a report is stored
 * within a fraction of a second, so only a client that stopped sending (a half-sent body) is still there after it.
 * Well under the 10 s a container is given to stop.
 */
export const STOP_GRACE_MS = 5_000

/**
 * How long a stop waits for the database to store and sum what is pending once the requests are done, in ms,
 * before it stops without it (exit code 1): one that no longer answers must not keep the collector from stopping.
 */
export const STOP_DATABASE_MS = 10_000

/** The collector's commands besides serving: `npm run collector -- <command> …`. */
const COMMANDS = ['retrain', ...PACK_COMMANDS]

/**
 * `npm run collector -- [options]`: starts the collector and runs until SIGINT/SIGTERM. `npm run collector --
 * keygen` and `publish-pack …` make the pack-signing key and publish signed packs (see packs/packCommands.ts). Returns the exit code;
 * a bad option, a port it cannot take (said before the store is opened), an unreachable database or a page-statistics
 * folder it cannot write prints one line and returns 2 or 1,
 * and so does a database that fails, or does not answer within STOP_DATABASE_MS, while it stops. A stop while it starts lets the step under way finish (each is
 * whole or not at all), closes the database and returns 0.
 */
export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'retrain') return retrainCommand(argv.slice(1))
  if ((PACK_COMMANDS as readonly string[]).includes(argv[0])) return runPackCommand(argv)
  // A misspelt command would otherwise be refused as an argument the collector does not take, naming no command.
  const meant = argv[0] !== undefined && !argv[0].startsWith('-') ? closestName(argv[0], COMMANDS) : undefined
  if (meant !== undefined) {
    console.error(`seglet collector: unknown command '${argv[0]}' — did you mean '${meant}'? (see --help)`)
    return 2
  }
  let args
  let estimator
  try {
    args = parseCollectorArgs(argv, (path) => readFileSync(path, 'utf8'))
    estimator = estimatorOf(args, args.pageKeys ?? [])
  } catch (error) {
    if (!isSegletError(error)) throw error
    console.error(`seglet collector: ${error.field === 'pageKeys' ? '--page-keys: ' : ''}${error.message}`)
    return 2
  }
  if (args.help) {
    process.stdout.write(COLLECTOR_HELP)
    return 0
  }
  // Told to stop from the start, not only once it listens: a start-up can take minutes (summing what a previous
  // run stored, re-estimating after a page-key change), and a stop then must still close the database.
  let stopping = false
  let stop = () => {}
  const stopped = new Promise<void>((resolve) => (stop = () => ((stopping = true), resolve())))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  // A trial collector on `memory:` keeps nothing on disk, nor writes over the pointer a shop's running collector
  // serves from the default folder: without a --page-stats-dir of its own, its tables go to a temporary folder.
  const temporary = args.temporaryPageStatsDir ? await mkdtemp(join(tmpdir(), 'seglet-collector-')) : undefined
  try {
    return await serve(temporary ? { ...args, pageStatsDir: temporary } : args, estimator, stopped, () => stopping)
  } finally {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
    if (temporary) await rm(temporary, { recursive: true, force: true })
  }
}

/** The estimator of the command line's options, decoding page answers against `pageKeys`. */
const estimatorOf = (args: CollectorArgs, pageKeys: readonly string[]) =>
  createReportEstimator({ pageKeys: [...pageKeys], valuePages: args.valuePages, minReports: args.minReports, packs: [...shippedPacks(), ...args.knownPacks] })

/** Why a port could not be taken, in plain words and what to do; the system's own message for anything else. */
function listenProblem(error: NodeJS.ErrnoException, port: number): string {
  // The next port, or the one below the last (65535).
  if (error.code === 'EADDRINUSE') return `the port is in use; stop what uses it, or pick another port with --port ${port < 65535 ? port + 1 : port - 1}`
  if (error.code === 'EACCES') {
    // Above 1023 it is no lack of root: a port range the system reserves (Windows does), or a security policy.
    return port < 1024
      ? `this user may not take port ${port} (below 1024 a port needs root or CAP_NET_BIND_SERVICE); pick one above 1023 with --port, behind the shop's proxy`
      : `this user may not take port ${port} (the system keeps it back: a reserved range, or a security policy); pick another port with --port`
  }
  if (error.code === 'EADDRNOTAVAIL') return 'no network interface of this machine has that address; check --host'
  return error.message
}

/**
 * What to do when a step on the store fails for a full disk (migrating, summing what a previous run left, purging);
 * '' otherwise. Each step is one transaction, rolled back whole: nothing stored is lost, and it is done again later.
 */
function fullDiskAdvice(error: unknown, database: string): string {
  if (!isDiskFull(error) || database === 'memory:') return ''
  return /^postgres(ql)?:\/\//i.test(database)
    ? "; the PostgreSQL server's disk is full: free space on it (nothing stored is lost)"
    : `; the disk that holds ${database} is full: free space on it (df -h ${database}; nothing stored is lost)`
}

async function serve(args: CollectorArgs, estimator: Estimator<ParsedReport>, stopped: Promise<void>, stopping: () => boolean): Promise<number> {
  // The port first, and held from then on: a port taken, or one it may not bind, is said at once, before the store
  // is opened (an embedded one can take many seconds). The store's lock is taken after it, never given up between:
  // a second collector on the same port is refused here, one on another port by the lock, as before. Until the
  // collector can take reports, every request is answered 503 `starting`, so a load balancer keeps it out meanwhile.
  let listener: ((req: IncomingMessage, res: ServerResponse) => void) | undefined
  const server = await new Promise<CollectorServer>((ready, fail) => {
    const s = createCollectorServer((req, res) => (listener ? listener(req, res) : answerStarting(res)), { maxConnections: args.maxConnections })
    s.once('error', fail)
    s.listen(args.port, args.host, () => ready(s))
  }).catch((error: Error) => error)
  if (server instanceof Error) {
    console.error(`seglet collector: cannot listen on ${args.host}:${args.port}: ${listenProblem(server as NodeJS.ErrnoException, args.port)}`)
    return 1
  }
  const stopServer = () => server.stop({ graceMs: STOP_GRACE_MS, idleMs: 0 })
  const stoppedStarting = async (close: () => Promise<void>) => {
    await stopServer()
    await close().catch(() => {})
    console.log('seglet collector: stopped while starting (reports not yet summed are summed at the next start)')
    return 0
  }
  // The page statistics' folder before the store: one that cannot be made or written is said at once, not once the
  // store has opened and caught up, which can take a while.
  const folderProblem = await makeFolder(args.pageStatsDir)
    .then(() => access(args.pageStatsDir, constants.W_OK))
    .then(() => undefined, (error: unknown) => error ?? new Error('unknown'))
  if (folderProblem !== undefined) {
    console.error(jobFailure(folderProblem, args.pageStatsDir, args.database))
    await stopServer()
    return 1
  }
  let db: Database | undefined
  // The keys page answers are decoded against: those given, else those the database holds (read once it is open).
  let pageKeys: readonly string[] = args.pageKeys ?? []
  try {
    db = await openDatabase(args.database, { onLockWait: (message) => console.error(`seglet collector: ${message}`) })
    const open = db
    // The start-up's steps run a transaction at a time (each whole or not at all): once told to stop, none begins.
    const starting: Database = {
      kind: open.kind,
      query: (text, params) => (stopping() ? Promise.reject(new Error('stopping')) : open.query(text, params)),
      transaction: (work) => (stopping() ? Promise.reject(new Error('stopping')) : open.transaction(work)),
      close: () => open.close(),
    }
    await migrate(starting)
    // The retention in force, for every summing pass on this database: a retrain, another process.
    await writeSetting(starting, RAW_RETENTION_SETTING, String(args.rawRetentionDays))
    if (args.pageKeys === undefined) {
      pageKeys = await readPageKeys(starting)
      if (pageKeys.length > 0) {
        estimator = estimatorOf(args, pageKeys)
        console.log(`seglet collector: page keys: the ${pageKeys.length} this database was last started with (--page-keys to change them)`)
      }
    }
    // Reports a previous run stored but had not yet added to the sums (it stopped in between).
    await sumPending(starting, (bodies) => addUpBodies(estimator, bodies))
    const days = await reestimate(starting, estimator, pageKeys)
    if (days.length > 0) console.log(`seglet collector: page keys changed; re-estimated ${days.length} days from their raw reports`)
  } catch (error) {
    if (stopping()) return stoppedStarting(() => db?.close() ?? Promise.resolve())
    console.error(`seglet collector: ${isSegletError(error) ? error.message : `database: ${(error as Error).message}${fullDiskAdvice(error, args.database)}`}`)
    await stopServer()
    await db?.close().catch(() => {})
    return 1
  }
  if (stopping()) return stoppedStarting(() => db.close())
  // The packs browsers may use besides the published ones: the shipped ones and those the shop hosts elsewhere.
  const shipped = [...shippedPacks(), ...args.knownPacks]
  const collector = createCollector(db, estimator, {
    rawRetentionDays: args.rawRetentionDays,
    epsilon: args.epsilon,
    windowDays: args.windowDays,
    currency: args.currency,
    rateLimit: { perMinute: args.rateLimit, burst: args.rateBurst },
    pageStatsDir: args.pageStatsDir,
    pageStatsKeepDays: args.pageStatsKeepDays,
    packsDir: args.pageStatsDir,
    allowedOrigins: args.allowedOrigins,
    allowedHosts: args.allowedHosts,
    trustProxy: args.trustProxyHops,
    maxReportsPerDay: args.maxReportsPerDay,
    healthTimeoutMs: args.healthTimeoutMs,
    reportTimeoutMs: args.reportTimeoutMs,
    readTimeoutMs: args.readTimeoutMs,
    minTrainingAnswers: args.minTrainingAnswers,
    onReportsCapped: (day) =>
      console.error(`seglet collector: ${args.maxReportsPerDay} reports stored for ${day} (--max-reports-per-day): refusing reports with 503 until midnight UTC`),
    maxNewPacksPerDay: args.maxNewPacksPerDay,
    packs: shipped,
    knownPacks: packContexts([...shipped, ...(await readPublishedPacks(args.pageStatsDir))]),
    onPacksCapped: (day) =>
      console.error(`seglet collector: ${args.maxNewPacksPerDay} new pack ids accepted for ${day} (--max-new-packs-per-day): refusing reports of other new ones with 503 until midnight UTC`),
  })
  const jobs = async () => {
    await collector.purge()
    await collector.regeneratePageStats()
  }
  try {
    await jobs()
  } catch (error) {
    console.error(jobFailure(error, args.pageStatsDir, args.database))
    await stopServer()
    await collector.close().catch(() => {})
    await db.close()
    return 1
  }
  if (stopping()) return stoppedStarting(async () => (await collector.close().catch(() => {}), await db.close()))
  // Every hour: the days a process still on other page keys summed (the old version during a rolling deploy) are
  // decoded against this one's, when they are the keys in force; then the raw reports past the retention go.
  let hourly: Promise<void> | undefined
  const hourlyJob = async () => {
    await reestimate(db, estimator, pageKeys, { catchUp: true })
    await collector.purge()
  }
  const timers = [
    setInterval(() => {
      if (hourly) return
      hourly = hourlyJob()
        .catch((error) => console.error(jobFailure(error, args.pageStatsDir, args.database)))
        .finally(() => (hourly = undefined))
    }, HOUR_MS),
    setInterval(() => collector.regeneratePageStats().catch((error) => console.error(jobFailure(error, args.pageStatsDir, args.database))), args.pageStatsEveryMinutes * 60_000),
  ]

  listener = collector.listener
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : args.port
  const base = `http://${args.host.includes(':') ? `[${args.host}]` : args.host}:${port}`
  // `memory:` keeps nothing past a stop: "raw reports kept 30 days" would promise what it cannot keep.
  const store = args.database === 'memory:' ? 'in memory: no report is kept once it stops' : db.kind === 'embedded' ? `embedded store in ${args.database}` : `${db.kind} store`
  const kept = args.database === 'memory:' ? '' : `, raw reports kept ${args.rawRetentionDays} days`
  console.log(`seglet collector listening on ${base} (${store}, ε ${args.epsilon}${kept})`)
  console.log(`  reports   POST ${base}${REPORTS_PATH}`)
  console.log(`  dashboard ${base}${DASHBOARD_PATH}`)
  console.log(`  health    GET ${base}${HEALTH_PATH}`)
  console.log(`  page statistics ${base}${PAGE_STATS_PATH} (also written to ${args.pageStatsDir})`)
  console.log(`  signed packs ${base}/seglet/packs.manifest (from ${args.pageStatsDir}, written by publish-pack)`)
  // A manifest published by hand, with no scheduled signing retrain to renew it, would run out unseen: browsers
  // would then refuse it. Said at the start and once a day, from when it is due to be renewed.
  const checkManifest = async () => {
    const line = manifestExpiryLine(await readManifestExpiry(args.pageStatsDir, Date.now()), args.pageStatsDir)
    if (line) console.error(line)
  }
  await checkManifest()
  timers.push(setInterval(() => void checkManifest(), 24 * HOUR_MS))

  await stopped
  for (const t of timers) clearInterval(t)
  // No new connection is taken; each request from now on is answered with `Connection: close`, so a client stops
  // reusing its connection, and a connection left idle is closed after STOP_IDLE_MS (closed at once, one a client
  // had just sent its next report on would lose it). A request under way gets STOP_GRACE_MS to finish, then its
  // connection is closed too: a client holding a request open (it is cut off after REQUEST_TIMEOUT_MS) cannot keep
  // the collector from stopping and closing its database.
  await server.stop({ graceMs: STOP_GRACE_MS })
  let code = 0
  // A database that stopped answering without closing the connection (a network that drops packets) would hold
  // the stop for good: past STOP_DATABASE_MS the collector stops without it. Nothing acknowledged is lost (each
  // answered report is stored), and a report not yet summed stays on the unsummed list until a summing pass commits.
  let giveUp = () => {}
  const gaveUp = new Promise<'gave up'>((resolve) => (giveUp = () => resolve('gave up')))
  const timer = setTimeout(giveUp, STOP_DATABASE_MS)
  try {
    // Its failure, if any, is printed by the job itself.
    const closed = (async () => (await hourly, await collector.close()))()
    if ((await Promise.race([closed, gaveUp])) === 'gave up') {
      console.error(`seglet collector: the database did not answer within ${STOP_DATABASE_MS / 1000} s of the stop: stopping without it (reports not yet summed are summed at the next start)`)
      return 1
    }
  } catch (error) {
    console.error(`seglet collector: database: ${(error as Error).message} (reports not yet summed are summed at the next start)`)
    code = 1
  } finally {
    clearTimeout(timer)
  }
  await db.close().catch(() => {})
  return code
}

/** Seconds a client is told to wait (`Retry-After`) while the collector starts. */
const STARTING_RETRY_S = 5

/** The answer to every request while the collector starts: 503 `starting`, with the headers of every answer. */
function answerStarting(res: ServerResponse): void {
  const body = JSON.stringify({ error: 'starting', message: 'the collector is starting: retry in a few seconds' })
  res.writeHead(503, [...SECURITY_HEADER_LIST, 'content-type', 'application/json; charset=UTF-8', 'retry-after', String(STARTING_RETRY_S), 'cache-control', 'no-store'])
  res.end(body)
}

/** The model packs Seglet ships (src/models), for the names of their segment leaves. */
function shippedPacks(): unknown[] {
  const dir = join(__dirname, '..', '..', 'src', 'models')
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown)
  } catch {
    return []
  }
}

/**
 * The line saying why a purge or a page-statistics rewrite failed. A file-system error names its path (a failed
 * write names the file it was writing): the page-statistics folder, named once, with the problem in plain words
 * (`cannot write the page statistics to public: no space left on device`; `…: it is a file, not a folder`); anything else
 * came from the database.
 */
function jobFailure(error: unknown, pageStatsDir: string, database: string): string {
  if (typeof (error as NodeJS.ErrnoException)?.path === 'string') return `seglet collector: cannot write the page statistics to ${pageStatsDir}: ${fileProblem(error)}`
  return `seglet collector: database: ${(error as Error)?.message ?? error}${fullDiskAdvice(error, database)}`
}
