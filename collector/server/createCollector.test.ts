// @vitest-environment node
import { createHash } from 'node:crypto'
import { createServer, get, request, type IncomingMessage, type ServerResponse } from 'node:http'
import { gunzipSync } from 'node:zlib'
import { connect, type AddressInfo } from 'node:net'
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { networkInterfaces, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { validatePageStatsTable } from '../../src/reports/pageStatsTable'
import { encodeReport } from '../../src/reports/encodeReport'
import type { ReportTruth } from '../../src/reports/types'
import { seededRandom } from '../../sim/seededRandom'
import { createReportEstimator } from '../estimates/createReportEstimator'
import { countReports } from '../storage/countReports'
import { migrate } from '../storage/migrate'
import { SQL } from '../storage/sql'
import type { Database } from '../storage/types'
import { DATABASE_TARGETS } from '../testing/databases'
import { fillDisk } from '../testing/fillDisk'
import { postReports, reportBodies, TEST_BATCH_DELAY_MS, TEST_CONTEXT, TEST_PAGE_KEYS } from '../testing/reports'
import { readSums } from '../storage/readSums'
import { readPageKeyLists } from './pageKeyLists'
import { storeOf, trainingStatus } from '../learn/trainingStatus'
import { createCollector, pageStatsFileName } from './createCollector'
import { createCollectorServer } from './createCollectorServer'

const NOW = Date.parse('2026-11-30T12:00:00Z')
const DAY = '2026-11-29'

/**
 * `db` behind a switch: while `silent`, every query and transaction is taken (named in `heldQueries`) and answered
 * only once `release()` is called, as a database that stopped answering would.
 */
function silenceable(db: Database, silent = false) {
  let release = () => {}
  const answering = new Promise<void>((resolve) => (release = resolve))
  const switchboard = {
    silent,
    heldQueries: [] as string[],
    release: () => ((switchboard.silent = false), release()),
    held: undefined as unknown as Database,
  }
  const hold = async (what: string) => {
    if (!switchboard.silent) return
    switchboard.heldQueries.push(what)
    await answering
  }
  switchboard.held = {
    ...db,
    query: async (text, params) => (await hold(text), db.query(text, params)),
    transaction: async (work) => (await hold('transaction'), db.transaction(work)),
  }
  return switchboard
}

describe.each(DATABASE_TARGETS)('collector over HTTP on $name', (target) => {
  let db: Database
  let dir: string
  beforeAll(async () => {
    db = await target.open()
    await migrate(db)
    dir = mkdtempSync(join(tmpdir(), 'seglet-collector-'))
  }, 300_000)
  afterAll(async () => {
    await db?.close()
    rmSync(dir, { recursive: true, force: true })
  })
  beforeEach(async () => {
    await db.query('TRUNCATE seglet_reports, seglet_sums, seglet_settings, seglet_unsummed')
  })
  // Each test's collectors are closed after it: a collector left running would sum the next test's reports in its
  // own transaction, which that test's reads do not wait for.
  const made: Array<ReturnType<typeof createCollector>> = []
  afterEach(async () => {
    await Promise.allSettled(made.splice(0).map((collector) => collector.close()))
  })

  const make = (options: Parameters<typeof createCollector>[2] = {}) => {
    const collector = createCollector(db, createReportEstimator({ pageKeys: TEST_PAGE_KEYS }), { now: () => NOW, pageStatsDir: dir, batch: { maxDelayMs: TEST_BATCH_DELAY_MS }, ...options })
    made.push(collector)
    return collector
  }
  const post = async (collector: ReturnType<typeof make>, body: string, init: { address?: string; headers?: Record<string, string> } = {}) =>
    collector.app.request(
      '/seglet/reports',
      { method: 'POST', body, headers: { 'content-type': 'text/plain;charset=UTF-8', 'sec-fetch-site': 'same-origin', ...init.headers } },
      { incoming: { socket: { remoteAddress: init.address ?? '203.0.113.77' } } } as never,
    )

  it('says in insights.json the currency the shop\'s money figures are in, when given one, and refuses a code that is none', async () => {
    expect((await (await make({ currency: 'EUR' }).app.request('/seglet/insights.json')).json()).currency).toBe('EUR')
    expect((await (await make().app.request('/seglet/insights.json')).json())).not.toHaveProperty('currency')
    expect(() => make({ currency: 'EURO' })).toThrow(expect.objectContaining({ code: 'collector_option', message: expect.stringContaining('ISO 4217') }))
  })

  it("carries the notice it is given in insights.json, a function's line as it is at each read, and none without one", async () => {
    const notice = async (collector: ReturnType<typeof make>) => (await (await collector.app.request('/seglet/insights.json')).json()).notice
    expect(await notice(make({ notice: 'Simulated figures.' }))).toBe('Simulated figures.')
    let line: string | undefined
    const changing = make({ notice: () => line })
    expect(await notice(changing)).toBeUndefined()
    line = 'Simulated figures. A retrain ran.'
    expect(await notice(changing)).toBe('Simulated figures. A retrain ran.')
    expect(await notice(make())).toBeUndefined()
  })

  it('rewrites the page statistics one at a time: calls at once all succeed, and the integrity file matches the table', async () => {
    const collector = make()
    const bodies = reportBodies(40, { day: DAY, seed: 8 })
    await Promise.all(bodies.map((body, i) => post(collector, body, { address: `10.8.0.${i}` })))
    const rewrite = () => collector.app.request('/seglet/page-stats.json', { method: 'POST', headers: { 'sec-fetch-site': 'same-origin' } })
    const responses = await Promise.all(Array.from({ length: 8 }, rewrite))
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200))
    const text = readFileSync(join(dir, 'page-stats.json'), 'utf8')
    const integrity = `sha256-${createHash('sha256').update(text).digest('base64')}`
    expect(readFileSync(join(dir, 'page-stats.json.integrity'), 'utf8').trim()).toBe(integrity)
    for (const response of responses) expect(((await response.json()) as { integrity: string }).integrity).toBe(integrity)
    expect(JSON.parse(text).reports).toBe(40)
  })

  it('refuses a cross-site rewrite of the page statistics with the message that says what to change', async () => {
    const collector = make()
    const response = await collector.app.request('/seglet/page-stats.json', { method: 'POST', headers: { 'sec-fetch-site': 'cross-site' } })
    expect(response.status).toBe(403)
    expect(await response.json()).toEqual({ error: 'cross_site', message: expect.stringMatching(/--allowed-origin/) })
  })

  it('refuses insights.json to a page of another site, which could only make a signed-in browser work out the estimates', async () => {
    const collector = make()
    const ask = (headers: Record<string, string>, method = 'GET') => collector.app.request('/seglet/insights.json', { method, headers })
    for (const site of ['cross-site', 'same-site']) {
      for (const [mode, dest] of [['no-cors', 'image'], ['no-cors', 'script'], ['cors', 'empty'], ['navigate', 'iframe']]) {
        const refused = await ask({ 'sec-fetch-site': site, 'sec-fetch-mode': mode!, 'sec-fetch-dest': dest! })
        expect([site, mode, dest, refused.status, refused.headers.get('cache-control')]).toEqual([site, mode, dest, 403, null])
        expect(await refused.json()).toEqual({ error: 'cross_site', message: expect.stringMatching(/own origin only/) })
      }
      expect((await ask({ 'sec-fetch-site': site }, 'HEAD')).status).toBe(403)
      // A link followed from elsewhere opens it, as any page of the shop.
      expect((await ask({ 'sec-fetch-site': site, 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' })).status).toBe(200)
    }
    // The dashboard's own fetch, an address typed, and a script or server without fetch metadata.
    for (const headers of [{ 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors' }, { 'sec-fetch-site': 'none' }, {}] as Record<string, string>[]) {
      expect((await ask(headers)).status).toBe(200)
    }
  })

  it('publishes each table under its own name before pointing to it, so a page always gets a table matching its integrity', async () => {
    const collector = make()
    const rewrite = () => collector.app.request('/seglet/page-stats.json', { method: 'POST', headers: { 'sec-fetch-site': 'same-origin' } })
    const pointer = () => JSON.parse(readFileSync(join(dir, 'page-stats.current.json'), 'utf8')) as { file: string; integrity: string; day: string }
    const sha = (text: string) => `sha256-${createHash('sha256').update(text).digest('base64')}`
    await post(collector, reportBodies(1, { day: DAY, seed: 3 })[0]!, { address: '10.7.0.1' })
    await rewrite()
    const first = pointer()
    expect(first.file).toMatch(/^page-stats-[0-9a-f]{64}\.json$/)
    const firstText = readFileSync(join(dir, first.file), 'utf8')
    expect(sha(firstText)).toBe(first.integrity)
    expect(first.day).toBe('2026-11-30')
    // New reports give a new table under a new name; a page rendered with the earlier pointer still finds its table.
    await Promise.all(reportBodies(30, { day: DAY, seed: 4 }).map((body, i) => post(collector, body, { address: `10.7.1.${i}` })))
    // One replaced three days ago is deleted by the next rewrite.
    const stale = join(dir, `page-stats-${'a'.repeat(64)}.json`)
    writeFileSync(stale, '{}')
    utimesSync(stale, new Date(Date.now() - 3 * 86_400_000), new Date(Date.now() - 3 * 86_400_000))
    await rewrite()
    expect(existsSync(stale)).toBe(false)
    const second = pointer()
    expect(second.file).not.toBe(first.file)
    expect(sha(readFileSync(join(dir, second.file), 'utf8'))).toBe(second.integrity)
    expect(readFileSync(join(dir, first.file), 'utf8')).toBe(firstText)
    // Behind the proxy the collector serves them too, each for good.
    for (const { file, integrity } of [first, second]) {
      const response = await collector.app.request(`/seglet/${file}`)
      expect(response.status).toBe(200)
      expect(sha(await response.text())).toBe(integrity)
      expect(response.headers.get('cache-control')).toContain('immutable')
    }
    expect((await collector.app.request(`/seglet/page-stats-${'0'.repeat(64)}.json`)).status).toBe(404)
    // The dashboard names the table the pointer names, for the shop to check its pages against.
    const insights = (await (await collector.app.request('/seglet/insights.json')).json()) as { pageStats: object }
    expect(insights.pageStats).toEqual({ path: '/seglet/page-stats.json', file: second.file, integrity: second.integrity, day: second.day, pages: expect.any(Array), withRates: expect.any(Array), withValue: expect.any(Array) })
    const held = JSON.parse(readFileSync(join(dir, second.file), 'utf8')).pages as Record<string, { bounceRate?: number; pageValue?: number }>
    const { pages, withRates, withValue } = insights.pageStats as Record<string, string[]>
    expect([pages, withRates, withValue]).toEqual([
      Object.keys(held),
      Object.keys(held).filter((key) => held[key]!.bounceRate !== undefined),
      Object.keys(held).filter((key) => held[key]!.pageValue !== undefined),
    ])
    // And the pointer, for a page renderer on another host than the collector: always the latest.
    const current = await collector.app.request('/seglet/page-stats.current.json')
    expect(current.status).toBe(200)
    expect(current.headers.get('cache-control')).toBe('no-cache')
    expect(await current.json()).toEqual(second)
  })

  it('serves, from each of two collectors on one folder, the table the pointer names, whichever rewrote it last', async () => {
    // Replicas behind a load balancer, each rewriting on its own timer: a page rendered with the pointer's integrity
    // loads the table from either, and the dashboard names the same table whichever answers.
    const [one, two] = [make(), make()]
    const rewrite = (collector: ReturnType<typeof make>) => collector.app.request('/seglet/page-stats.json', { method: 'POST', headers: { 'sec-fetch-site': 'same-origin' } })
    const pointer = () => JSON.parse(readFileSync(join(dir, 'page-stats.current.json'), 'utf8')) as { file: string; integrity: string }
    for (const [round, writer] of [one, two, one].entries()) {
      await Promise.all(reportBodies(20, { day: DAY, seed: 90 + round }).map((body, i) => post(round % 2 ? two : one, body, { address: `10.6.${round}.${i}` })))
      expect((await rewrite(writer)).status).toBe(200)
      const { file, integrity } = pointer()
      for (const collector of [one, two]) {
        const table = await collector.app.request('/seglet/page-stats.json')
        expect([round, table.headers.get('x-seglet-integrity')]).toEqual([round, integrity])
        expect(await table.text()).toBe(readFileSync(join(dir, file), 'utf8'))
        const insights = (await (await collector.app.request('/seglet/insights.json')).json()) as { pageStats: { file: string; integrity: string; pages: string[] } }
        expect([round, insights.pageStats.file, insights.pageStats.integrity]).toEqual([round, file, integrity])
        expect(insights.pageStats.pages).toEqual(Object.keys(JSON.parse(readFileSync(join(dir, file), 'utf8')).pages))
      }
    }
  })

  it('serves the pointer to the latest table with an ETag, answering a revalidation while it names the same table 304', async () => {
    const collector = make()
    await collector.regeneratePageStats()
    const first = await collector.app.request('/seglet/page-stats.current.json')
    const etag = first.headers.get('etag')
    expect(etag).toBe(`"sha256-${createHash('sha256').update(await first.text()).digest('base64')}"`)
    const again = await collector.app.request('/seglet/page-stats.current.json', { headers: { 'if-none-match': etag! } })
    expect([again.status, await again.text(), again.headers.get('etag'), again.headers.get('cache-control')]).toEqual([304, '', etag, 'no-cache'])
    // Once it names another table, the same revalidation gets the new pointer.
    await postReports(collector.app, reportBodies(5, { day: DAY, seed: 3 }))
    await collector.regeneratePageStats()
    const changed = await collector.app.request('/seglet/page-stats.current.json', { headers: { 'if-none-match': etag! } })
    expect(changed.status).toBe(200)
    expect(changed.headers.get('etag')).not.toBe(etag)
  })

  it('keeps a replaced table as long as asked after it was replaced, however long it had been current', async () => {
    const collector = make()
    const rewrite = () => collector.app.request('/seglet/page-stats.json', { method: 'POST', headers: { 'sec-fetch-site': 'same-origin' } })
    const pointer = () => JSON.parse(readFileSync(join(dir, 'page-stats.current.json'), 'utf8')) as { file: string }
    const ago = (file: string, days: number) => utimesSync(join(dir, file), new Date(Date.now() - days * 86_400_000), new Date(Date.now() - days * 86_400_000))
    await post(collector, reportBodies(1, { day: DAY, seed: 13 })[0]!, { address: '10.6.0.1' })
    await rewrite()
    // Current for more than a day (--page-stats-every 1440, or a collector stopped for the weekend) when it is replaced:
    // pages rendered from its pointer a minute ago still load it.
    const first = pointer().file
    ago(first, 3)
    await Promise.all(reportBodies(20, { day: DAY, seed: 14 }).map((body, i) => post(collector, body, { address: `10.6.1.${i}` })))
    await rewrite()
    const second = pointer().file
    expect(second).not.toBe(first)
    expect(existsSync(join(dir, first))).toBe(true)
    // Replaced longer ago than pages may use it (two days by default): deleted by the next rewrite.
    ago(first, 2.1)
    await post(collector, reportBodies(1, { day: DAY, seed: 15 })[0]!, { address: '10.6.2.1' })
    await rewrite()
    expect(existsSync(join(dir, first))).toBe(false)
    expect(existsSync(join(dir, second))).toBe(true)
    // A shop whose HTML cache keeps pages longer keeps them longer.
    const keeping = make({ pageStatsKeepDays: 7 })
    ago(second, 3)
    await keeping.regeneratePageStats()
    expect(existsSync(join(dir, second))).toBe(true)
  })

  it('removes the temporary files a rewrite killed half-way left, only its own and only old ones', async () => {
    const collector = make()
    const ago = (file: string, hours: number) => utimesSync(join(dir, file), new Date(Date.now() - hours * 3_600_000), new Date(Date.now() - hours * 3_600_000))
    // A collector killed (or a host cut off) while it wrote each of its files leaves a temporary file beside it.
    const left = [
      `page-stats-${'b'.repeat(64)}.json.4242-0a1b2c3d.tmp`,
      'page-stats.current.json.4242-0a1b2c3e.tmp',
      'page-stats.json.4242-0a1b2c3f.tmp',
      'page-stats.json.integrity.4242-0a1b2c40.tmp',
    ]
    // One being written now by another collector on the folder, and files of others (the shop's, an editor's).
    const kept = ['page-stats.json.4343-0a1b2c41.tmp', 'notes.txt.tmp', 'page-stats.json.tmp', 'backup.4242-0a1b2c42.tmp']
    for (const file of [...left, ...kept]) writeFileSync(join(dir, file), '{"pa')
    for (const file of [...left, ...kept.slice(1)]) ago(file, 25)
    await collector.regeneratePageStats()
    for (const file of left) expect(existsSync(join(dir, file)), file).toBe(false)
    for (const file of kept) expect(existsSync(join(dir, file)), file).toBe(true)
    for (const file of kept) rmSync(join(dir, file))
  })

  /**
   * Stores `counters` (one report group's) for each of the `days` up to 2026-11-30, each day's values a little
   * different, and returns the database counting the rows its queries read.
   */
  const yearOfSums = async (counters: readonly (readonly [string, number])[], days: number) => {
    await db.query(
      `INSERT INTO seglet_sums (day, pack_id, epsilon, segment_leaves, value_leaves, counter, value)
       SELECT d::date, $1, 2, 4, 4, c.counter, c.value + extract(day FROM d)
       FROM generate_series($4::date - ($5::int - 1), $4::date, interval '1 day') AS d,
         unnest($2::text[], $3::double precision[]) AS c(counter, value)`,
      [TEST_CONTEXT.packId, counters.map(([c]) => c), counters.map(([, v]) => v), '2026-11-30', days],
    )
    let read = 0
    const counting = new Proxy(db, {
      get: (target, name) =>
        name === 'query'
          ? async (...args: Parameters<Database['query']>) => {
              const rows = await target.query(...args)
              read += rows.length
              return rows
            }
          : Reflect.get(target, name, target),
    })
    return { counting, rowsRead: () => read }
  }

  /**
   * Checks `insights` (a long window's `insights.json`) against the same figures computed from every stored row of
   * the window (`rows` of them): the estimates, whether a retrain would fit now (with `minAnswers`), and the page
   * statistics. Returns its `training`.
   */
  async function expectAsFromEveryRow(insights: any, estimator: ReturnType<typeof createReportEstimator>, pageKeys: string[], rows: number, minAnswers?: number) {
    const q = { from: insights.from, to: insights.to, epsilon: 2, pageKeyLists: await readPageKeyLists(db, pageKeys) }
    const all = await readSums(db, q.from, q.to)
    expect(all).toHaveLength(rows)
    const { training, ...figures } = insights
    expect(figures).toEqual(JSON.parse(JSON.stringify(estimator.insights(all, q))))
    expect(training).toEqual(JSON.parse(JSON.stringify(trainingStatus(all, q, insights.context?.packId, minAnswers, [], storeOf(db)))))
    expect(estimator.pageStats(await readSums(db, q.from, q.to, estimator.windowCounters), q)).toEqual(estimator.pageStats(all, q))
    return training
  }

  it('reads a long window of sums as a few rows a day, with the same estimates', async () => {
    const pageKeys = Array.from({ length: 200 }, (_, i) => `page/${i}`)
    const estimator = createReportEstimator({ pageKeys })
    const days = 365
    // A year of sums, each day those of 50 reports against 200 candidate pages.
    const counters = [...estimator.addUp({ day: DAY, packId: TEST_CONTEXT.packId, epsilon: 2, segmentLeaves: 4, valueLeaves: 4 }, reportBodies(50, { day: DAY }).map((body) => estimator.parse(body)))]
    const { counting, rowsRead } = await yearOfSums(counters, days)
    const collector = createCollector(counting as Database, estimator, { now: () => NOW, windowDays: days })
    made.push(collector)
    const insights = (await (await collector.app.request('/seglet/insights.json')).json()) as any
    // Every page counter of every day was read: 365 × 554 rows, seconds of an embedded store's time per request.
    expect(rowsRead()).toBeLessThan((days * counters.length) / 4)
    await expectAsFromEveryRow(insights, estimator, pageKeys, days * counters.length)
  }, 120_000)

  it("reads a long window of training answers as a few rows a day: each day's answer count, the rest summed", async () => {
    const estimator = createReportEstimator({ pageKeys: TEST_PAGE_KEYS })
    const days = 365
    // A year of sums, each day those of 50 reports, half of them training answers: about 260 counters of the
    // training question a day, which only retrain decodes; the dashboard counts the answers of each day.
    const random = seededRandom(9)
    const truth = (i: number): ReportTruth => ({
      segmentLeaf: i % 4, valueSegment: null, ordered: i % 7 === 0, orderValueBucket: 0, arm: 'none', pages: [],
      learn: { logitWithStats: -2 + (i % 5), logitWithoutStats: -1, session: { productPages: i % 30, administrativeSeconds: 0, month: 11 } },
    })
    const reports = Array.from({ length: 50 }, (_, i) => estimator.parse(JSON.stringify(encodeReport(truth(i), TEST_CONTEXT, { epsilon: 2, day: DAY, random, learnShare: 0.5 }))))
    const counters = [...estimator.addUp({ day: DAY, packId: TEST_CONTEXT.packId, epsilon: 2, segmentLeaves: 4, valueLeaves: 4 }, reports)]
    const learnCounts = counters.filter(([c]) => c.startsWith('["learn",') && c !== '["learn","n"]').length
    expect(learnCounts).toBeGreaterThan(counters.length / 3)
    const { counting, rowsRead } = await yearOfSums(counters, days)
    const collector = createCollector(counting as Database, estimator, { now: () => NOW, windowDays: days, minTrainingAnswers: 1000 })
    made.push(collector)
    const insights = (await (await collector.app.request('/seglet/insights.json')).json()) as any
    // Each day's training counters read as such were 365 × ~260 rows per request, as many as the page counters were.
    expect(rowsRead()).toBeLessThan((days * counters.length) / 10)
    const training = await expectAsFromEveryRow(insights, estimator, TEST_PAGE_KEYS, days * counters.length, 1000)
    expect(training).toMatchObject({ status: 'ready' })
    expect(training.fitAnswers).toBeGreaterThan(0)
    expect(training.checkAnswers).toBeGreaterThan(0)
  }, 120_000)

  it("adds a long window's page counters up without sorting or grouping every day's rows", async () => {
    const pageKeys = Array.from({ length: 200 }, (_, i) => `page/${i}`)
    const estimator = createReportEstimator({ pageKeys })
    const days = 365
    const counters = [...estimator.addUp({ day: DAY, packId: TEST_CONTEXT.packId, epsilon: 2, segmentLeaves: 4, valueLeaves: 4 }, reportBodies(50, { day: DAY }).map((body) => estimator.parse(body)))]
    await db.query(
      `INSERT INTO seglet_sums (day, pack_id, epsilon, segment_leaves, value_leaves, counter, value)
       SELECT d::date, $1, 2, 4, 4, c.counter, c.value
       FROM generate_series($4::date - ($5::int - 1), $4::date, interval '1 day') AS d,
         unnest($2::text[], $3::double precision[]) AS c(counter, value)`,
      [TEST_CONTEXT.packId, counters.map(([c]) => c), counters.map(([, v]) => v), '2026-11-30', days],
    )
    // PostgreSQL's autovacuum analyses the table in its own time; the collector's hourly job (also run at its start) on the embedded store.
    if (db.kind === 'postgres') await db.query('ANALYZE seglet_sums')
    const collector = createCollector(db, estimator, { now: () => NOW, windowDays: days })
    made.push(collector)
    await collector.purge()
    const patterns = estimator.windowCounters!.map((prefix) => `${prefix.replace(/[\\%_]/g, '\\$&')}%`)
    const [row] = await db.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${SQL.readSumsCollapsed}`, ['2025-12-01', '2026-11-30', patterns])
    const plan = (typeof row!['QUERY PLAN'] === 'string' ? JSON.parse(row!['QUERY PLAN']) : row!['QUERY PLAN']) as Array<{ Plan: PlanNode }>
    type PlanNode = { 'Node Type': string; 'Actual Rows': number; Plans?: PlanNode[] }
    const nodes: PlanNode[] = []
    const walk = (node: PlanNode) => (nodes.push(node), node.Plans?.forEach(walk))
    walk(plan[0]!.Plan)
    const result = plan[0]!.Plan['Actual Rows']
    const pageCounters = counters.filter(([c]) => estimator.windowCounters!.some((prefix) => c.startsWith(prefix))).length
    expect(result).toBe(pageCounters + days * (counters.length - pageCounters))
    // A year of 200 pages is 195,640 page-counter rows: sorting them, or grouping them by day, took seconds of the
    // embedded store per request at ten years. Only the answer is sorted, and the page counters grouped as such.
    for (const node of nodes) {
      if (node['Node Type'] === 'Sort') expect(node['Actual Rows'], 'rows sorted').toBeLessThanOrEqual(result)
      if (node['Node Type'] === 'Aggregate') expect(node['Actual Rows'], 'groups').toBeLessThanOrEqual(pageCounters)
    }
  }, 120_000)

  /** The test database, with the statements `fails` picks failing as a full disk or a database gone would. */
  const failingWhen = (fails: (sql: string) => boolean): Database =>
    ({
      kind: db.kind,
      query: (text: string, params?: unknown[]) => (fails(text) ? Promise.reject(new Error('could not extend file: No space left on device')) : db.query(text, params)),
      // Inside a transaction too: the statement fails wherever it runs.
      transaction: (work: Parameters<Database['transaction']>[0]) =>
        db.transaction((tx) => work({ query: (text: string, params?: unknown[]) => (fails(text) ? Promise.reject(new Error('could not extend file: No space left on device')) : tx.query(text, params)) } as typeof tx)),
      close: async () => {},
    }) as Database

  it('tells the operator what failed when it answers 500, naming the request but not its query or body', async () => {
    const told: Array<[string, string]> = []
    const collector = createCollector(failingWhen((sql) => sql.includes('FROM seglet_sums WHERE day >=')), createReportEstimator({ pageKeys: TEST_PAGE_KEYS }), {
      now: () => NOW,
      onRequestError: (error, request) => told.push([(error as Error).message, request]),
    })
    made.push(collector)
    const response = await collector.app.request('/seglet/insights.json?days=7')
    expect(response.status).toBe(500)
    expect(await response.json()).toEqual({ error: 'internal' })
    expect(told).toEqual([['could not extend file: No space left on device', 'GET /seglet/insights.json']])
    // A hook that throws still gets the page its answer.
    const throwing = createCollector(failingWhen((sql) => sql.includes('FROM seglet_sums WHERE day >=')), createReportEstimator({ pageKeys: TEST_PAGE_KEYS }), {
      now: () => NOW,
      onRequestError: () => {
        throw new Error('hook')
      },
    })
    made.push(throwing)
    expect((await throwing.app.request('/seglet/insights.json')).status).toBe(500)
  })

  it('names the request, not its query, when a failure that is no Error is answered 500 over the Node.js listener', async () => {
    const told: Array<[unknown, string]> = []
    const database = failingWhen(() => false)
    // A driver may reject with a string or a plain object: the app's own error handler takes Errors only.
    database.query = (text: string, params?: unknown[]) => (text.includes('FROM seglet_sums WHERE day >=') ? Promise.reject('connection lost') : db.query(text, params))
    const collector = createCollector(database, createReportEstimator({ pageKeys: TEST_PAGE_KEYS }), { now: () => NOW, onRequestError: (error, request) => told.push([error, request]) })
    made.push(collector)
    const server = createServer(collector.listener)
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready))
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/seglet/insights.json?days=7`)
      expect([response.status, await response.json()]).toEqual([500, { error: 'internal' }])
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
      expect(told).toEqual([['connection lost', 'GET /seglet/insights.json']])
    } finally {
      await new Promise((closed) => server.close(closed))
    }
  })

  it('answers a health check with 200 while the database answers and stores reports, and 503 while it does not', async () => {
    let down = false
    let storing = true
    const collector = createCollector(
      failingWhen((sql) => down || (!storing && sql.includes('INSERT'))),
      createReportEstimator({ pageKeys: TEST_PAGE_KEYS }),
      { now: () => NOW, batch: { maxDelayMs: 1 }, onStorageFailed: () => {}, onStorageRecovered: () => {} },
    )
    made.push(collector)
    const check = async () => {
      const response = await collector.app.request('/seglet/health')
      expect(response.headers.get('cache-control')).toBe('no-store')
      expect(response.headers.get('set-cookie')).toBeNull()
      return [response.status, await response.json()]
    }
    expect(await check()).toEqual([200, { status: 'ok' }])
    down = true
    expect(await check()).toEqual([503, { status: 'failing', error: 'storage_failed' }])
    down = false
    expect(await check()).toEqual([200, { status: 'ok' }])
    // The database answers, but nothing can be written (a full disk): reports are refused with 503, so the replica is unhealthy.
    storing = false
    const [first, second] = reportBodies(2, { day: DAY, seed: 33 })
    expect((await post(collector, first!, { address: '203.0.113.30' })).status).toBe(503)
    expect(await check()).toEqual([503, { status: 'failing', error: 'storage_failed' }])
    storing = true
    expect((await post(collector, second!, { address: '203.0.113.31' })).status).toBe(202)
    expect(await check()).toEqual([200, { status: 'ok' }])
  })

  it('says healthy again once the database stores again, without a report to show it (a load balancer sends none to a replica it took out)', async () => {
    let writesFail = true
    const events: string[] = []
    const collector = createCollector(
      failingWhen((sql) => writesFail && sql.includes('INSERT')),
      createReportEstimator({ pageKeys: TEST_PAGE_KEYS }),
      { now: () => NOW, batch: { maxDelayMs: 1 }, onStorageFailed: (what) => events.push(`failed ${what}`), onStorageRecovered: (what) => events.push(`recovered ${what}`) },
    )
    made.push(collector)
    const check = async () => {
      const response = await collector.app.request('/seglet/health')
      return [response.status, await response.json()]
    }
    const [first, second] = reportBodies(2, { day: DAY, seed: 34 })
    expect((await post(collector, first!, { address: '203.0.113.40' })).status).toBe(503)
    // Reads work, writes do not (a full disk): the check's own write fails too.
    expect(await check()).toEqual([503, { status: 'failing', error: 'storage_failed' }])
    expect(await check()).toEqual([503, { status: 'failing', error: 'storage_failed' }])
    writesFail = false
    expect(await check()).toEqual([200, { status: 'ok' }])
    expect(events).toEqual(['failed store', 'recovered store'])
    expect((await post(collector, second!, { address: '203.0.113.41' })).status).toBe(202)
    expect(await countReports(db)).toBe(1)
  })

  it('stays unhealthy while reports still cannot be stored, though a small update of a row it has would commit (a full disk)', async () => {
    // On a full disk PostgreSQL still rewrites a row in the page it is in, but cannot extend a table for new
    // rows: the report table refuses them as it does then (SQLSTATE 53100, disk_full), and nothing else does.
    const free = await fillDisk(db, 'seglet_reports')
    try {
      const events: string[] = []
      const collector = make({ batch: { maxDelayMs: 1 }, onStorageFailed: (what) => events.push(`failed ${what}`), onStorageRecovered: (what) => events.push(`recovered ${what}`) })
      const check = async () => {
        const response = await collector.app.request('/seglet/health')
        return [response.status, await response.json()]
      }
      const [first, second] = reportBodies(2, { day: DAY, seed: 35 })
      expect((await post(collector, first!, { address: '203.0.113.50' })).status).toBe(503)
      expect(await check()).toEqual([503, { status: 'failing', error: 'storage_failed' }])
      expect(await check()).toEqual([503, { status: 'failing', error: 'storage_failed' }])
      expect(events).toEqual(['failed store'])
      await free()
      expect(await check()).toEqual([200, { status: 'ok' }])
      expect(events).toEqual(['failed store', 'recovered store'])
      // The checks stored nothing: the one report stored is the one posted now.
      expect((await post(collector, second!, { address: '203.0.113.51' })).status).toBe(202)
      await collector.close()
      expect(await countReports(db)).toBe(1)
      expect(await db.query('SELECT id FROM seglet_unsummed')).toEqual([])
    } finally {
      await free()
    }
  })

  it('answers a read 503 storage_failed, saying the disk is full, while the reports stored last cannot be summed (a full disk), and the figures with all of them once they can', async () => {
    // The daily sums cannot grow, as on a full disk (SQLSTATE 53100), while the reports were stored before it filled.
    let free = async () => {}
    try {
      const events: string[] = []
      const told: string[] = []
      const collector = make({
        batch: { maxDelayMs: 1 },
        onStorageFailed: (what) => events.push(`failed ${what}`),
        onStorageRecovered: (what) => events.push(`recovered ${what}`),
        onRequestError: (_, request) => told.push(request),
      })
      const bodies = reportBodies(3, { day: DAY, seed: 36 })
      expect((await post(collector, bodies[0]!, { address: '203.0.113.60' })).status).toBe(202)
      expect(((await (await collector.app.request('/seglet/insights.json')).json()) as { reports: number }).reports).toBe(1)
      free = await fillDisk(db, 'seglet_sums')
      for (const [i, body] of bodies.slice(1).entries()) expect((await post(collector, body, { address: `203.0.113.6${i + 1}` })).status).toBe(202)
      const refused = {
        error: 'storage_failed',
        message: "the database's disk is full, so the reports stored since the figures were last summed cannot be added to them: free space on the database's disk; no stored report is lost: the figures are shown again, with every report in them, once it can sum them",
      }
      for (let i = 0; i < 2; i++) {
        const response = await collector.app.request('/seglet/insights.json')
        expect([response.status, await response.json()]).toEqual([503, refused])
        expect(response.headers.get('cache-control')).toBe('no-store')
      }
      // The page-statistics table is read the same way: not rewritten without them either.
      const rewrite = await collector.app.request('/seglet/page-stats.json', { method: 'POST', headers: { 'sec-fetch-site': 'same-origin' } })
      expect([rewrite.status, await rewrite.json()]).toEqual([503, refused])
      // Said once, as a storage failure, not as an internal error at every read.
      expect(events).toEqual(['failed sum'])
      expect(told).toEqual([])
      expect(await db.query('SELECT id FROM seglet_unsummed')).toHaveLength(2)
      await free()
      const response = await collector.app.request('/seglet/insights.json')
      expect(response.status).toBe(200)
      expect(((await response.json()) as { reports: number }).reports).toBe(3)
      expect(events).toEqual(['failed sum', 'recovered sum'])
      expect(await db.query('SELECT id FROM seglet_unsummed')).toEqual([])
    } finally {
      await free()
    }
  })

  it('tells the operator once when the database stops storing reports, and once when it stores them again', async () => {
    let down = true
    const events: string[] = []
    const collector = createCollector(failingWhen((sql) => down && sql === SQL.insertUnsummedReports), createReportEstimator({ pageKeys: TEST_PAGE_KEYS }), {
      now: () => NOW,
      batch: { maxDelayMs: 1 },
      onStorageFailed: (what, error) => events.push(`failed ${what}: ${(error as Error).message}`),
      onStorageRecovered: (what) => events.push(`recovered ${what}`),
    })
    made.push(collector)
    const bodies = reportBodies(4, { day: DAY, seed: 31 })
    for (const [i, body] of bodies.slice(0, 3).entries()) {
      const response = await post(collector, body, { address: `203.0.113.${10 + i}` })
      expect(response.status).toBe(503)
      expect(await response.json()).toEqual({ error: 'storage_failed' })
    }
    expect(events).toEqual(['failed store: could not extend file: No space left on device'])
    down = false
    expect((await post(collector, bodies[3]!, { address: '203.0.113.20' })).status).toBe(202)
    expect((await post(collector, bodies[0]!, { address: '203.0.113.21' })).status).toBe(202)
    expect(events).toEqual(['failed store: could not extend file: No space left on device', 'recovered store'])
  })

  it('accepts a report, sets no cookie, and stores no address', async () => {
    const collector = make()
    const [body] = reportBodies(1, { day: DAY })
    const response = await post(collector, body!, { headers: { cookie: 'session=abc' } })
    expect(response.status).toBe(202)
    expect(response.headers.get('set-cookie')).toBeNull()
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(await countReports(db)).toBe(1)
    // Every stored value of every collector table, as text: the address and the cookie appear nowhere.
    const tables = await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'seglet_%'`,
    )
    let dump = ''
    for (const { table_name } of tables) dump += JSON.stringify(await db.query(`SELECT * FROM ${table_name}`))
    expect(dump).toContain(DAY)
    expect(dump).not.toContain('203.0.113')
    expect(dump).not.toContain('session=abc')
  })

  it('tells the size limit a smaller maxBodyBytes sets when it refuses a body over it', async () => {
    const collector = make({ maxBodyBytes: 300 })
    const response = await post(collector, 'x'.repeat(400))
    expect(response.status).toBe(413)
    expect(await response.json()).toEqual({ error: 'report_too_large', message: 'a report is at most 300 bytes' })
  })

  it('refuses oversized bodies before parsing, by Content-Length and by the bytes received', async () => {
    const collector = make()
    const big = `{"v":1,"pad":"${'x'.repeat(2000)}"}`
    expect((await post(collector, big)).status).toBe(413)
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(100)))
        controller.close()
      },
    })
    const chunked = await collector.app.request(
      '/seglet/reports',
      { method: 'POST', body: stream, duplex: 'half', headers: { 'content-type': 'application/json' } } as RequestInit,
      { incoming: { socket: { remoteAddress: '203.0.113.5' } } } as never,
    )
    expect(chunked.status).toBe(413)
    expect(await countReports(db)).toBe(0)
  })

  it.each([
    ['a form post', { 'content-type': 'application/x-www-form-urlencoded' }, 415, 'content_type', /application\/json or text\/plain/],
    // Read as UTF-8, a body in another charset would be read as something it is not.
    ['a body in UTF-16', { 'content-type': 'text/plain; charset=utf-16' }, 415, 'content_charset', /UTF-8/],
    ['a body in Latin-1', { 'content-type': 'application/json; charset="ISO-8859-1"' }, 415, 'content_charset', /UTF-8/],
    // Read as it came, a compressed body would be refused as unreadable, and one that only says so stored as plain.
    ['a compressed body', { 'content-encoding': 'gzip' }, 415, 'content_encoding', /without Content-Encoding/],
    ['a cross-site request', { 'sec-fetch-site': 'cross-site' }, 403, 'cross_site', /--allowed-origin/],
    ['another origin', { 'sec-fetch-site': '', origin: 'https://evil.example' }, 403, 'cross_site', /--allowed-origin/],
  ] as const)('refuses %s, saying what to change', async (_name, headers, status, error, message) => {
    const collector = make()
    const [body] = reportBodies(1, { day: DAY, seed: 2 })
    const response = await post(collector, body!, { headers: { ...headers } })
    expect(response.status).toBe(status)
    expect(await response.json()).toEqual({ error, message: expect.stringMatching(message) })
    expect(await countReports(db)).toBe(0)
  })

  it('refuses a body that is not UTF-8, saying so rather than that it was cut off', async () => {
    const collector = make()
    const [body] = reportBodies(1, { day: DAY, seed: 4 })
    for (const bytes of [Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body!, 'utf16le')]), Buffer.from(`${body!.slice(0, -1)},"x":"caf\u00e9"}`, 'latin1')]) {
      const response = await collector.app.request(
        '/seglet/reports',
        { method: 'POST', body: bytes, headers: { 'content-type': 'text/plain', 'sec-fetch-site': 'same-origin' } },
        { incoming: { socket: { remoteAddress: '203.0.113.9' } } } as never,
      )
      expect([response.status, await response.json()]).toEqual([400, { error: 'body_not_utf8', message: expect.stringMatching(/not UTF-8/) }])
    }
    expect(await countReports(db)).toBe(0)
  })

  it.each(['text/plain;charset=UTF-8', 'text/plain; charset="utf-8"', 'application/json; charset=us-ascii', 'application/json'])('takes a report sent as %s', async (type) => {
    const [body] = reportBodies(1, { day: DAY, seed: 3 })
    expect((await post(make(), body!, { headers: { 'content-type': type } })).status).toBe(202)
  })

  it('rate-limits a flood from one address and keeps serving everyone else', async () => {
    const collector = make({ rateLimit: { perMinute: 60, burst: 5 } })
    // Distinct bodies: a randomized-response answer can repeat byte for byte, and from one address that is a replay.
    const bodies = [...new Set(reportBodies(40, { day: DAY, seed: 4 }))].slice(0, 12)
    const statuses: number[] = []
    for (const body of bodies.slice(0, 10)) statuses.push((await post(collector, body, { address: '198.51.100.1' })).status)
    expect(statuses.filter((s) => s === 202)).toHaveLength(5)
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true)
    const limited = await post(collector, bodies[10]!, { address: '198.51.100.1' })
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/)
    expect((await post(collector, bodies[11]!, { address: '198.51.100.2' })).status).toBe(202)
    expect((await collector.app.request('/seglet/insights.json')).status).toBe(200)
    expect(await countReports(db)).toBe(6)
  })

  it('refuses reports past --max-reports-per-day with 503 and Retry-After, whichever addresses send them, and keeps what it stored', async () => {
    const collector = make({ maxReportsPerDay: 4 })
    const bodies = reportBodies(6, { day: DAY, seed: 14 })
    const responses = await Promise.all(bodies.map((body, i) => post(collector, body, { address: `10.9.0.${i}` })))
    expect(responses.map((r) => r.status).sort()).toEqual([202, 202, 202, 202, 503, 503])
    for (const refused of responses.filter((r) => r.status === 503)) {
      expect(await refused.json()).toEqual({ error: 'reports_capped' })
      expect(refused.headers.get('retry-after')).toBe('43200')
    }
    expect(await countReports(db)).toBe(4)
    expect(((await (await collector.app.request('/seglet/insights.json')).json()) as { reports: number }).reports).toBe(4)
  })

  it('refuses reports of new pack ids past --max-new-packs-per-day with 503 and Retry-After, and takes those of known packs', async () => {
    const collector = make({ maxNewPacksPerDay: 1, knownPacks: [{ packId: 'shipped@1+lifetime@1', segmentLeaves: 4, valueLeaves: 4 }] })
    const context = (packId: string) => ({ packId, segmentLeaves: 4, valueLeaves: 4 })
    // The first pack the sums have not seen is the day's one new pack; the made-up ones after it are refused.
    const first = [reportBodies(1, { day: DAY, seed: 33 })[0]!]
    const made = ['made-up-1', 'made-up-2'].map((packId, i) => reportBodies(1, { day: DAY, seed: 30 + i, context: context(packId) })[0]!)
    const responses = []
    for (const [i, body] of [...first, ...made].entries()) responses.push(await post(collector, body, { address: `10.10.0.${i}` }))
    expect(responses.map((r) => r.status)).toEqual([202, 503, 503])
    expect(await responses[1]!.json()).toEqual({ error: 'packs_capped' })
    expect(responses[1]!.headers.get('retry-after')).toBe('43200')
    const known = [...reportBodies(3, { day: DAY, seed: 33 }).slice(1), ...reportBodies(2, { day: DAY, seed: 34, context: context('shipped@1+lifetime@1') })]
    for (const [i, body] of known.entries()) expect((await post(collector, body, { address: `10.10.1.${i}` })).status).toBe(202)
    expect(collector.ingest.counts).toMatchObject({ accepted: 5, packs_capped: 2 })
    expect(await countReports(db)).toBe(5)
  })

  it('follows the known pack with the most reports, not a made-up pack id with more, and a made-up one only while no known pack has reports', async () => {
    const collector = make({ knownPacks: [TEST_CONTEXT] })
    const forged = reportBodies(12, { day: DAY, seed: 60, context: { packId: 'made-up@9+lifetime@9', segmentLeaves: 4, valueLeaves: 4 } })
    const insights = async () => (await (await collector.app.request('/seglet/insights.json')).json()) as { reports: number; context: { packId: string } | null }
    expect(await postReports(collector.app, forged)).toEqual(forged.map(() => 202))
    // A shop whose browsers use a pack the collector does not know (hosted elsewhere) keeps its insights.
    expect(await insights()).toMatchObject({ reports: 12, context: { packId: 'made-up@9+lifetime@9' } })
    const honest = reportBodies(5, { day: DAY, seed: 61 })
    expect(await postReports(collector.app, honest)).toEqual(honest.map(() => 202))
    expect(await insights()).toMatchObject({ reports: 5, context: { packId: TEST_CONTEXT.packId } })
    expect((await collector.regeneratePageStats()).table.reports).toBe(5)
  })

  it('knows the packs published in its packs folder, also those published after it started, combined with the ones it was given', async () => {
    const packsDir = mkdtempSync(join(tmpdir(), 'seglet-packs-'))
    try {
      const pack = (kind: string, version: string) => ({ kind, version, heads: { segment: { labels: [0, 1, 2, 3] } } })
      const collector = make({ packsDir, packs: [pack('lifetime', '1')] })
      const forged = reportBodies(12, { day: DAY, seed: 62, context: { packId: 'made-up@9+lifetime@1', segmentLeaves: 4, valueLeaves: 4 } })
      expect(await postReports(collector.app, [...forged, ...reportBodies(5, { day: DAY, seed: 63 })])).toEqual(Array(17).fill(202))
      const insights = async () => (await (await collector.app.request('/seglet/insights.json')).json()) as { reports: number }
      expect((await insights()).reports).toBe(12)
      // publish-pack writes the session pack and a manifest naming it (the lifetime pack stays the one given).
      writeFileSync(join(packsDir, 'session-v1.json'), JSON.stringify(pack('session', '1')))
      writeFileSync(join(packsDir, 'packs.manifest'), `signature\n${JSON.stringify({ format: 'seglet-pack-manifest', version: 1, packs: { session: { url: 'session-v1.json' } } })}`)
      expect((await insights()).reports).toBe(5)
      expect((await collector.regeneratePageStats()).table.reports).toBe(5)
    } finally {
      rmSync(packsDir, { recursive: true, force: true })
    }
  })

  // Browsers check the manifest daily with `no-cache`: without a validator every check downloads it whole.
  it('serves the signed packs with an ETag, answering a revalidation of the current file 304 without its body', async () => {
    const packsDir = mkdtempSync(join(tmpdir(), 'seglet-packs-'))
    try {
      const collector = make({ packsDir })
      writeFileSync(join(packsDir, 'packs.manifest'), 'signature\n{"version":1}')
      const first = await collector.app.request('/seglet/packs.manifest')
      const etag = first.headers.get('etag')
      expect(etag).toMatch(/^"sha256-[A-Za-z0-9+/]+=*"$/)
      expect(first.headers.get('cache-control')).toBe('no-cache')
      const again = await collector.app.request('/seglet/packs.manifest', { headers: { 'if-none-match': `W/${etag}` } })
      expect([again.status, await again.text(), again.headers.get('etag')]).toEqual([304, '', etag])
      // As RFC 9110 reads If-None-Match for GET and HEAD: `*` (any current file), a list of tags, weak or strong.
      for (const header of ['*', ` * `, `"other", ${etag}`, `W/"other",W/${etag}`, `"a,b", ${etag}`]) {
        for (const method of ['GET', 'HEAD']) {
          const revalidated = await collector.app.request('/seglet/packs.manifest', { method, headers: { 'if-none-match': header } })
          expect([header, method, revalidated.status, await revalidated.text(), revalidated.headers.get('etag')]).toEqual([header, method, 304, '', etag])
        }
      }
      for (const header of ['"other"', `"other", W/"x"`, etag!.slice(1, -1), '']) {
        const stale = await collector.app.request('/seglet/packs.manifest', { headers: { 'if-none-match': header } })
        expect([header, stale.status]).toEqual([header, 200])
      }
      // Republished: the old tag no longer matches.
      writeFileSync(join(packsDir, 'packs.manifest'), 'signature\n{"version":2}')
      const changed = await collector.app.request('/seglet/packs.manifest', { headers: { 'if-none-match': etag! } })
      expect([changed.status, await changed.text()]).toEqual([200, 'signature\n{"version":2}'])
      expect(changed.headers.get('etag')).not.toBe(etag)
    } finally {
      rmSync(packsDir, { recursive: true, force: true })
    }
  })

  it('says in the insights when the signed manifest in its packs folder expires, how many days are left, and the command that renews it', async () => {
    const packsDir = mkdtempSync(join(tmpdir(), 'seglet-packs-'))
    try {
      const insights = async (collector: ReturnType<typeof make>) => (await (await collector.app.request('/seglet/insights.json')).json()) as { manifest?: unknown }
      // No manifest published yet (and no packs folder at all): nothing said.
      expect(await insights(make({ packsDir }))).not.toHaveProperty('manifest')
      expect(await insights(make())).not.toHaveProperty('manifest')
      const publish = (published: string, expires: string) =>
        writeFileSync(join(packsDir, 'packs.manifest'), `signature\n${JSON.stringify({ format: 'seglet-pack-manifest', version: 3, published, expires, packs: { session: { url: 'session-v3.json' } } })}`)
      // The folder is outside the collector's working folder: the command names it as the help does, not by the
      // server's path, which a page of the collector has no business telling.
      const renew = 'npm run collector -- publish-pack --out DIR'
      // 90 days long, 22.5 days left at NOW: due, under the 30 days a retrain renews by.
      publish('2026-09-24T00:00:00.000Z', '2026-12-23T00:00:00.000Z')
      expect((await insights(make({ packsDir }))).manifest).toEqual({ version: 3, expires: '2026-12-23T00:00:00.000Z', daysLeft: 22.5, renewWithinDays: 30, status: 'renew', renew })
      publish('2026-11-01T00:00:00.000Z', '2027-01-30T00:00:00.000Z')
      expect((await insights(make({ packsDir }))).manifest).toMatchObject({ daysLeft: 60.5, status: 'valid' })
      publish('2026-08-01T00:00:00.000Z', '2026-10-30T00:00:00.000Z')
      expect((await insights(make({ packsDir }))).manifest).toMatchObject({ daysLeft: -31.5, status: 'expired', renew })
      // One that cannot be parsed (browsers refuse it as pack_manifest_invalid): said so, with what to run.
      writeFileSync(join(packsDir, 'packs.manifest'), 'signature\n{"format": "seglet-pack-manifest", "vers')
      expect((await insights(make({ packsDir }))).manifest).toEqual({ status: 'unreadable', problem: expect.stringContaining('JSON'), renew: `${renew} --session FILE --min-version N` })
    } finally {
      rmSync(packsDir, { recursive: true, force: true })
    }
  })

  it('names the segments of packs published in its packs folder, also those published after it started', async () => {
    const packsDir = mkdtempSync(join(tmpdir(), 'seglet-packs-'))
    try {
      const named = (kind: string, names: string[]) => ({
        kind,
        version: '1',
        heads: { segment: { labels: names.map((_, i) => `leaf-${i}`), tree: { id: 'root', children: names.map((name, i) => ({ id: `leaf-${i}`, name })) } } },
      })
      const collector = make({ packsDir })
      expect(await postReports(collector.app, reportBodies(5, { day: DAY, seed: 64 }))).toEqual(Array(5).fill(202))
      const insights = async () => (await (await collector.app.request('/seglet/insights.json')).json()) as { segmentNames: string[] | null; valueNames: string[] | null }
      expect(await insights()).toMatchObject({ segmentNames: null, valueNames: null })
      // publish-pack (or the scheduled retrain) writes the shop's own packs and a manifest naming them.
      writeFileSync(join(packsDir, 'session-v1.json'), JSON.stringify(named('session', ['Gift hunters', 'Bargain seekers', 'Window shoppers', 'Returners'])))
      writeFileSync(join(packsDir, 'lifetime-v1.json'), JSON.stringify(named('lifetime', ['Loyal', 'New', 'Lapsing', 'Big spenders'])))
      const manifest = { format: 'seglet-pack-manifest', version: 1, packs: { session: { url: 'session-v1.json' }, lifetime: { url: 'lifetime-v1.json' } } }
      writeFileSync(join(packsDir, 'packs.manifest'), `signature\n${JSON.stringify(manifest)}`)
      expect(await insights()).toMatchObject({
        segmentNames: ['Gift hunters', 'Bargain seekers', 'Window shoppers', 'Returners'],
        valueNames: ['Loyal', 'New', 'Lapsing', 'Big spenders'],
      })
    } finally {
      rmSync(packsDir, { recursive: true, force: true })
    }
  })

  it('keeps following a pack published before the last one while it has the most reports, with its names', async () => {
    const packsDir = mkdtempSync(join(tmpdir(), 'seglet-packs-'))
    try {
      const named = (version: string, names: string[]) => ({
        kind: 'session',
        version,
        heads: { segment: { labels: names.map((_, i) => `leaf-${i}`), tree: { id: 'root', children: names.map((name, i) => ({ id: `leaf-${i}`, name })) } } },
      })
      const publish = (version: number, pack: object) => {
        writeFileSync(join(packsDir, `session-v${version}.json`), JSON.stringify(pack))
        const manifest = { format: 'seglet-pack-manifest', version, packs: { session: { url: `session-v${version}.json` } } }
        writeFileSync(join(packsDir, 'packs.manifest'), `signature\n${JSON.stringify(manifest)}`)
      }
      const collector = make({ packsDir, packs: [{ kind: 'lifetime', version: '1', heads: { segment: { labels: [0, 1, 2, 3] } } }] })
      const context = (packId: string) => ({ packId, segmentLeaves: 4, valueLeaves: 4 })
      publish(1, named('1+r20261101', ['Gift hunters', 'Bargain seekers', 'Window shoppers', 'Returners']))
      const weekOne = reportBodies(20, { day: DAY, seed: 65, context: context('session@1+r20261101+lifetime@1') })
      expect(await postReports(collector.app, weekOne)).toEqual(Array(20).fill(202))
      // The weekly retrain publishes the next pack; the first browsers to take it report under its pack id.
      publish(2, named('1+r20261108', ['Gift hunters', 'Bargain seekers', 'Window shoppers', 'Returners']))
      const weekTwo = reportBodies(2, { day: DAY, seed: 66, context: context('session@1+r20261108+lifetime@1') })
      expect(await postReports(collector.app, weekTwo)).toEqual(Array(2).fill(202))
      const insights = (await (await collector.app.request('/seglet/insights.json')).json()) as { reports: number; context: { packId: string }; segmentNames: string[] | null }
      expect(insights).toMatchObject({ reports: 20, context: { packId: 'session@1+r20261101+lifetime@1' } })
      expect(insights.segmentNames).toEqual(['Gift hunters', 'Bargain seekers', 'Window shoppers', 'Returners'])
      expect((await collector.regeneratePageStats()).table.reports).toBe(20)
    } finally {
      rmSync(packsDir, { recursive: true, force: true })
    }
  })

  it('takes the reports of a pack published while it runs past --max-new-packs-per-day, as those of other known packs', async () => {
    const packsDir = mkdtempSync(join(tmpdir(), 'seglet-packs-'))
    try {
      const pack = (kind: string, version: string) => ({ kind, version, heads: { segment: { labels: [0, 1, 2, 3] } } })
      const collector = make({ packsDir, packs: [pack('lifetime', '1')], maxNewPacksPerDay: 0 })
      const [before, after] = reportBodies(2, { day: DAY, seed: 67 })
      expect((await post(collector, before!, { address: '10.11.0.1' })).status).toBe(503)
      writeFileSync(join(packsDir, 'session-v1.json'), JSON.stringify(pack('session', '1')))
      writeFileSync(join(packsDir, 'packs.manifest'), `signature\n${JSON.stringify({ format: 'seglet-pack-manifest', version: 1, packs: { session: { url: 'session-v1.json' } } })}`)
      // A made-up pack id is still refused: only the published one became known.
      const madeUp = reportBodies(1, { day: DAY, seed: 68, context: { packId: 'made-up@9+lifetime@1', segmentLeaves: 4, valueLeaves: 4 } })[0]!
      expect((await post(collector, after!, { address: '10.11.0.2' })).status).toBe(202)
      expect((await post(collector, madeUp, { address: '10.11.0.3' })).status).toBe(503)
    } finally {
      rmSync(packsDir, { recursive: true, force: true })
    }
  })

  it('rate-limits a flood from one IPv6 network (/64) however many of its addresses it uses, and no IPv4 client with another', async () => {
    const collector = make({ rateLimit: { perMinute: 60, burst: 5 } })
    const bodies = [...new Set(reportBodies(60, { day: DAY, seed: 5 }))].slice(0, 14)
    // One host's /64 holds 2^64 addresses (privacy addresses rotate within it): a new one per report.
    const statuses: number[] = []
    for (const [i, body] of bodies.slice(0, 10).entries()) statuses.push((await post(collector, body, { address: `2001:db8:1:2::${(i + 1).toString(16)}` })).status)
    expect(statuses.filter((s) => s === 202)).toHaveLength(5)
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true)
    expect((await post(collector, bodies[10]!, { address: '2001:db8:1:2:abcd:ef01:2345:6789' })).status).toBe(429)
    // Another /64 is another client; so is every IPv4 client seen through a dual-stack socket.
    expect((await post(collector, bodies[11]!, { address: '2001:db8:1:3::1' })).status).toBe(202)
    expect((await post(collector, bodies[12]!, { address: '::ffff:198.51.100.7' })).status).toBe(202)
    expect((await post(collector, bodies[13]!, { address: '::ffff:198.51.100.8' })).status).toBe(202)
    expect(await countReports(db)).toBe(8)
  })

  it('rate-limits one IPv6 customer\'s many /64 networks together: its /56 at 4 times a /64\'s burst, its /48 at 16 times', async () => {
    const collector = make({ rateLimit: { perMinute: 60, burst: 1 } })
    // Every address below is used once: a body sent again from another address is no replay.
    const bodies = reportBodies(320, { day: DAY, seed: 15 })
    let next = 0
    const taken = async (addresses: string[]) => {
      let count = 0
      for (const address of addresses) if ((await post(collector, bodies[next++]!, { address })).status === 202) count++
      return count
    }
    // A home connection's /56: a report from each of its 256 /64s at once, each within its own /64's burst.
    expect(await taken(Array.from({ length: 256 }, (_, i) => `2001:db8:1:${(0x200 + i).toString(16)}::1`))).toBe(4)
    // A business's /48, or a range whose /56s are other customers: each /56 within its own 4, up to the /48's 16.
    expect(await taken(Array.from({ length: 20 }, (_, i) => `2001:db8:2:${(i * 0x100).toString(16)}::1`))).toBe(16)
    // Shoppers of other ranges (other /48s) are each served, and so is every IPv4 client.
    expect(await taken(Array.from({ length: 20 }, (_, i) => `2001:db8:${(0x100 + i).toString(16)}:1::1`))).toBe(20)
    expect(await taken(Array.from({ length: 20 }, (_, i) => `198.51.100.${i + 1}`))).toBe(20)
    expect(await countReports(db)).toBe(4 + 16 + 20 + 20)
  })

  it('answers 409 to a replay and 4xx to garbage, changing nothing', async () => {
    const collector = make()
    const [body] = reportBodies(1, { day: DAY, seed: 6 })
    expect((await post(collector, body!)).status).toBe(202)
    expect((await post(collector, body!)).status).toBe(409)
    expect((await post(collector, 'null')).status).toBe(400)
    expect((await post(collector, '')).status).toBe(400)
    expect((await collector.app.request('/seglet/reports', { method: 'GET' })).status).toBe(405)
    expect(await countReports(db)).toBe(1)
  })

  it('takes an ε in force computed in floating point (0.7 × 3) as its hundredths, as the pages send it', async () => {
    const collector = make({ epsilon: 0.7 * 3 })
    const [body] = reportBodies(1, { day: DAY, seed: 12, epsilon: 0.7 * 3 })
    expect((await post(collector, body!)).status).toBe(202)
    const insights = (await (await collector.app.request('/seglet/insights.json')).json()) as any
    expect(insights).toMatchObject({ epsilon: 2.1, reports: 1 })
  })

  it('serves insights with intervals, "not enough" cells, and a page-statistics table with its integrity', async () => {
    const collector = make()
    const bodies = reportBodies(3000, { day: DAY, seed: 8 })
    const statuses = await Promise.all(bodies.map((body, i) => post(collector, body, { address: `10.9.${i >> 8}.${i & 255}` }).then((r) => r.status)))
    expect(statuses.filter((s) => s !== 202)).toEqual([])
    const insights = (await (await collector.app.request('/seglet/insights.json')).json()) as any
    expect(insights.reports).toBe(3000)
    expect(insights.epsilon).toBe(2)
    const share = insights.insights.segments[0].share
    expect(share.low).toBeLessThan(share.value)
    expect(share.high).toBeGreaterThan(share.value)
    expect(insights.daily.find((d: { day: string }) => d.day === DAY).reports).toBe(3000)
    // 3,000 reports cannot support every cell: some say "not enough reports yet".
    const cells = JSON.stringify(insights.insights)
    expect(cells).toContain('"enough":false')
    expect(cells).toContain('"enough":true')

    const written = (await (await collector.app.request('/seglet/page-stats.json', { method: 'POST', headers: { 'sec-fetch-site': 'same-origin' } })).json()) as any
    const response = await collector.app.request('/seglet/page-stats.json')
    const text = await response.text()
    const integrity = `sha256-${createHash('sha256').update(text).digest('base64')}`
    expect(written.integrity).toBe(integrity)
    expect(response.headers.get('x-seglet-integrity')).toBe(integrity)
    // A browser revalidating the copy it has is answered without the table; another version gets it whole.
    const etag = response.headers.get('etag')!
    const again = await collector.app.request('/seglet/page-stats.json', { headers: { 'if-none-match': etag } })
    expect([again.status, await again.text(), again.headers.get('etag'), again.headers.get('cache-control')]).toEqual([304, '', etag, 'no-cache'])
    const older = await collector.app.request('/seglet/page-stats.json', { headers: { 'if-none-match': '"sha256-older"' } })
    expect([older.status, await older.text()]).toEqual([200, text])
    expect(readFileSync(join(dir, 'page-stats.json'), 'utf8')).toBe(text)
    expect(readFileSync(join(dir, 'page-stats.json.integrity'), 'utf8').trim()).toBe(integrity)
    const table = JSON.parse(text)
    // The dashboard says which pages the table it names holds: those of that table, not of the estimate right now.
    const named = (await (await collector.app.request('/seglet/insights.json')).json()) as any
    expect(named.pageStats).toMatchObject({ integrity, pages: Object.keys(table.pages) })
    // The SDK's own validator accepts what the collector writes.
    expect(validatePageStatsTable(table)).toEqual(table)
    expect(table).toMatchObject({ format: 'seglet-page-stats', version: 1, day: '2026-11-30', epsilon: 2, reports: 3000 })
    // The pages the page-value question asks about: every candidate here (fewer than DEFAULT_VALUE_PAGES), most viewed first.
    expect([...table.valuePages].sort()).toEqual([...TEST_PAGE_KEYS].sort())
    const views = (key: string) => insights.insights.pages.find((p: any) => p.key === key).viewsPerSession.value
    for (let i = 1; i < table.valuePages.length; i++) expect(views(table.valuePages[i - 1])).toBeGreaterThanOrEqual(views(table.valuePages[i]))
    // Each row with its rates (both in 0–1, with the views behind them), its page value (≥ 0), or both.
    for (const [key, row] of Object.entries(table.pages) as [string, any][]) {
      expect(TEST_PAGE_KEYS).toContain(key)
      expect(row.bounceRate !== undefined || row.pageValue !== undefined).toBe(true)
      if (row.bounceRate !== undefined) {
        expect(row.bounceRate).toBeGreaterThanOrEqual(0)
        expect(row.exitRate).toBeLessThanOrEqual(1)
        expect(row.views).toBeGreaterThanOrEqual(0)
      }
      if (row.pageValue !== undefined) expect(row.pageValue).toBeGreaterThanOrEqual(0)
    }
  })

  it('serves the dashboard and its same-origin assets only', async () => {
    const collector = make()
    const page = await collector.app.request('/seglet/dashboard')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    const html = await page.text()
    expect(html).not.toMatch(/<script>|<style>|style=|https?:\/\//)
    for (const asset of ['dashboard.js', 'dashboard.css', 'chart.umd.min.js']) {
      expect((await collector.app.request(`/seglet/dashboard/${asset}`)).status).toBe(200)
    }
    expect((await collector.app.request('/seglet/dashboard/..%2F..%2Fpackage.json')).status).toBe(404)
    expect((await collector.app.request('/seglet/dashboard/constructor')).status).toBe(404)
  })

  it('answers reports the same over its Node.js listener as through the app, and serves the rest through the app', async () => {
    const collector = make({ rateLimit: { perMinute: 60, burst: 3 } })
    const server = createServer(collector.listener)
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready))
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    try {
      const [one, two, three] = reportBodies(3, { day: DAY, seed: 11 })
      const send = (body: string, headers: Record<string, string> = {}) =>
        fetch(`${base}/seglet/reports`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin', ...headers } })
      expect((await send(three!, { 'sec-fetch-site': 'cross-site' })).status).toBe(403)
      expect((await send(three!, { 'content-type': 'text/html' })).status).toBe(415)
      expect((await send('x'.repeat(600))).status).toBe(413)
      const accepted = await send(one!)
      expect(accepted.status).toBe(202)
      expect(await accepted.text()).toBe('')
      expect(accepted.headers.get('content-security-policy')).toContain("default-src 'none'")
      expect(accepted.headers.get('set-cookie')).toBeNull()
      const replayed = await send(one!)
      expect([replayed.status, await replayed.json()]).toEqual([409, { error: 'report_replayed', message: 'this body was already received from this address today' }])
      const limited = await send(two!)
      expect([limited.status, await limited.json()]).toEqual([429, { error: 'rate_limited' }])
      expect(limited.headers.get('retry-after')).toMatch(/^\d+$/)
      const insights = await fetch(`${base}/seglet/insights.json`)
      expect(insights.status).toBe(200)
      expect(insights.headers.get('x-content-type-options')).toBe('nosniff')
      expect((await insights.json()).reports).toBe(1)
      expect((await fetch(`${base}/seglet/reports`)).status).toBe(405)
      expect(await countReports(db)).toBe(1)
    } finally {
      await new Promise((closed) => server.close(closed))
    }
  })

  it("asks for a body with Expect: 100-continue by the collector's own maxBodyBytes, and for none it refuses before reading it", async () => {
    // The server made as the command line makes it: told no limit of its own.
    const serve = async (maxBodyBytes: number) => {
      const server = createCollectorServer(make({ maxBodyBytes }).listener)
      await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready))
      return server
    }
    /** Sends the headers, the body only once told `100 Continue`; resolves to what came back within 1.5 s. */
    const send = (port: number, body: string, site = 'same-origin') =>
      new Promise<string>((done) => {
        let text = ''
        const socket = connect(port, '127.0.0.1', () =>
          socket.write(`POST /seglet/reports HTTP/1.1\r\nHost: localhost\r\nSec-Fetch-Site: ${site}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nExpect: 100-continue\r\n\r\n`),
        )
        socket.on('data', (chunk) => {
          text += chunk.toString()
          if (text === 'HTTP/1.1 100 Continue\r\n\r\n') socket.write(body)
          if (/^HTTP\/1\.1 [2-5]\d\d [^]*\r\n\r\n/.test(text.replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, ''))) (socket.destroy(), done(text))
        })
        socket.on('error', () => {})
        setTimeout(() => (socket.destroy(), done(text)), 1_500)
      })
    const [report] = reportBodies(1, { day: DAY, seed: 44 })
    const padded = (bytes: number) => `${report!.slice(0, -1)}${' '.repeat(bytes - Buffer.byteLength(report!))}}`
    const raised = await serve(2_000)
    const lowered = await serve(300)
    try {
      // Past the 512 bytes of the default, within the limit the collector was given: asked for and read (no report is
      // that long, so the body is then refused for what it is, not for its size).
      const long = await send((raised.address() as AddressInfo).port, padded(1_000))
      expect(long).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 400 /)
      expect(long).toContain('"error":"report_malformed"')
      expect(await send((lowered.address() as AddressInfo).port, report!)).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 202 /)
      // Within the default, past the lowered limit: refused without being asked for.
      const tooLarge = await send((lowered.address() as AddressInfo).port, padded(400))
      expect(tooLarge).toMatch(/^HTTP\/1\.1 413 /)
      expect(tooLarge).toContain('"message":"a report is at most 300 bytes"')
      // Refused before its body is needed (cross-site): never asked for.
      expect(await send((raised.address() as AddressInfo).port, report!, 'cross-site')).toMatch(/^HTTP\/1\.1 403 /)
      expect(await countReports(db)).toBe(1)
    } finally {
      for (const server of [raised, lowered]) {
        server.closeAllConnections()
        await new Promise((closed) => server.close(closed))
      }
    }
  })

  // A load balancer's check may be HTTP/1.0 with no Host header (HAProxy's `option httpchk GET /seglet/health`):
  // answered 400, every collector would be taken out of the pool.
  it('answers a health check sent as HTTP/1.0 without a Host header', async () => {
    const collector = make()
    const server = createServer(collector.listener)
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready))
    try {
      const answer = await new Promise<string>((done, fail) => {
        let text = ''
        const socket = connect((server.address() as AddressInfo).port, '127.0.0.1', () => socket.write('GET /seglet/health HTTP/1.0\r\n\r\n'))
        socket.on('data', (chunk) => (text += chunk.toString()))
        socket.on('end', () => done(text))
        socket.on('error', fail)
      })
      expect(answer).toMatch(/^HTTP\/1\.1 200 /)
      expect(answer).toContain('{"status":"ok"}')
    } finally {
      await new Promise((closed) => server.close(closed))
    }
  })

  it('closes the connection of a report refused before its body was read, rather than wait for the rest of it', async () => {
    const collector = make()
    const server = createServer(collector.listener)
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready))
    // What came back, and whether the collector closed the connection within 1.5 s (Node.js alone waits 5 minutes).
    const send = (headers: string, body: string) =>
      new Promise<{ answer: string; closed: boolean }>((done) => {
        let answer = ''
        const socket = connect((server.address() as AddressInfo).port, '127.0.0.1', () =>
          socket.write(`POST /seglet/reports HTTP/1.1\r\nHost: localhost\r\nSec-Fetch-Site: same-origin\r\n${headers}\r\n\r\n${body}`),
        )
        socket.on('data', (chunk) => (answer += chunk.toString()))
        socket.on('error', () => {})
        const give = setTimeout(() => (socket.destroy(), done({ answer, closed: false })), 1_500)
        socket.on('close', () => (clearTimeout(give), done({ answer, closed: true })))
      })
    try {
      for (const [headers, body, status] of [
        ['Content-Type: text/plain\r\nContent-Length: 100000', '{"v":', 413],
        ['Content-Type: text/html\r\nContent-Length: 400', '{"v":', 415],
        ['Content-Type: text/plain\r\nTransfer-Encoding: chunked', `400\r\n${'x'.repeat(1024)}\r\n`, 413],
      ] as const) {
        const { answer, closed } = await send(headers, body)
        expect([headers, answer.split('\r\n')[0], closed]).toEqual([headers, `HTTP/1.1 ${status} ${status === 413 ? 'Payload Too Large' : 'Unsupported Media Type'}`, true])
        expect(answer.toLowerCase()).toContain('connection: close')
      }
    } finally {
      server.closeAllConnections()
      await new Promise((closed) => server.close(closed))
    }
  })

  it('refuses 421 a request naming another host while it listens on 127.0.0.1 (a page of any site whose own name it made resolve there)', async () => {
    const serve = async (options: Parameters<typeof createCollector>[2] = {}) => {
      const server = createServer(make(options).listener)
      await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready))
      return server
    }
    const ask = (server: ReturnType<typeof createServer>, host: string, path = '/seglet/insights.json', method = 'GET', body?: string) =>
      new Promise<{ status: number; headers: Record<string, unknown>; text: string }>((done, fail) => {
        const port = (server.address() as AddressInfo).port
        // What the browser sends once the attacker's name resolves to 127.0.0.1: its page's own origin.
        const headers = { host, origin: `http://${host}`, 'sec-fetch-site': 'same-origin', 'content-type': 'text/plain;charset=UTF-8' }
        request({ port, host: '127.0.0.1', path, method, headers }, (res) => {
          let text = ''
          res.on('data', (chunk) => (text += chunk))
          res.on('end', () => done({ status: res.statusCode!, headers: res.headers, text }))
        })
          .on('error', fail)
          .end(body)
      })
    const [report] = reportBodies(1, { day: DAY })
    const own = mkdtempSync(join(tmpdir(), 'seglet-collector-host-'))
    const open = await serve({ pageStatsDir: own })
    const withNames = await serve({ allowedHosts: ['Shop.test'] })
    const any = await serve({ allowedHosts: ['*'] })
    const proxied = await serve({ trustProxy: true })
    const proxiedWithNames = await serve({ trustProxy: true, allowedHosts: ['shop.test'] })
    try {
      for (const host of ['evil.example:8787', 'evil.example', '127.0.0.1.evil.example', 'localhost.evil.example', '[::2]:80', 'shop.test', 'a b']) {
        for (const [path, method, body] of [['/seglet/insights.json', 'GET'], ['/seglet/dashboard', 'GET'], ['/seglet/reports', 'POST', report], ['/seglet/page-stats.json', 'POST'], ['/seglet/health', 'GET']] as const) {
          const answer = await ask(open, host, path, method, body)
          expect([host, path, answer.status]).toEqual([host, path, 421])
          expect(JSON.parse(answer.text)).toMatchObject({ error: 'misdirected_request', message: expect.stringContaining('--allowed-host') })
          expect(answer.headers['content-type']).toBe('application/json')
          expect(answer.headers['content-security-policy']).toContain("default-src 'none'")
          expect(answer.headers['cross-origin-resource-policy']).toBe('same-origin')
        }
      }
      // Nothing was stored, and the table was not rewritten.
      expect(await countReports(db)).toBe(0)
      expect(existsSync(join(own, 'page-stats.json'))).toBe(false)
      // The names only this machine answers to, with any port, in any case.
      const port = (open.address() as AddressInfo).port
      for (const host of [`127.0.0.1:${port}`, '127.0.0.1', '127.1.2.3:80', `localhost:${port}`, 'LocalHost', 'localhost.', 'shop.localhost:3000', `[::1]:${port}`, '[::1]']) {
        expect([host, (await ask(open, host)).status]).toEqual([host, 200])
      }
      expect((await ask(open, `localhost:${port}`, '/seglet/reports', 'POST', report)).status).toBe(202)
      // --allowed-host names, and loopback ones, are taken; others not. `*` takes any, as does a trusted proxy in front
      // (it names the shop's host), unless names are given.
      for (const [server, host, status] of [
        [withNames, 'shop.test:5173', 200], [withNames, 'SHOP.TEST', 200], [withNames, 'localhost', 200], [withNames, 'evil.example', 421],
        [any, 'evil.example', 200], [proxied, 'shop.example', 200],
        [proxiedWithNames, 'shop.test', 200], [proxiedWithNames, '127.0.0.1', 200], [proxiedWithNames, 'evil.example', 421],
      ] as const) {
        expect([host, (await ask(server, host)).status]).toEqual([host, status])
      }
      expect(() => make({ allowedHosts: ['shop.test:80'] })).toThrow(expect.objectContaining({ code: 'collector_option', message: expect.stringContaining('--allowed-host') }))
    } finally {
      for (const server of [open, withNames, any, proxied, proxiedWithNames]) {
        server.closeAllConnections()
        await new Promise((closed) => server.close(closed))
      }
      rmSync(own, { recursive: true, force: true })
    }
  })

  it('takes any host from another address, unless --allowed-host names some (listening on all addresses)', async (context) => {
    const address = Object.values(networkInterfaces()).flat().find((i) => i && !i.internal && i.family === 'IPv4')?.address
    if (!address) return context.skip()
    // Another machine's connection, as its address shows it: this machine is the only one a test can connect from.
    const fromElsewhere = (listener: ReturnType<typeof make>['listener']) => (req: IncomingMessage, res: ServerResponse) => {
      Object.defineProperty(req.socket, 'remoteAddress', { value: '198.51.100.7', configurable: true })
      listener(req, res)
    }
    const servers = [createServer(fromElsewhere(make().listener)), createServer(fromElsewhere(make({ allowedHosts: ['shop.test'] }).listener))]
    for (const server of servers) await new Promise<void>((ready) => server.listen(0, '0.0.0.0', ready))
    const ask = (server: (typeof servers)[number], via: string, host: string) =>
      new Promise<number>((done, fail) =>
        request({ host: via, port: (server.address() as AddressInfo).port, path: '/seglet/health', headers: { host } }, (res) => (res.resume(), done(res.statusCode!))).on('error', fail).end(),
      )
    try {
      expect([await ask(servers[0]!, address, 'shop.example'), await ask(servers[0]!, address, 'localhost')]).toEqual([200, 200])
      expect([await ask(servers[1]!, address, 'shop.test'), await ask(servers[1]!, address, 'localhost'), await ask(servers[1]!, address, 'shop.example')]).toEqual([200, 200, 421])
    } finally {
      for (const server of servers) await new Promise((closed) => server.close(closed))
    }
  })

  it("refuses another host from this machine reaching it at its own network address, where a page of another site's name can resolve too", async (context) => {
    // Listening on all addresses, a browser on this machine reaches it at the machine's network address as well as at
    // 127.0.0.1: a page of another site can make its own name resolve to either (DNS rebinding).
    const address = Object.values(networkInterfaces()).flat().find((i) => i && !i.internal && i.family === 'IPv4')?.address
    if (!address) return context.skip()
    const server = createServer(make().listener)
    await new Promise<void>((ready) => server.listen(0, '0.0.0.0', ready))
    const ask = (host: string, path = '/seglet/health') =>
      new Promise<number>((done, fail) =>
        request({ host: address, port: (server.address() as AddressInfo).port, path, headers: { host } }, (res) => (res.resume(), done(res.statusCode!))).on('error', fail).end(),
      )
    try {
      expect([await ask('evil.example'), await ask('evil.example', '/seglet/insights.json'), await ask('localhost'), await ask(`127.0.0.1:${(server.address() as AddressInfo).port}`)]).toEqual([421, 421, 200, 200])
    } finally {
      await new Promise((closed) => server.close(closed))
    }
  })

  it('answers a Host naming the address this machine reached it at, as a proxy here forwarding to that address sends by default', async (context) => {
    // nginx's proxy_pass http://192.0.2.2:8787 names 192.0.2.2:8787: no page of another site can have that as its name.
    const found = Object.values(networkInterfaces()).flat()
    const v4 = found.find((i) => i && !i.internal && i.family === 'IPv4')?.address
    const v6 = found.find((i) => i && !i.internal && i.family === 'IPv6' && !i.address.startsWith('fe80'))?.address
    if (!v4) return context.skip()
    const statuses: [string, string, number][] = []
    for (const [listen, via, names] of [
      ['0.0.0.0', v4, [v4, `${v4}:PORT`]],
      // Listening on all IPv6 and IPv4 addresses, the connection's address is IPv4-mapped (::ffff:192.0.2.2).
      ['::', v4, [v4, `${v4}:PORT`]],
      ...(v6 ? [['::', v6, [`[${v6}]`, `[${v6}]:PORT`]] as const] : []),
    ] as const) {
      const server = createServer(make().listener)
      await new Promise<void>((ready) => server.listen(0, listen, ready))
      const port = (server.address() as AddressInfo).port
      const ask = (host: string) =>
        new Promise<number>((done, fail) =>
          request({ host: via, port, path: '/seglet/health', headers: { host } }, (res) => (res.resume(), done(res.statusCode!))).on('error', fail).end(),
        )
      try {
        for (const name of [...names, 'evil.example', '198.51.100.7']) statuses.push([listen, name, await ask(name.replace('PORT', String(port)))])
      } finally {
        await new Promise((closed) => server.close(closed))
      }
    }
    // Another site's name, and an address that is not this one, are still refused.
    expect(statuses).toEqual(statuses.map(([listen, name]) => [listen, name, name === 'evil.example' || name === '198.51.100.7' ? 421 : 200]))
  })

  it('gzips its large answers to a client that takes gzip, and answers a revalidation of the gzipped form 304', async () => {
    const collector = make()
    await postReports(collector.app, reportBodies(30, { day: DAY, seed: 5 }))
    const server = createServer(collector.listener)
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready))
    const port = (server.address() as AddressInfo).port
    const ask = (path: string, headers: Record<string, string>, method = 'GET') =>
      new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((done, fail) => {
        request({ port, host: '127.0.0.1', path, method, headers }, (res) => {
          const parts: Buffer[] = []
          res.on('data', (chunk: Buffer) => parts.push(chunk))
          res.on('end', () => done({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }))
        })
          .on('error', fail)
          .end()
      })
    try {
      const plain = await ask('/seglet/dashboard/chart.umd.min.js', {})
      const zipped = await ask('/seglet/dashboard/chart.umd.min.js', { 'accept-encoding': 'gzip, deflate, br' })
      expect([plain.headers['content-encoding'], plain.headers.vary]).toEqual([undefined, 'accept-encoding'])
      expect([zipped.status, zipped.headers['content-encoding'], zipped.headers.vary, zipped.headers.etag]).toEqual([200, 'gzip', 'accept-encoding', `W/${plain.headers.etag}`])
      expect(zipped.body.byteLength).toBeLessThan(plain.body.byteLength / 2)
      expect(gunzipSync(zipped.body)).toEqual(plain.body)
      expect(zipped.headers['content-security-policy']).toContain("default-src 'none'")
      // A browser revalidates with the tag it was given: the gzipped form's weak one is the same file.
      const again = await ask('/seglet/dashboard/chart.umd.min.js', { 'accept-encoding': 'gzip', 'if-none-match': zipped.headers.etag as string })
      expect([again.status, again.body.byteLength]).toEqual([304, 0])
      // With the headers the 200 would have had (RFC 9110, 15.4.5): a cache keeps the gzipped form under them.
      expect([again.headers.vary, again.headers.etag, again.headers['cache-control']]).toEqual(['accept-encoding', zipped.headers.etag, 'no-cache'])
      const plainAgain = await ask('/seglet/dashboard/chart.umd.min.js', { 'if-none-match': plain.headers.etag as string })
      expect([plainAgain.status, plainAgain.headers.vary, plainAgain.headers.etag]).toEqual([304, 'accept-encoding', plain.headers.etag])
      const head = await ask('/seglet/dashboard/chart.umd.min.js', { 'accept-encoding': 'gzip' }, 'HEAD')
      expect([head.status, head.headers['content-encoding'], head.headers.etag, head.body.byteLength]).toEqual([200, 'gzip', zipped.headers.etag, 0])
      const insights = await ask('/seglet/insights.json', { 'accept-encoding': 'gzip' })
      expect([insights.status, insights.headers['content-encoding']]).toEqual([200, 'gzip'])
      expect(JSON.parse(gunzipSync(insights.body).toString()).reports).toBe(30)
    } finally {
      await new Promise((closed) => server.close(closed))
    }
  })

  it('serves the dashboard and its files with an ETag, answering a revalidation of an unchanged file 304 without it', async () => {
    const collector = make()
    for (const path of ['/seglet/dashboard', '/seglet/dashboard/chart.umd.min.js', '/seglet/dashboard/dashboard.js']) {
      const first = await collector.app.request(path)
      const etag = first.headers.get('etag')
      expect([path, first.status, etag, first.headers.get('cache-control')]).toEqual([path, 200, expect.stringMatching(/^"sha256-[A-Za-z0-9+/]+=*"$/), 'no-cache'])
      expect((await first.arrayBuffer()).byteLength).toBeGreaterThan(0)
      const again = await collector.app.request(path, { headers: { 'if-none-match': etag! } })
      expect([path, again.status, await again.text(), again.headers.get('etag')]).toEqual([path, 304, '', etag])
      expect(again.headers.get('content-security-policy')).toContain("default-src 'none'")
      expect((await collector.app.request(path, { headers: { 'if-none-match': '"sha256-older"' } })).status).toBe(200)
    }
    expect((await collector.app.request('/seglet/dashboard')).headers.get('content-type')).toMatch(/^text\/html; charset=utf-8$/i)
  })

  it('answers another method on a path it serves 405 with the methods it takes, and keeps 404 for a path it does not', async () => {
    const packsDir = mkdtempSync(join(tmpdir(), 'seglet-packs-'))
    try {
      writeFileSync(join(packsDir, 'packs.manifest'), 'signature\n{"version":1}')
      const collector = make({ packsDir })
      const table = await collector.regeneratePageStats()
      const cases = [
        // The table under its own name, as page-stats.current.json names it.
        [`/seglet/${pageStatsFileName(table.integrity)}`, 'GET, HEAD'],
        ['/seglet/insights.json', 'GET, HEAD'],
        ['/seglet/health', 'GET, HEAD'],
        ['/seglet/dashboard', 'GET, HEAD'],
        ['/seglet/dashboard/dashboard.js', 'GET, HEAD'],
        ['/seglet/page-stats.current.json', 'GET, HEAD'],
        ['/seglet/page-stats.json', 'GET, HEAD, POST'],
        ['/seglet/packs.manifest', 'GET, HEAD'],
        ['/seglet/reports', 'POST'],
      ] as const
      for (const [path, allow] of cases) {
        for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS', ...(allow.includes('POST') ? [] : ['POST'])]) {
          const response = await collector.app.request(path, { method, headers: { 'sec-fetch-site': 'same-origin' } })
          expect([method, path, response.status, response.headers.get('allow'), await response.json()]).toEqual([method, path, 405, allow, { error: 'method_not_allowed' }])
          expect(response.headers.get('content-security-policy')).toContain("default-src 'none'")
        }
        if (allow.includes('GET')) expect([path, (await collector.app.request(path, { method: 'HEAD' })).status]).toEqual([path, 200])
      }
      for (const path of ['/seglet/nothing.json', '/seglet/dashboard/nothing.js', '/seglet/core-v9.json']) {
        for (const method of ['GET', 'HEAD', 'PUT']) expect([method, path, (await collector.app.request(path, { method })).status]).toEqual([method, path, 404])
      }
    } finally {
      rmSync(packsDir, { recursive: true, force: true })
    }
  })

  it('answers a request the Node.js adapter refuses before any route with the security headers and a JSON error', async () => {
    const collector = make()
    const server = createServer(collector.listener)
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready))
    try {
      for (const line of ['GET /seglet\\insights.json HTTP/1.1', 'POST /seglet\\reports HTTP/1.1', 'OPTIONS * HTTP/1.1']) {
        const answer = await new Promise<string>((done, fail) => {
          let text = ''
          const socket = connect((server.address() as AddressInfo).port, '127.0.0.1', () => socket.write(`${line}\r\nHost: localhost\r\nConnection: close\r\n\r\n`))
          socket.on('data', (chunk) => (text += chunk.toString()))
          socket.on('end', () => done(text))
          socket.on('error', fail)
        })
        expect([line, answer.split('\r\n')[0]]).toEqual([line, 'HTTP/1.1 400 Bad Request'])
        expect(answer.toLowerCase()).toContain("content-security-policy: default-src 'none'")
        expect(answer.toLowerCase()).toContain('x-content-type-options: nosniff')
        expect(answer.toLowerCase()).toContain('content-type: application/json')
        expect(answer.split('\r\n\r\n')[1]).toBe('{"error":"bad_request"}')
      }
    } finally {
      await new Promise((closed) => server.close(closed))
    }
  })

  it('answers a dashboard read 503 storage_timeout with a Retry-After once the database is silent past its read timeout, queues no more queries behind it, and answers again once it does', async () => {
    const writer = make()
    await Promise.all(reportBodies(5, { day: DAY, seed: 74 }).map((body, i) => post(writer, body, { address: `10.9.0.${i}` })))
    // A database that took the queries and says nothing until the test lets it answer.
    const silence = silenceable(db)
    const { held, heldQueries } = silence
    const collector = createCollector(held, createReportEstimator({ pageKeys: TEST_PAGE_KEYS }), { now: () => NOW, pageStatsDir: dir, readTimeoutMs: 200 })
    made.push(collector)
    silence.silent = true
    try {
      const first = await collector.app.request('/seglet/insights.json')
      expect([first.status, await first.json()]).toEqual([503, { error: 'storage_timeout', message: expect.stringMatching(/database did not answer/) }])
      expect(first.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/)
      expect(first.headers.get('cache-control')).toBe('no-store')
      const asked = heldQueries.length
      expect(asked).toBeGreaterThan(0)
      // While that read still waits, later ones are answered at once and send the database nothing more: a
      // dashboard reloaded again and again does not take every connection of the pool from the reports.
      for (const read of [
        () => collector.app.request('/seglet/insights.json'),
        () => collector.app.request('/seglet/page-stats.json'),
        () => collector.app.request('/seglet/page-stats.json', { method: 'POST', headers: { 'sec-fetch-site': 'same-origin' } }),
      ]) {
        const answer = await read()
        expect([answer.status, ((await answer.json()) as { error: string }).error]).toEqual([503, 'storage_timeout'])
        expect(answer.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/)
      }
      expect(heldQueries).toHaveLength(asked)
    } finally {
      silence.release()
    }
    // The database answers again: so do the reads.
    await expect.poll(async () => (await collector.app.request('/seglet/insights.json')).status).toBe(200)
    const document = (await (await collector.app.request('/seglet/insights.json')).json()) as { reports: number }
    expect(document.reports).toBe(5)
  })

  it('makes a page-statistics rewrite asked for while another read waits on the silent database once it answers, as the dashboard tells it (not rewritten yet)', async () => {
    const writer = make()
    await Promise.all(reportBodies(5, { day: DAY, seed: 75 }).map((body, i) => post(writer, body, { address: `10.9.1.${i}` })))
    const silence = silenceable(db)
    const { held, heldQueries } = silence
    // A folder of its own: no table written before.
    const tables = mkdtempSync(join(tmpdir(), 'seglet-tables-'))
    const collector = createCollector(held, createReportEstimator({ pageKeys: TEST_PAGE_KEYS }), { now: () => NOW, pageStatsDir: tables, readTimeoutMs: 200 })
    made.push(collector)
    silence.silent = true
    try {
      // The dashboard's insights read waits past the bound; the rewrite asked for meanwhile is answered at once.
      expect((await collector.app.request('/seglet/insights.json')).status).toBe(503)
      const asked = heldQueries.length
      const rewrite = await collector.app.request('/seglet/page-stats.json', { method: 'POST', headers: { 'sec-fetch-site': 'same-origin' } })
      expect([rewrite.status, ((await rewrite.json()) as { error: string }).error]).toEqual([503, 'storage_timeout'])
      // Still nothing more sent to the silent database.
      expect(heldQueries).toHaveLength(asked)
      expect(existsSync(join(tables, 'page-stats.current.json'))).toBe(false)
    } finally {
      silence.release()
    }
    // The database answers: the table asked for is written without being asked again.
    await expect.poll(() => existsSync(join(tables, 'page-stats.current.json')), { timeout: 5_000 }).toBe(true)
    await collector.close()
    rmSync(tables, { recursive: true, force: true })
  })

  it('does not make a rewrite asked for while a read waits on the silent database once the collector is closing, so the database main() then closes is sent no rewrite', async () => {
    const writer = make()
    await Promise.all(reportBodies(5, { day: DAY, seed: 76 }).map((body, i) => post(writer, body, { address: `10.9.2.${i}` })))
    const silence = silenceable(db, true)
    const { held } = silence
    const tables = mkdtempSync(join(tmpdir(), 'seglet-tables-'))
    const collector = createCollector(held, createReportEstimator({ pageKeys: TEST_PAGE_KEYS }), { now: () => NOW, pageStatsDir: tables, readTimeoutMs: 200 })
    try {
      expect((await collector.app.request('/seglet/insights.json')).status).toBe(503)
      const rewrite = await collector.app.request('/seglet/page-stats.json', { method: 'POST', headers: { 'sec-fetch-site': 'same-origin' } })
      expect(rewrite.status).toBe(503)
      // SIGTERM: the collector closes (main() closes the database once it has) while the read still waits; the
      // database answers then, and the read ends.
      const closing = collector.close()
      silence.release()
      await closing
      // The rewrite asked for is not started on the database about to close.
      await new Promise((done) => setTimeout(done, 500))
      expect(existsSync(join(tables, 'page-stats.current.json'))).toBe(false)
    } finally {
      silence.release()
      rmSync(tables, { recursive: true, force: true })
    }
  })

  // main() closes the database right after close(): a purge the hourly timer started just before SIGTERM must
  // have finished by then, or its DELETE (or the embedded store's VACUUM) runs on a closed database.
  it('waits for a running purge before close() returns, so the database is not closed under it', async () => {
    let release!: () => void
    const held = new Promise<void>((done) => (release = done))
    let closed = false
    const events: string[] = []
    // The purge's DELETE waits until the test lets it go; once this database is closed every query fails.
    const slow: Database = {
      ...db,
      query: async (text, params) => {
        if (text === SQL.deleteReportsBefore) {
          events.push('purge started')
          await held
        }
        if (closed) throw new Error('Client was closed and is not queryable')
        return db.query(text, params)
      },
      close: async () => void (closed = true),
    }
    const collector = createCollector(slow, createReportEstimator({ pageKeys: TEST_PAGE_KEYS }), { now: () => NOW, rawRetentionDays: 2 })
    const purging = collector.purge()
    // As main() does on SIGTERM: the database is closed as soon as close() returns.
    const closing = collector.close().then(async () => {
      events.push('close() returned')
      await slow.close()
    })
    // Long enough for close() to return if it did not wait (it has nothing else to do but an empty summing pass).
    await Promise.race([closing, new Promise((done) => setTimeout(done, 1000))])
    release()
    await closing
    await expect(purging).resolves.toBeUndefined()
    expect(events).toEqual(['purge started', 'close() returned'])
  })

  it('serves each path under one spelling only, so a sign-in in front of the dashboard and insights cannot be walked around', async () => {
    const collector = make()
    // The shop's guard in front of the collector, matching the request path as it came (as Express or a prefix
    // rule does): the dashboard and insights.json need the sign-in, everything else under /seglet/ goes through.
    const server = createServer((req, res) => {
      const path = req.url!.split('?')[0]!
      if (path === '/seglet/insights.json' || path === '/seglet/dashboard' || path.startsWith('/seglet/dashboard/')) {
        res.writeHead(401).end('sign in first')
        return
      }
      collector.listener(req, res)
    })
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready))
    const { port } = server.address() as AddressInfo
    // Sent byte for byte (fetch would normalise the path first).
    const status = (path: string) =>
      new Promise<number>((done, fail) => get({ host: '127.0.0.1', port, path }, (res) => (res.resume(), done(res.statusCode!))).on('error', fail))
    try {
      expect(await status('/seglet/insights.json')).toBe(401)
      for (const path of ['/seglet/insights%2ejson', '/seglet/%69nsights.json', '/%73eglet/insights.json', '/seglet/reports/../insights.json', '/seglet/./insights.json', '/seglet/dashboar%64', '/seglet/x/../dashboard/dashboard.js', 'http://127.0.0.1/seglet/insights.json', 'http://x/seglet/dashboard']) {
        expect([path, await status(path)]).toEqual([path, 404])
      }
      expect(await status('/seglet/page-stats.json')).toBe(200)
      expect(await status('/seglet/page-stats.json?v=1')).toBe(200)
    } finally {
      await new Promise((closed) => server.close(closed))
    }
  })
})
