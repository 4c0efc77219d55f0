// `npm run bench:collector-scale -- <step> …`: the collector at a big shop's volume, on the embedded store or on
// PostgreSQL, on loopback only, in bounded loops. Reports are the simulated shoppers' of `npm run simulate` (UCI
// Online Shoppers sessions on the 200-page synthetic shop, each body made by the SDK's own encodeReport), so they
// ask every question the shipped packs ask, with the value pages a live collector would pick. Numbers depend on the
// machine and its load, printed with them; they are reported, never asserted in tests. Steps:
//   ingest  --store S --concurrency 4,16,64 --reports N   POSTs to a collector process on a fresh store, per
//                                                         concurrency: reports/s accepted, POST latency median/p99
//   fill    --store S --from D --to D --per-day N         puts N reports of each day from D to D days ago (1:
//                                                         yesterday) through the collector's own ingest, each day
//                                                         under that day's clock, then runs that day's purge
//                                                         (30-day retention), as a store that ran for those days would
//   measure --store S [--runs 5]                          starts a collector process on the store: its start,
//                                                         every read the dashboard makes, its RSS, `retrain`, size
//   purge   --store S [--from 1]                          the purge after the next UTC midnight (--from days on):
//                                                         the oldest kept day goes; its time and longest statement
//   reestimate --store S [--seed 1]                       a start with one more page key: every kept day re-added
//                                                         from its raw reports (--seed 1: back to the shop's keys)
//   history --store S --from 36                           the sums of a shop that ran for years: the 30 days' sums
//                                                         copied to each earlier 30 days, --from times
//   explain --store postgres://…                          EXPLAIN ANALYZE of every statement that reads the store
// S is a folder (embedded store) or postgres://…; with PostgreSQL, --schema NAME (default seglet_scale) keeps the
// bench's tables apart (dropped by `ingest` before each run, and by `fill --fresh`).
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { createRequire } from 'node:module'
import os from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startCollectorProcess, stopCollectorProcess } from './lib/collectorProcess.mjs'
import { summarize } from './lib/stats.mjs'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const BUILD = join(ROOT, '.build')
mkdirSync(BUILD, { recursive: true })
writeFileSync(join(BUILD, 'package.json'), '{ "type": "commonjs" }\n')
const require = createRequire(import.meta.url)
const build = (path) => require(join(BUILD, path))

const step = process.argv[2]
const { values } = parseArgs({
  args: process.argv.slice(3),
  options: {
    store: { type: 'string' },
    schema: { type: 'string', default: 'seglet_scale' },
    concurrency: { type: 'string', default: '4,16,64' },
    reports: { type: 'string', default: '10000' },
    from: { type: 'string', default: '30' },
    to: { type: 'string', default: '1' },
    'per-day': { type: 'string', default: '20000' },
    runs: { type: 'string', default: '5' },
    port: { type: 'string', default: '8798' },
    fresh: { type: 'boolean', default: false },
    seed: { type: 'string', default: '0' },
    data: { type: 'string', default: join(ROOT, '..', 'shared', 'data') },
  },
})
if (!values.store) throw new Error('--store DIR|postgres://… is needed')
const PORT = Number(values.port)
const isPostgres = /^postgres(ql)?:\/\//.test(values.store)
const STORE = isPostgres
  ? `${values.store}${values.store.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${values.schema}`)}`
  : values.store
const DAY_MS = 86_400_000
const utcDay = (time) => new Date(time).toISOString().slice(0, 10)
const today = utcDay(Date.now())
const daysAgo = (n) => utcDay(Date.parse(`${today}T00:00:00Z`) - n * DAY_MS)
const load = () => os.loadavg().map((x) => +x.toFixed(2))
const say = (record) => console.log(JSON.stringify({ step, store: isPostgres ? 'PostgreSQL' : 'embedded', ...record }))

// The simulated shop and shoppers, as `npm run simulate -- --scenario dashboard` makes them.
const { loadPopulation } = build('sim/population.js')
const { createShop, SHOP_SEED } = build('sim/shop.js')
const { createRng } = build('training/rng.js')
const { simulateInsights, simulateReports } = build('sim/insights.js')
const { chooseValuePages, DEFAULT_VALUE_PAGES } = build('collector/estimates/chooseValuePages.js')
const population = loadPopulation(join(values.data, 'online_shoppers_intention.csv'))
const shop = createShop(createRng(SHOP_SEED))
const pageKeysFile = join(BUILD, 'scale-page-keys.txt')
writeFileSync(pageKeysFile, `${shop.keys.join('\n')}\n`)
let valuePages
/** `n` bodies of `day`, from seed `seed`, as the shop's browsers would post them. */
function bodiesOf(day, n, seed) {
  valuePages ??= chooseValuePages(simulateInsights(population, shop, { devices: 20_000, epsilon: 2, seed: 77 }).insights.pages, DEFAULT_VALUE_PAGES)
  const bodies = []
  simulateReports(population, shop, { devices: n, epsilon: 2, seed, valuePages, dayOf: () => day }, (body) => bodies.push(JSON.stringify(body)))
  return bodies
}

async function resetSchema() {
  const pg = require('pg')
  const client = new pg.Client({ connectionString: values.store })
  await client.connect()
  await client.query(`DROP SCHEMA IF EXISTS ${values.schema} CASCADE`)
  await client.query(`CREATE SCHEMA ${values.schema}`)
  await client.end()
}

/** Bytes the store takes: the folder, or the collector's tables with their indexes and TOAST. */
async function storeBytes(db) {
  if (!isPostgres) return Number(spawnSync('du', ['-sb', values.store], { encoding: 'utf8' }).stdout.split('\t')[0])
  const [row] = await db.query(`SELECT sum(pg_total_relation_size(c.oid))::bigint AS bytes FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'`)
  return Number(row.bytes)
}

async function startCollector(extra = []) {
  const started = performance.now()
  const child = await startCollectorProcess(ROOT, [
    '--port', String(PORT), '--database', STORE, '--trust-proxy', '--epsilon', '2',
    '--page-keys', `@${pageKeysFile}`, '--page-stats-dir', join(os.tmpdir(), `seglet-scale-stats-${process.pid}`),
    '--page-stats-every', '10080', '--max-reports-per-day', '10000000', ...extra,
  ])
  return { child, startMs: performance.now() - started }
}

const stop = stopCollectorProcess

function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN)
  return { rssMB: +(kb('VmRSS') / 1024).toFixed(1), peakMB: +(kb('VmHWM') / 1024).toFixed(1) }
}
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

let agent = new Agent({ keepAlive: true, maxSockets: 1024 })
let clientCounter = 0
/** One request; resolves with its status, its time and the bytes of its body. */
function call(method, path, body, headers = {}) {
  return new Promise((done, fail) => {
    const started = performance.now()
    const req = request({ host: '127.0.0.1', port: PORT, path, method, agent, headers: { 'sec-fetch-site': 'same-origin', ...headers } }, (res) => {
      let bytes = 0
      res.on('data', (chunk) => (bytes += chunk.length))
      res.on('end', () => done({ status: res.statusCode, ms: performance.now() - started, bytes }))
    })
    req.on('error', fail)
    req.end(body)
  })
}
function post(body) {
  const n = clientCounter++
  return call('POST', '/seglet/reports', body, {
    'content-type': 'text/plain', 'content-length': Buffer.byteLength(body), 'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
  })
}

/** Posts every body with `concurrency` requests in flight: accepted reports/s, POST latency, collector CPU. */
async function drive(bodies, concurrency, pid) {
  const cpu = cpuSeconds(pid)
  const latencies = []
  const statuses = {}
  let next = 0
  const started = performance.now()
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < bodies.length) {
      const { status, ms } = await post(bodies[next++])
      statuses[status] = (statuses[status] ?? 0) + 1
      latencies.push(ms)
    }
  }))
  const seconds = (performance.now() - started) / 1000
  const s = summarize(latencies)
  return {
    concurrency, posted: bodies.length, statuses, reportsPerSecond: Math.round((statuses[202] ?? 0) / seconds),
    reportsPerCollectorCpuSecond: Math.round((statuses[202] ?? 0) / (cpuSeconds(pid) - cpu)),
    latencyMedianMs: +s.median.toFixed(1), latencyP99Ms: +s.p99.toFixed(1),
  }
}

async function ingestStep() {
  const bodies = bodiesOf(daysAgo(1), Number(values.reports), 4242)
  for (const concurrency of values.concurrency.split(',').map(Number)) {
    if (isPostgres) await resetSchema()
    else rmSync(values.store, { recursive: true, force: true })
    const { child } = await startCollector()
    const loadBefore = load()
    // About 150 rounds of requests each: a report waits up to 200 ms for its batch, so few clients post few a second.
    const result = await drive(bodies.slice(0, Math.min(bodies.length, concurrency * 150)), concurrency, child.pid)
    say({ ...result, rss: memory(child.pid), loadBefore, loadAfter: load() })
    await stop(child)
  }
}

async function fillStep() {
  const { openDatabase } = build('collector/storage/openDatabase.js')
  const { migrate } = build('collector/storage/migrate.js')
  const { createIngest } = build('collector/ingest/createIngest.js')
  const { createReportEstimator } = build('collector/estimates/createReportEstimator.js')
  const { packContexts } = build('collector/estimates/packLeafNames.js')
  const { purgeReports } = build('collector/storage/purgeReports.js')
  const { countReports } = build('collector/storage/countReports.js')
  const { reestimate } = build('collector/server/reestimate.js')
  const { writeSetting, RAW_RETENTION_SETTING } = build('collector/storage/settings.js')
  if (values.fresh) {
    if (isPostgres) await resetSchema()
    else rmSync(values.store, { recursive: true, force: true })
  }
  const db = await openDatabase(STORE)
  try {
    await migrate(db)
    await writeSetting(db, RAW_RETENTION_SETTING, '30')
    // The estimator a collector started with `--page-keys` of the shop builds (shipped packs, 24 value pages).
    const estimator = createReportEstimator({ pageKeys: shop.keys, packs: population.packs })
    await reestimate(db, estimator, shop.keys)
    const perDay = Number(values['per-day'])
    for (let ago = Number(values.from); ago >= Number(values.to); ago--) {
      const day = daysAgo(ago)
      const bodies = bodiesOf(day, perDay, 1000 + ago + 1000 * Number(values.seed))
      // That day's clock (an hour before its end): its reports are today's, and tomorrow's purge is its own.
      const clock = Date.parse(`${day}T23:00:00Z`)
      const ingest = createIngest(db, estimator, { epsilons: [2], maxReportsPerDay: Infinity, knownPacks: packContexts(population.packs), now: () => clock })
      const browser = `${values.seed} ${day} browser`
      const started = performance.now()
      for (let i = 0; i < bodies.length; i += 5000) {
        await Promise.all(bodies.slice(i, i + 5000).map((text, j) => ingest.submit(`${browser} ${i + j}`, text)))
      }
      await ingest.close()
      const fillSeconds = (performance.now() - started) / 1000
      const purgeStarted = performance.now()
      await purgeReports(db, daysAgo(ago - 1), 30)
      const purgeMs = performance.now() - purgeStarted
      const [sums] = await db.query('SELECT count(*)::bigint AS n FROM seglet_sums')
      say({ day, reports: perDay, accepted: ingest.counts.accepted ?? 0, reportsPerSecond: Math.round(perDay / fillSeconds), purgeMs: Math.round(purgeMs), rawReports: await countReports(db), sumsRows: Number(sums.n), bytes: await storeBytes(db), load: load() })
    }
  } finally {
    await db.close()
  }
}

async function measureStep() {
  const runs = Number(values.runs)
  const loadBefore = load()
  const { child, startMs } = await startCollector()
  const rssAtStart = memory(child.pid)
  const timings = {}
  const time = async (name, method, path, headers) => {
    const samples = []
    let last
    for (let r = 0; r < runs; r++) {
      last = await call(method, path, undefined, headers)
      if (last.status >= 400) throw new Error(`${method} ${path}: ${last.status}`)
      samples.push(last.ms)
    }
    const s = summarize(samples)
    timings[name] = { medianMs: +s.median.toFixed(1), maxMs: +s.max.toFixed(1), status: last.status, bytes: last.bytes }
  }
  const gzip = { 'accept-encoding': 'gzip' }
  await time('GET insights.json', 'GET', '/seglet/insights.json', gzip)
  await time('POST page-stats.json (rewrite)', 'POST', '/seglet/page-stats.json', {})
  await time('GET page-stats.json', 'GET', '/seglet/page-stats.json', gzip)
  await time('GET page-stats.current.json', 'GET', '/seglet/page-stats.current.json', gzip)
  await time('GET dashboard', 'GET', '/seglet/dashboard', gzip)
  await time('GET health', 'GET', '/seglet/health', {})
  const rssAfterReads = memory(child.pid)
  // A burst of today's reports on the full store, then the insights again (each read sums what is pending first).
  const burst = await drive(bodiesOf(today, 10_000, 99), 64, child.pid)
  await time('GET insights.json after 10,000 new reports', 'GET', '/seglet/insights.json', gzip)
  const rssAfterBurst = memory(child.pid)
  await stop(child)
  agent.destroy()
  agent = new Agent({ keepAlive: true, maxSockets: 1024 })
  const retrainStarted = performance.now()
  const retrain = spawnSync(process.execPath, ['collector/run.mjs', 'retrain', '--database', STORE, '--out', join(os.tmpdir(), `seglet-scale-retrain-${process.pid}.json`), '--publish-dir', join(os.tmpdir(), `seglet-scale-publish-${process.pid}`)], { cwd: ROOT, encoding: 'utf8' })
  const retrainMs = performance.now() - retrainStarted
  const { openDatabase } = build('collector/storage/openDatabase.js')
  const { countReports } = build('collector/storage/countReports.js')
  const db = await openDatabase(STORE)
  const rawReports = await countReports(db)
  const [sums] = await db.query('SELECT count(*)::bigint AS n FROM seglet_sums')
  const bytes = await storeBytes(db)
  await db.close()
  say({
    rawReports, sumsRows: Number(sums.n), bytes, bytesPerMillionReports: Math.round(bytes / (rawReports / 1e6)), startMs: Math.round(startMs), timings,
    rssAtStart, rssAfterReads, burst, rssAfterBurst, retrain: { ms: Math.round(retrainMs), code: retrain.status, said: (retrain.stdout + retrain.stderr).trim().split('\n').slice(-2).join(' / ').slice(0, 300) },
    loadBefore, loadAfter: load(),
  })
}

/**
 * What a collector started with one more page key (`--page-keys`: the shop added a page) does before it takes
 * reports: every kept day's sums re-added from its raw reports, a transaction per day that holds off storing in
 * every other process on the store. Times the whole re-estimate and each day's transaction. With --seed 1 it goes
 * back to the shop's keys (so the store is as it was).
 */
async function reestimateStep() {
  const { openDatabase } = build('collector/storage/openDatabase.js')
  const { createReportEstimator } = build('collector/estimates/createReportEstimator.js')
  const { reestimate } = build('collector/server/reestimate.js')
  const db = await openDatabase(STORE)
  const keys = values.seed === '1' ? shop.keys : [...shop.keys, 'product/new-page']
  const days = []
  const timed = {
    kind: db.kind,
    query: (text, params) => db.query(text, params),
    transaction: async (work) => {
      const started = performance.now()
      try {
        return await db.transaction(work)
      } finally {
        days.push(performance.now() - started)
      }
    },
    close: () => db.close(),
  }
  try {
    const started = performance.now()
    const done = await reestimate(timed, createReportEstimator({ pageKeys: keys, packs: population.packs }), keys)
    const ms = performance.now() - started
    const s = summarize(days)
    say({ pageKeys: keys.length, days: done.length, ms: Math.round(ms), dayTransactionMedianMs: Math.round(s.median), dayTransactionMaxMs: Math.round(s.max), load: load() })
  } finally {
    await db.close()
  }
}

/**
 * The daily sums of a shop that has run for years: the store's 30 days of sums (made by `fill`) copied to each
 * earlier 30 days, --from times (36: three years). Raw reports are not copied: the retention has dropped them.
 */
async function historyStep() {
  const { openDatabase } = build('collector/storage/openDatabase.js')
  const db = await openDatabase(STORE)
  try {
    const started = performance.now()
    for (let k = 1; k <= Number(values.from); k++) {
      await db.query(`INSERT INTO seglet_sums (day, pack_id, epsilon, segment_leaves, value_leaves, counter, value)
        SELECT day - ${30 * k}, pack_id, epsilon, segment_leaves, value_leaves, counter, value FROM seglet_sums
        WHERE day > $1::date AND day <= $2::date`, [daysAgo(31), daysAgo(1)])
    }
    await db.query('ANALYZE seglet_sums')
    const [sums] = await db.query('SELECT count(*)::bigint AS n, min(day)::text AS first FROM seglet_sums')
    say({ sumsRows: Number(sums.n), firstDay: sums.first, ms: Math.round(performance.now() - started), bytes: await storeBytes(db) })
  } finally {
    await db.close()
  }
}

/**
 * The purge the collector runs after the next UTC midnight: the oldest kept day's raw reports go. Times the whole
 * purge and its longest statement: on the embedded store each statement holds the collector's only thread.
 */
async function purgeStep() {
  const { openDatabase } = build('collector/storage/openDatabase.js')
  const { purgeReports } = build('collector/storage/purgeReports.js')
  const { countReports } = build('collector/storage/countReports.js')
  const db = await openDatabase(STORE)
  try {
    const before = await countReports(db)
    const bytesBefore = await storeBytes(db)
    const statements = []
    const timed = {
      kind: db.kind,
      query: async (text, params) => {
        const started = performance.now()
        try {
          return await db.query(text, params)
        } finally {
          statements.push({ what: text.trim().split(/\s+/).slice(0, 2).join(' '), ms: performance.now() - started })
        }
      },
    }
    const started = performance.now()
    await purgeReports(timed, daysAgo(-Number(values.from)), 30)
    const ms = performance.now() - started
    const longest = statements.reduce((a, b) => (b.ms > a.ms ? b : a))
    const byKind = {}
    for (const { what, ms } of statements) byKind[what] = Math.round((byKind[what] ?? 0) + ms)
    say({ keptFrom: daysAgo(29 - Number(values.from)), deleted: before - (await countReports(db)), rawReportsBefore: before, ms: Math.round(ms), statements: statements.length, longestMs: Math.round(longest.ms), longest: longest.what, msByStatement: byKind, bytesBefore, bytesAfter: await storeBytes(db), load: load() })
  } finally {
    await db.close()
  }
}

async function explainStep() {
  if (!isPostgres) throw new Error('explain runs on PostgreSQL')
  const { SQL } = build('collector/storage/sql.js')
  const { createReportEstimator } = build('collector/estimates/createReportEstimator.js')
  const { pageKeyListId } = build('collector/estimates/pageKeyListId.js')
  const estimator = createReportEstimator({ pageKeys: shop.keys, packs: population.packs })
  const patterns = estimator.windowCounters.map((prefix) => `${prefix.replace(/[\\%_]/g, '\\$&')}%`)
  const pg = require('pg')
  const client = new pg.Client({ connectionString: STORE })
  await client.connect()
  const statements = {
    readSumsCollapsed: [SQL.readSumsCollapsed, [daysAgo(27), today, patterns]],
    readSums: [SQL.readSums, [daysAgo(27), today]],
    readPacks: [SQL.readPacks, []],
    daysWithReports: [SQL.daysWithReports, []],
    daysDecodedAgainstOthers: [SQL.daysDecodedAgainstOthers, [`%"decoded","${pageKeyListId(shop.keys)}"%`]],
    readReportsOfDay: [SQL.readReportsOfDay, [daysAgo(1), 0, 5000]],
    lastUnsummed: [SQL.lastUnsummed, []],
    countReports: [SQL.countReports, []],
    deleteReportsBefore: [SQL.deleteReportsBefore, [daysAgo(29), 5000]],
  }
  for (const [name, [text, params]] of Object.entries(statements)) {
    await client.query('BEGIN')
    const plan = (await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, params)).rows.map((row) => row['QUERY PLAN'])
    await client.query('ROLLBACK')
    console.log(`--- ${name}\n${plan.join('\n')}`)
  }
  await client.end()
}

console.log(JSON.stringify({ machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version }, load: load() }))
const run = { ingest: ingestStep, fill: fillStep, measure: measureStep, purge: purgeStep, reestimate: reestimateStep, history: historyStep, explain: explainStep }[step]
if (!run) throw new Error(`step must be ingest, fill, measure or explain, not ${step}`)
await run()
agent.destroy()
