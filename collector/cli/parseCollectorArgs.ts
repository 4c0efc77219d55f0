import { parseArgs, type ParseArgsConfig } from 'node:util'
import { DEFAULT_VALUE_PAGES } from '../estimates/chooseValuePages'
import { packLeafNames } from '../estimates/packLeafNames'
import { MIN_TRAINING_ANSWERS } from '../learn/trainingReadiness'
import { CollectorError } from '../lib/CollectorError'
import { databaseLocation } from '../lib/databaseLocation'
import { fileProblem } from '../lib/fileProblem'
import { optionProblem } from '../lib/optionProblem'
import { withNegativeValues } from '../lib/withNegativeValues'
import { toAllowedHost } from '../lib/toAllowedHost'
import { toCurrency } from '../lib/toCurrency'
import { DEFAULT_MAX_CONNECTIONS } from '../server/createCollectorServer'
import { HEALTH_TIMEOUT_MS, READ_TIMEOUT_MS } from '../server/createCollector'
import { REPORT_TIMEOUT_MS } from '../ingest/createIngest'
import { MAX_VALUE_PAGES } from '../../src/reports/schema'
import { isReportEpsilon } from '../../src/reports/lib/isReportEpsilon'
import { DEFAULT_MIN_REPORTS } from '../../src/reports/estimate/constants'

/** The collector's command line, parsed and checked. */
export interface CollectorArgs {
  help: boolean
  port: number
  host: string
  database: string
  rawRetentionDays: number
  epsilon: number
  /**
   * The candidate page keys given (`--page-keys`; `[]` for `--page-keys ''`), or `undefined` without the option: the
   * collector then keeps those its database was last started with.
   */
  pageKeys: string[] | undefined
  valuePages: number
  windowDays: number
  rateLimit: number
  rateBurst: number
  maxReportsPerDay: number
  maxNewPacksPerDay: number
  maxConnections: number
  /** How long the health check waits for the database, in ms, before it says `503 storage_timeout`. */
  healthTimeoutMs: number
  /** Longest a report waits for its write, in ms (see `createIngest`'s `writeTimeoutMs`). */
  reportTimeoutMs: number
  /** Longest a dashboard read waits for the database, in ms (see `createCollector`'s `readTimeoutMs`). */
  readTimeoutMs: number
  minReports: number
  /** Fewest training answers a retrain fits from, as the shop runs `retrain --min-answers` (the dashboard's training section). */
  minTrainingAnswers: number
  pageStatsDir: string
  /**
   * `memory:` without `--page-stats-dir`: the collector writes its tables to a folder of its own, made at start and
   * removed at the stop, not to the default folder, where a shop's running collector serves its pointer from.
   */
  temporaryPageStatsDir: boolean
  pageStatsEveryMinutes: number
  pageStatsKeepDays: number
  allowedOrigins: string[]
  /** Host names answered besides the loopback ones (`--allowed-host`), lower case; `*`: any. */
  allowedHosts: string[]
  trustProxy: boolean
  /** Proxies in front whose X-Forwarded-For entries are trusted: 0 without `--trust-proxy`, 1 with it, else `--trust-proxy-hops`. */
  trustProxyHops: number
  /** Model packs (parsed JSON) the shop's pages use that the collector neither ships nor publishes (`--known-pack`). */
  knownPacks: unknown[]
  /** The ISO 4217 code of the shop's order values (`--currency`): the dashboard writes money in it. Unset: plain figures. */
  currency: string | undefined
}

/** Defaults of the command line; also printed by --help. */
export const COLLECTOR_DEFAULTS = {
  port: 8787,
  host: '127.0.0.1',
  database: '.seglet-collector/db',
  rawRetentionDays: 30,
  epsilon: 2,
  windowDays: 28,
  valuePages: DEFAULT_VALUE_PAGES,
  rateLimit: 60,
  rateBurst: 20,
  maxReportsPerDay: 200_000,
  maxNewPacksPerDay: 10,
  maxConnections: DEFAULT_MAX_CONNECTIONS,
  healthTimeoutMs: HEALTH_TIMEOUT_MS,
  reportTimeoutMs: REPORT_TIMEOUT_MS,
  readTimeoutMs: READ_TIMEOUT_MS,
  minReports: DEFAULT_MIN_REPORTS,
  minTrainingAnswers: MIN_TRAINING_ANSWERS,
  pageStatsDir: '.seglet-collector/public',
  pageStatsEveryMinutes: 60,
  pageStatsKeepDays: 2,
} as const

export const COLLECTOR_HELP = `Usage: npm run collector -- [options]
       npm run collector -- keygen | publish-pack … (signed model packs; add --help for theirs)
       npm run collector -- retrain … (refit the session pack from private training answers; add --help for its options)

Receives Seglet's private reports and turns them into estimates, a dashboard and a page-statistics table.

Options:
  --port N                   port to listen on (default ${COLLECTOR_DEFAULTS.port}; 0 picks a free one)
  --host ADDRESS             address to listen on (default ${COLLECTOR_DEFAULTS.host})
  --database LOCATION        a folder for the embedded store (default ${COLLECTOR_DEFAULTS.database}),
                             memory: for a throwaway one, or postgres://user:password@host/db
  --raw-retention-days N     days raw reports are kept for a re-estimate; then only daily sums (default ${COLLECTOR_DEFAULTS.rawRetentionDays})
  --epsilon E                the ε reports must carry, the one the shop's pages configure (default ${COLLECTOR_DEFAULTS.epsilon})
  --page-keys KEYS|@FILE     candidate page keys, comma-separated, or a file with one per line (default: those
                             the database was last started with; '' for none)
  --value-pages N            how many of the most viewed candidate pages the page-value question asks about
                             (default ${COLLECTOR_DEFAULTS.valuePages}; fewer pages, each answered more often)
  --window-days N            days the insights and page statistics cover (default ${COLLECTOR_DEFAULTS.windowDays})
  --rate-limit N             reports per minute one client address (IPv6: its /64) may send (default ${COLLECTOR_DEFAULTS.rateLimit});
                             an IPv6 /56 4 times as many, a /48 16 times (so with --rate-burst)
  --rate-burst N             reports one client address may send at once (default ${COLLECTOR_DEFAULTS.rateBurst})
  --max-reports-per-day N    reports stored per UTC day; past it, 503 until midnight (default ${COLLECTOR_DEFAULTS.maxReportsPerDay})
  --max-new-packs-per-day N  pack ids the daily sums do not hold yet, and which are neither shipped,
                             published nor named by --known-pack, accepted per UTC day; past it, their reports
                             get 503 until midnight (default ${COLLECTOR_DEFAULTS.maxNewPacksPerDay})
  --max-connections N        connections open at once; more are closed as they come (default ${COLLECTOR_DEFAULTS.maxConnections})
  --health-timeout MS        ms the health check waits for the database before it says 503 (default ${COLLECTOR_DEFAULTS.healthTimeoutMs})
  --report-timeout MS        ms a report waits for its write: then one not yet sent to the database is refused
                             with 503, and one sent (it may still be stored) has its connection closed
                             (default ${COLLECTOR_DEFAULTS.reportTimeoutMs})
  --read-timeout MS          ms a dashboard read (insights.json, the page-statistics table) waits for the database:
                             then it is answered 503 storage_timeout (default ${COLLECTOR_DEFAULTS.readTimeoutMs})
  --min-reports N            fewest reports to a question before its estimates are shown (default ${COLLECTOR_DEFAULTS.minReports})
  --min-training-answers N   the --min-answers the shop gives retrain: the dashboard says whether a retrain
                             would fit now by it (default ${COLLECTOR_DEFAULTS.minTrainingAnswers})
  --page-stats-dir DIR       where page-stats.current.json, the table it names, page-stats.json and its integrity are written (default ${COLLECTOR_DEFAULTS.pageStatsDir};
                             with --database memory:, a temporary folder removed when the collector stops)
  --page-stats-every MIN     minutes between rewrites of the page-statistics table (default ${COLLECTOR_DEFAULTS.pageStatsEveryMinutes})
  --page-stats-keep-days N   days a table stays once the pointer names a newer one: at least as long as
                             the shop's HTML cache keeps pages, plus a day (default ${COLLECTOR_DEFAULTS.pageStatsKeepDays})
  --known-pack FILE          a model pack the shop's pages use that is neither shipped nor published here
                             (hosted elsewhere; repeatable): the insights and page statistics follow the
                             shipped, published or listed pack with the most reports, ahead of other pack ids
  --allowed-origin ORIGIN    the shop's public origin when a proxy forwards under another host (repeatable)
  --allowed-host NAME        a host name the collector answers for besides localhost and 127.0.0.1 (repeatable;
                             * for any). Reached from this machine without --trust-proxy, it refuses other Host
                             headers with 421 (a page of any site can make its own name resolve to 127.0.0.1);
                             once this is given, from any address
  --trust-proxy              take the client address from X-Forwarded-For (only behind your own proxy)
  --trust-proxy-hops N       the same behind N proxies of your own, each appending to X-Forwarded-For
                             (a CDN before a load balancer: 2); implies --trust-proxy
  --currency CODE            the ISO 4217 code of the shop's prices (EUR, USD, …): the dashboard writes order
                             values, revenue and page value in it (default none: plain figures)
  --help                     print this help
`

/** The collector's options, as `parseArgs()` reads them: also the names a misspelt option is matched against. */
const COLLECTOR_OPTIONS = {
  help: { type: 'boolean' },
  port: { type: 'string' },
  host: { type: 'string' },
  database: { type: 'string' },
  'raw-retention-days': { type: 'string' },
  epsilon: { type: 'string' },
  'page-keys': { type: 'string' },
  'value-pages': { type: 'string' },
  'window-days': { type: 'string' },
  'rate-limit': { type: 'string' },
  'rate-burst': { type: 'string' },
  'max-reports-per-day': { type: 'string' },
  'max-new-packs-per-day': { type: 'string' },
  'max-connections': { type: 'string' },
  'health-timeout': { type: 'string' },
  'report-timeout': { type: 'string' },
  'read-timeout': { type: 'string' },
  'min-reports': { type: 'string' },
  'min-training-answers': { type: 'string' },
  'page-stats-dir': { type: 'string' },
  'page-stats-every': { type: 'string' },
  'page-stats-keep-days': { type: 'string' },
  'allowed-origin': { type: 'string', multiple: true },
  'allowed-host': { type: 'string', multiple: true },
  'known-pack': { type: 'string', multiple: true },
  'trust-proxy': { type: 'boolean' },
  'trust-proxy-hops': { type: 'string' },
  currency: { type: 'string' },
} as const satisfies ParseArgsConfig['options']

/**
 * Parses the collector's command line. Throws a `CollectorError` (`collector_option`) with a one-line message
 * naming the option for anything unknown or out of range.
 *
 * @example
 * parseCollectorArgs(['--port', '9000', '--database', 'postgres://seglet@127.0.0.1/seglet'])
 */
export function parseCollectorArgs(argv: readonly string[], readFile: (path: string) => string): CollectorArgs {
  let values: Record<string, string | boolean | string[] | undefined>
  try {
    ;({ values } = parseArgs({
      args: withNegativeValues(argv, COLLECTOR_OPTIONS),
      strict: true,
      allowPositionals: false,
      options: COLLECTOR_OPTIONS,
    }))
  } catch (error) {
    throw new CollectorError('collector_option', `${optionProblem(error, Object.keys(COLLECTOR_OPTIONS))} (see --help)`)
  }
  const text = (name: string) => values[name] as string | undefined
  const integer = (name: string, fallback: number, min: number, max: number) => {
    const raw = text(name)
    if (raw === undefined) return fallback
    const value = Number(raw)
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      throw new CollectorError('collector_option', `--${name} must be a whole number from ${min} to ${max}, not "${raw}"`, `--${name}`)
    }
    return value
  }
  const epsilonText = text('epsilon')
  const epsilon = epsilonText === undefined ? COLLECTOR_DEFAULTS.epsilon : Number(epsilonText)
  // The rule the pages' own option follows: any other ε would refuse every report they send.
  if ((epsilonText !== undefined && !/^\d+(\.\d+)?$/.test(epsilonText)) || !isReportEpsilon(epsilon)) {
    throw new CollectorError('collector_option', `--epsilon must be a number from 0.1 to 8 in hundredths, not "${epsilonText}"`, '--epsilon')
  }
  const host = text('host') ?? COLLECTOR_DEFAULTS.host
  if (host.trim() === '') throw new CollectorError('collector_option', '--host must not be empty', '--host')
  const origins = ((values['allowed-origin'] as string[] | undefined) ?? []).map(toAllowedOrigin)
  const trustProxyHops = integer('trust-proxy-hops', values['trust-proxy'] === true ? 1 : 0, 1, 32)
  const database = databaseLocation(text('database'), COLLECTOR_DEFAULTS.database)
  return {
    help: values.help === true,
    port: integer('port', COLLECTOR_DEFAULTS.port, 0, 65535),
    host,
    database,
    rawRetentionDays: integer('raw-retention-days', COLLECTOR_DEFAULTS.rawRetentionDays, 0, 3650),
    epsilon,
    pageKeys: parsePageKeys(text('page-keys'), readFile),
    windowDays: integer('window-days', COLLECTOR_DEFAULTS.windowDays, 1, 3650),
    valuePages: integer('value-pages', COLLECTOR_DEFAULTS.valuePages, 0, MAX_VALUE_PAGES),
    rateLimit: integer('rate-limit', COLLECTOR_DEFAULTS.rateLimit, 1, 10_000_000),
    rateBurst: integer('rate-burst', COLLECTOR_DEFAULTS.rateBurst, 1, 10_000_000),
    maxReportsPerDay: integer('max-reports-per-day', COLLECTOR_DEFAULTS.maxReportsPerDay, 1, 1_000_000_000),
    maxNewPacksPerDay: integer('max-new-packs-per-day', COLLECTOR_DEFAULTS.maxNewPacksPerDay, 0, 1_000_000),
    maxConnections: integer('max-connections', COLLECTOR_DEFAULTS.maxConnections, 1, 1_000_000),
    healthTimeoutMs: integer('health-timeout', COLLECTOR_DEFAULTS.healthTimeoutMs, 100, 600_000),
    // Above the 200 ms a report waits for its batch, and its write: less would refuse every report.
    reportTimeoutMs: integer('report-timeout', COLLECTOR_DEFAULTS.reportTimeoutMs, 1_000, 600_000),
    readTimeoutMs: integer('read-timeout', COLLECTOR_DEFAULTS.readTimeoutMs, 1_000, 600_000),
    minReports: integer('min-reports', COLLECTOR_DEFAULTS.minReports, 1, 10_000_000),
    minTrainingAnswers: integer('min-training-answers', COLLECTOR_DEFAULTS.minTrainingAnswers, 1, 1_000_000_000),
    pageStatsDir: text('page-stats-dir') ?? COLLECTOR_DEFAULTS.pageStatsDir,
    temporaryPageStatsDir: text('page-stats-dir') === undefined && database === 'memory:',
    pageStatsEveryMinutes: integer('page-stats-every', COLLECTOR_DEFAULTS.pageStatsEveryMinutes, 1, 10_080),
    pageStatsKeepDays: integer('page-stats-keep-days', COLLECTOR_DEFAULTS.pageStatsKeepDays, 1, 3650),
    allowedOrigins: origins,
    allowedHosts: [...new Set(((values['allowed-host'] as string[] | undefined) ?? []).map(toAllowedHost))],
    trustProxy: trustProxyHops > 0,
    trustProxyHops,
    knownPacks: ((values['known-pack'] as string[] | undefined) ?? []).map((path) => readKnownPack(path, readFile)),
    currency: text('currency') === undefined ? undefined : toCurrency(text('currency')!),
  }
}

function readKnownPack(path: string, readFile: (path: string) => string): unknown {
  let text: string
  try {
    text = readFile(path)
  } catch (error) {
    throw new CollectorError('collector_option', `--known-pack cannot read ${path}: ${fileProblem(error)}`, '--known-pack')
  }
  let pack: unknown
  try {
    pack = JSON.parse(text)
  } catch {}
  // What the pack id and leaf counts of its reports are read from (see packContexts).
  if (pack === null || typeof pack !== 'object' || packLeafNames([pack]).size !== 1) {
    throw new CollectorError('collector_option', `--known-pack ${path} is not a model pack (JSON with its kind, version and segment labels)`, '--known-pack')
  }
  return pack
}

/**
 * An origin as browsers send it in `Origin`, which the report endpoint compares with: `https://shop.example` as is,
 * an internationalised or capitalised host in that form (`https://ショップ.example` is `https://xn--xckya1d0c.example`,
 * `https://Shop.example` is `https://shop.example`). Anything but an origin (a path, a query, a user name) is refused.
 */
function toAllowedOrigin(origin: string): string {
  let url: URL | undefined
  try {
    url = new URL(origin)
  } catch {}
  // Nothing but the origin, written without a path (`https://shop.example/` is refused, as before): the URL adds only
  // its `/` (and writes the host in lower case and in the ASCII form browsers send).
  if (url && url.origin !== 'null' && url.href === url.origin + '/' && !origin.endsWith('/')) return url.origin
  throw new CollectorError('collector_option', `--allowed-origin must be an origin like https://shop.example, not "${origin}"`, '--allowed-origin')
}

function parsePageKeys(raw: string | undefined, readFile: (path: string) => string): string[] | undefined {
  if (raw === undefined) return undefined
  let list: string
  if (raw.startsWith('@')) {
    try {
      list = readFile(raw.slice(1))
    } catch (error) {
      throw new CollectorError('collector_option', `--page-keys cannot read ${raw.slice(1)}: ${fileProblem(error)}`, '--page-keys')
    }
  } else list = raw
  // Each key is checked by the report module's own rules when the estimator is created. In a file, a line that
  // starts with `#` is a comment (no page key starts with one).
  const fromFile = raw.startsWith('@')
  const keys = list.split(fromFile ? /\r?\n/ : ',').map((k) => k.trim())
  return [...new Set(keys.filter((k) => k && !(fromFile && k.startsWith('#'))))]
}
