// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { countersToSums } from '../estimates/countersToSums'
import { createReportEstimator } from '../estimates/createReportEstimator'
import { createIngest } from '../ingest/createIngest'
import { purgeReports } from '../storage/purgeReports'
import { readPageKeyLists } from './pageKeyLists'
import { readSums } from '../storage/readSums'
import { SQL } from '../storage/sql'
import type { Database, Queryable } from '../storage/types'
import { DATABASE_TARGETS, withMigratedDatabase } from '../testing/databases'
import { reportBodies, TEST_BATCH_DELAY_MS, TEST_CONTEXT, TEST_PAGE_KEYS } from '../testing/reports'
import { reestimate } from './reestimate'

const NOW = Date.parse('2026-11-30T12:00:00Z')
const group = { packId: TEST_CONTEXT.packId, epsilon: 2, segmentLeaves: 4, valueLeaves: 4 }

describe.each(DATABASE_TARGETS)('re-estimating on new page keys on $name', (target) => {
  let db: Database
  withMigratedDatabase(target, (opened) => (db = opened))

  it('re-decodes the days whose raw reports are kept, and leaves a key out where they are gone', async () => {
    const first = TEST_PAGE_KEYS.slice(0, 4)
    expect(await reestimate(db, createReportEstimator({ pageKeys: first }), first)).toEqual([])
    const ingest = createIngest(db, createReportEstimator({ pageKeys: first }), { now: () => NOW, maxDelayMs: TEST_BATCH_DELAY_MS })
    await Promise.all(reportBodies(600, { day: '2026-11-28', seed: 11 }).map((b, i) => ingest.submit(`a${i}`, b)))
    await Promise.all(reportBodies(600, { day: '2026-11-29', seed: 12 }).map((b, i) => ingest.submit(`b${i}`, b)))
    await ingest.flush()

    // All the demo's keys: both days still have their raw reports, so every key is decoded over both.
    const all = createReportEstimator({ pageKeys: TEST_PAGE_KEYS })
    expect(await reestimate(db, all, TEST_PAGE_KEYS)).toEqual(['2026-11-28', '2026-11-29'])
    expect(await reestimate(db, all, TEST_PAGE_KEYS)).toEqual([])
    const rows = await readSums(db, '2026-11-01', '2026-11-30')
    const lists = await readPageKeyLists(db, [])
    expect(countersToSums(group, rows, TEST_PAGE_KEYS, lists).partial).toEqual([])
    expect(all.insights(rows, { from: '2026-11-01', to: '2026-11-30', epsilon: 2, pageKeyLists: lists }).reports).toBe(1200)

    // The 28th's raw reports are purged; a key added now is decoded on the 29th only, so it is left out.
    await purgeReports(db, '2026-11-29', 1)
    const more = [...TEST_PAGE_KEYS, 'pages/new']
    expect(await reestimate(db, createReportEstimator({ pageKeys: more }), more)).toEqual(['2026-11-29'])
    const after = await readSums(db, '2026-11-01', '2026-11-30')
    const { partial, sums } = countersToSums(group, after, more, await readPageKeyLists(db, []))
    expect(partial).toEqual(['pages/new'])
    expect(sums.reports).toBe(1200)
  }, 300_000)

  it('keeps the sums of a day that lost some raw reports: late reports kept after its purge', async () => {
    await db.query('TRUNCATE seglet_reports, seglet_sums, seglet_settings, seglet_unsummed')
    const keys = TEST_PAGE_KEYS.slice(0, 4)
    const estimator = createReportEstimator({ pageKeys: keys })
    await reestimate(db, estimator, keys)
    const late = '2026-11-25'
    const ingest = createIngest(db, estimator, { now: () => NOW, rawRetentionDays: 3, maxDelayMs: TEST_BATCH_DELAY_MS })
    const bodies = reportBodies(301, { day: late, seed: 21 })
    await Promise.all(bodies.slice(0, 300).map((b, i) => ingest.submit(`c${i}`, b)))
    await ingest.flush()
    await purgeReports(db, '2026-11-30', 3)
    // A report for that day arrives late (within the 7 days ingest accepts) and is kept.
    expect((await ingest.submit('late', bodies[300]!)).status).toBe(202)
    await ingest.flush()
    const reports = async (pageKeys: readonly string[]) =>
      countersToSums(group, await readSums(db, late, late), pageKeys, await readPageKeyLists(db, [])).sums.reports
    expect(await reports(keys)).toBe(301)
    const more = [...keys, 'pages/new']
    expect(await reestimate(db, createReportEstimator({ pageKeys: more }), more)).toEqual([])
    expect(await reports(more)).toBe(301)
    expect(countersToSums(group, await readSums(db, late, late), more, await readPageKeyLists(db, [])).partial).toEqual(['pages/new'])
  }, 300_000)

  it('counts every report once when another process stores and sums reports of a day while it is re-estimated', async () => {
    await db.query('TRUNCATE seglet_reports, seglet_sums, seglet_settings, seglet_unsummed')
    const keys = TEST_PAGE_KEYS.slice(0, 4)
    const day = '2026-11-29'
    await reestimate(db, createReportEstimator({ pageKeys: keys }), keys)
    // Another collector process, still running on the old keys (a rolling restart).
    const other = createIngest(db, createReportEstimator({ pageKeys: keys }), { now: () => NOW, maxDelayMs: TEST_BATCH_DELAY_MS })
    const bodies = reportBodies(202, { day, seed: 31 })
    await Promise.all(bodies.slice(0, 200).map((b, i) => other.submit(`d${i}`, b)))
    await other.flush()
    // Around this process's read of the day's raw reports, the other one stores a report just before (summing
    // it later) and stores and sums one just after. Each waits for the re-estimate if that holds it off.
    let raced = false
    let late: Promise<unknown> = Promise.resolve()
    const meanwhile = (work: Promise<unknown>) => Promise.race([work, new Promise((done) => setTimeout(done, 1000))])
    const racing = (on: Queryable): Queryable => ({
      query: async <Row>(text: string, params?: unknown[]) => {
        if (text !== SQL.readReportsOfDay || raced) return on.query<Row>(text, params)
        raced = true
        const before = other.submit('before', bodies[200]!)
        await meanwhile(before)
        const rows = await on.query<Row>(text, params)
        late = Promise.all([before, other.submit('after', bodies[201]!)]).then(() => other.flush())
        await meanwhile(late)
        return rows
      },
    })
    const racingDb: Database = { ...db, ...racing(db), transaction: (work) => db.transaction((tx) => work(racing(tx))) }
    const more = [...keys, 'pages/new']
    expect(await reestimate(racingDb, createReportEstimator({ pageKeys: more }), more)).toEqual([day])
    await late
    await other.flush()
    const reports = countersToSums(group, await readSums(db, day, day), keys, await readPageKeyLists(db, [])).sums.reports
    expect(reports).toBe(202)
  }, 300_000)

  it('re-decodes, within the hour, the days a process still on the old keys summed after the re-estimate (a rolling deploy)', async () => {
    await db.query('TRUNCATE seglet_reports, seglet_sums, seglet_settings, seglet_unsummed')
    const day = '2026-11-29'
    const oldKeys = TEST_PAGE_KEYS.slice(0, 4)
    const old = createReportEstimator({ pageKeys: oldKeys })
    await reestimate(db, old, oldKeys)
    const running = createIngest(db, old, { now: () => NOW, maxDelayMs: TEST_BATCH_DELAY_MS })
    const bodies = reportBodies(350, { day, seed: 41 })
    await Promise.all(bodies.slice(0, 300).map((b, i) => running.submit(`e${i}`, b)))
    await running.flush()
    // The new version starts with more keys and re-estimates; the old one goes on summing until it is stopped.
    const estimator = createReportEstimator({ pageKeys: TEST_PAGE_KEYS })
    expect(await reestimate(db, estimator, TEST_PAGE_KEYS)).toEqual([day])
    await Promise.all(bodies.slice(300).map((b, i) => running.submit(`f${i}`, b)))
    await running.close()
    const partial = async () => countersToSums(group, await readSums(db, day, day), TEST_PAGE_KEYS, await readPageKeyLists(db, [])).partial
    expect(await partial()).toEqual(['product/teapot', 'cart', 'checkout'])
    // A process on keys no longer in force leaves the days alone; the one whose keys are in force re-decodes them.
    expect(await reestimate(db, old, oldKeys, { catchUp: true })).toEqual([])
    expect(await reestimate(db, estimator, TEST_PAGE_KEYS, { catchUp: true })).toEqual([day])
    expect(await partial()).toEqual([])
    expect(countersToSums(group, await readSums(db, day, day), TEST_PAGE_KEYS, await readPageKeyLists(db, [])).sums.reports).toBe(350)
    expect(await reestimate(db, estimator, TEST_PAGE_KEYS, { catchUp: true })).toEqual([])
  }, 300_000)

  // The sums are kept for good and the catch-up runs every hour: read whole, it would take longer every day the shop
  // runs (on the embedded store, holding the collector's only thread).
  it('reads, in its hourly catch-up, the sums of the days whose raw reports are kept, not those of every day the shop ran', async () => {
    await db.query('TRUNCATE seglet_reports, seglet_sums, seglet_settings, seglet_unsummed')
    const estimator = createReportEstimator({ pageKeys: TEST_PAGE_KEYS })
    await reestimate(db, estimator, TEST_PAGE_KEYS)
    const ingest = createIngest(db, estimator, { now: () => NOW, maxDelayMs: TEST_BATCH_DELAY_MS })
    await Promise.all(reportBodies(50, { day: '2026-11-29', seed: 51 }).map((b, i) => ingest.submit(`g${i}`, b)))
    await ingest.close()
    // Three years of daily sums whose raw reports are gone, their page answers decoded against other page keys.
    await db.query(
      `INSERT INTO seglet_sums (day, pack_id, epsilon, segment_leaves, value_leaves, counter, value)
        SELECT '2026-11-28'::date - d, $1, 2, 4, 4, '["pageView","decoded","0123456789abcdef",' || c || ']', 1
        FROM generate_series(0, 1094) d, generate_series(0, 19) c`,
      [TEST_CONTEXT.packId],
    )
    await db.query(SQL.analyzeSums)
    const [kept] = await db.query<{ n: number }>(`SELECT count(*)::integer AS n FROM seglet_sums WHERE day = '2026-11-29'`)
    const sent: [string, unknown[]][] = []
    const watched: Database = { ...db, kind: db.kind, query: (text, params) => (sent.push([text, params ?? []]), db.query(text, params)), transaction: (work) => db.transaction(work), close: () => db.close() }
    expect(await reestimate(watched, estimator, TEST_PAGE_KEYS, { catchUp: true })).toEqual([])
    // Each statement that reads the sums, run again under EXPLAIN ANALYZE: the rows of the sums it went through.
    let read = 0
    for (const [text, params] of sent.filter(([text]) => /seglet_sums/.test(text) && /^\s*SELECT/i.test(text))) {
      const [row] = await db.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, params)
      const plan = row!['QUERY PLAN']
      read += rowsReadOf((typeof plan === 'string' ? JSON.parse(plan) : plan)[0].Plan, 'seglet_sums')
    }
    expect(read).toBeGreaterThan(0)
    expect(read).toBeLessThanOrEqual(Number(kept!.n) + 40)
  }, 300_000)
})

/** Rows of `table` the nodes of an EXPLAIN ANALYZE plan (JSON) went through: those they returned and those filtered out. */
function rowsReadOf(node: Record<string, unknown>, table: string): number {
  const own =
    node['Relation Name'] === table
      ? (Number(node['Actual Rows'] ?? 0) + Number(node['Rows Removed by Filter'] ?? 0) + Number(node['Rows Removed by Index Recheck'] ?? 0)) * Number(node['Actual Loops'] ?? 1)
      : 0
  return own + ((node.Plans as Record<string, unknown>[] | undefined) ?? []).reduce((sum, child) => sum + rowsReadOf(child, table), 0)
}
