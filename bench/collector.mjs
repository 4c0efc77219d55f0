// `npm run bench:collector`: the collector's ingest throughput and memory, on loopback only, in bounded loops.
// Starts a real collector process (collector/run.mjs) and posts report bodies made by the SDK's own encodeReport,
// each from its own client address (X-Forwarded-For with --trust-proxy), as real shoppers would, keeping
// CONCURRENCY requests in flight over keep-alive connections. Prints reports/s (median of RUNS runs), request
// latency (median, p99), and the collector's memory (RSS) after storing STORED reports. Numbers depend on the
// machine and its load (printed with them); they are reported here, never asserted in tests.
// Usage: npm run bench:collector [-- --runs 3 --reports 20000 --stored 1000000 --postgres postgres://…]
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
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
const { encodeReport } = require(join(BUILD, 'src/reports/encodeReport.js'))
const { createRng } = require(join(BUILD, 'training/rng.js'))

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    reports: { type: 'string', default: '20000' },
    stored: { type: 'string', default: '1000000' },
    concurrency: { type: 'string', default: '512' },
    port: { type: 'string', default: '8797' },
    postgres: { type: 'string', default: process.env.SEGLET_BENCH_DATABASE_URL ?? process.env.SEGLET_TEST_DATABASE_URL ?? '' },
  },
})
const RUNS = Math.min(10, Number(values.runs))
const REPORTS = Math.min(200_000, Number(values.reports))
const STORED = Math.min(2_000_000, Number(values.stored))
const CONCURRENCY = Math.min(4096, Number(values.concurrency))
const PORT = Number(values.port)
const CONTEXT = { packId: 'session@1+lifetime@1', segmentLeaves: 4, valueLeaves: 4 }
const PAGE_KEYS = Array.from({ length: 200 }, (_, i) => (i < 20 ? `category/c${i}` : `product/p${i}`))
const DAY = new Date().toISOString().slice(0, 10)

/** `n` bodies from `seed`: random plausible sessions over PAGE_KEYS, encoded by the SDK's own code. */
function* bodies(n, seed) {
  const rng = createRng(seed)
  const random = (array) => {
    for (let i = 0; i < array.length; i++) array[i] = rng() * 4294967296
    return array
  }
  for (let i = 0; i < n; i++) {
    const count = 1 + Math.floor(rng() * 6)
    const ordered = rng() < 0.1
    const pages = Array.from({ length: count }, (_, j) => ({
      key: PAGE_KEYS[Math.floor(rng() * rng() * PAGE_KEYS.length)],
      bounced: count === 1,
      exited: j === count - 1,
      orderFollowed: ordered && j < count - 1,
    }))
    const truth = {
      segmentLeaf: Math.floor(rng() * 4),
      valueSegment: Math.floor(rng() * 4),
      ordered,
      orderValueBucket: ordered ? Math.floor(rng() * 5) : 0,
      arm: rng() < 0.1 ? 'holdout' : 'treatment',
      pages,
    }
    yield JSON.stringify(encodeReport(truth, CONTEXT, { epsilon: 2, day: DAY, random }))
  }
}

const startCollector = (database) =>
  startCollectorProcess(
    ROOT,
    [
      '--port', String(PORT), '--database', database, '--trust-proxy', '--epsilon', '2',
      '--page-keys', PAGE_KEYS.join(','), '--page-stats-dir', join(os.tmpdir(), `seglet-bench-stats-${process.pid}`),
      '--page-stats-every', '10080',
    ],
    (process.env.SEGLET_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
  )

const stop = stopCollectorProcess

const TICKS = 100 // USER_HZ: /proc reports CPU time in 1/100 s on Linux
/** CPU seconds (user + system) the process has used. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) / TICKS
}

function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN)
  return { rssMB: kb('VmRSS') / 1024, peakMB: kb('VmHWM') / 1024 }
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY })
let clientCounter = 0
function post(body) {
  const n = clientCounter++
  const address = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`
  return new Promise((done, fail) => {
    const started = performance.now()
    const req = request(
      { host: '127.0.0.1', port: PORT, path: '/seglet/reports', method: 'POST', agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-forwarded-for': address, 'sec-fetch-site': 'same-origin' } },
      (res) => {
        res.resume()
        res.on('end', () => done({ status: res.statusCode, ms: performance.now() - started }))
      },
    )
    req.on('error', fail)
    req.end(body)
  })
}

/** Posts every body of `source` with CONCURRENCY in flight; returns reports/s (wall and per CPU second of `pid`) and latencies. */
async function drive(source, pid) {
  const cpuBefore = cpuSeconds(pid)
  const latencies = []
  const statuses = {}
  const started = performance.now()
  const worker = async () => {
    for (;;) {
      const next = source.next()
      if (next.done) return
      const { status, ms } = await post(next.value)
      statuses[status] = (statuses[status] ?? 0) + 1
      latencies.push(ms)
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  const seconds = (performance.now() - started) / 1000
  const cpu = cpuSeconds(pid) - cpuBefore
  const latency = summarize(latencies)
  return {
    accepted: statuses[202] ?? 0,
    statuses,
    perSecond: (statuses[202] ?? 0) / seconds,
    perCpuSecond: (statuses[202] ?? 0) / cpu,
    medianMs: latency.median,
    p99Ms: latency.p99,
  }
}

const median = (xs) => summarize(xs).median

async function throughput(label, database, reset) {
  const runs = []
  for (let r = 0; r < RUNS; r++) {
    await reset?.()
    const child = await startCollector(database())
    // Encoded before the clock starts, so the client's own work does not pace the collector.
    runs.push(await drive([...bodies(REPORTS, 1000 + r)].values(), child.pid))
    await stop(child)
  }
  const result = {
    store: label,
    reportsPerRun: REPORTS,
    runs: runs.length,
    reportsPerSecondMedian: Math.round(median(runs.map((r) => r.perSecond))),
    reportsPerCollectorCpuSecondMedian: Math.round(median(runs.map((r) => r.perCpuSecond))),
    latencyMedianMs: +median(runs.map((r) => r.medianMs)).toFixed(2),
    latencyP99Ms: +median(runs.map((r) => r.p99Ms)).toFixed(2),
    statuses: runs.map((r) => r.statuses),
  }
  console.log(JSON.stringify(result))
  return result
}

const temp = mkdtempSync(join(os.tmpdir(), 'seglet-bench-'))
const machine = { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, loadavgBefore: os.loadavg().map((x) => +x.toFixed(2)) }
console.log(JSON.stringify({ machine, concurrency: CONCURRENCY }))
const results = { machine, throughput: [] }
try {
  let dbIndex = 0
  results.throughput.push(await throughput('embedded (PGlite)', () => join(temp, `db${dbIndex++}`)))
  if (values.postgres) {
    // A schema of its own, emptied before each run, so the bench never mixes with other data in that database.
    const pg = require('pg')
    const schemaUrl = () => `${values.postgres}${values.postgres.includes('?') ? '&' : '?'}options=${encodeURIComponent('-c search_path=seglet_bench')}`
    const reset = async () => {
      const client = new pg.Client({ connectionString: values.postgres })
      await client.connect()
      await client.query('DROP SCHEMA IF EXISTS seglet_bench CASCADE')
      await client.query('CREATE SCHEMA seglet_bench')
      await client.end()
    }
    await reset()
    results.throughput.push(await throughput('PostgreSQL', schemaUrl, reset))
  }
  if (STORED > 0) {
    // Filled through the collector's own ingest stage in this process (the HTTP layer adds nothing stored),
    // then a collector process is started on the full store and measured.
    const { openDatabase } = require(join(BUILD, 'collector/storage/openDatabase.js'))
    const { migrate } = require(join(BUILD, 'collector/storage/migrate.js'))
    const { createIngest } = require(join(BUILD, 'collector/ingest/createIngest.js'))
    const { createReportEstimator } = require(join(BUILD, 'collector/estimates/createReportEstimator.js'))
    const { countReports } = require(join(BUILD, 'collector/storage/countReports.js'))
    const fillStarted = performance.now()
    const db = await openDatabase(join(temp, 'stored'))
    await migrate(db)
    const ingest = createIngest(db, createReportEstimator({ pageKeys: PAGE_KEYS }), { epsilons: [2] })
    const source = bodies(STORED, 7)
    let n = 0
    for (;;) {
      const chunk = []
      for (let i = 0; i < 5000; i++) {
        const next = source.next()
        if (next.done) break
        chunk.push(ingest.submit(`fill${n++}`, next.value))
      }
      if (chunk.length === 0) break
      await Promise.all(chunk)
    }
    await ingest.flush()
    const storedCount = await countReports(db)
    await db.close()
    const fillSeconds = (performance.now() - fillStarted) / 1000
    const child = await startCollector(join(temp, 'stored'))
    const before = memory(child.pid)
    const fill = await drive([...bodies(REPORTS, 8)].values(), child.pid)
    const afterIngest = memory(child.pid)
    const started = performance.now()
    await new Promise((done) => request({ host: '127.0.0.1', port: PORT, path: '/seglet/insights.json', agent }, (res) => res.resume().on('end', done)).end())
    const insightsMs = performance.now() - started
    const afterInsights = memory(child.pid)
    const stored = { stored: storedCount + fill.accepted, fillSeconds: Math.round(fillSeconds), reportsPerSecondOnFullStore: Math.round(fill.perSecond), reportsPerCollectorCpuSecondOnFullStore: Math.round(fill.perCpuSecond), rssAtStartMB: +before.rssMB.toFixed(1), rssAfterIngestMB: +afterIngest.rssMB.toFixed(1), rssAfterInsightsMB: +afterInsights.rssMB.toFixed(1), peakRssMB: +afterInsights.peakMB.toFixed(1), insightsMs: Math.round(insightsMs) }
    console.log(JSON.stringify(stored))
    results.stored = stored
    await stop(child)
  }
} finally {
  agent.destroy()
  rmSync(temp, { recursive: true, force: true })
}
results.machine.loadavgAfter = os.loadavg().map((x) => +x.toFixed(2))
console.log(JSON.stringify({ loadavgAfter: results.machine.loadavgAfter }))
