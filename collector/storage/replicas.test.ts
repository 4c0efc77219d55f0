// @vitest-environment node
// Several collector processes on one PostgreSQL (replicas behind a load balancer, or the old and the new version
// overlapping in a rolling deploy): each opens its own pool on the same schema.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createReportEstimator } from '../estimates/createReportEstimator'
import { addUpBodies } from '../ingest/addUpBodies'
import { createIngest } from '../ingest/createIngest'
import { createCollector } from '../server/createCollector'
import { reestimate } from '../server/reestimate'
import { DATABASE_TARGETS } from '../testing/databases'
import { postReports, reportBodies, TEST_PAGE_KEYS } from '../testing/reports'
import { migrate } from './migrate'
import { openDatabase } from './openDatabase'
import { readSums } from './readSums'
import { SQL } from './sql'
import { sumParams } from './sumParams'
import { sumPending } from './sumPending'
import type { Database } from './types'

// Two processes cannot open one embedded store (its folder is locked): this is PostgreSQL's case only.
const postgres = DATABASE_TARGETS.find((target) => target.name === 'postgres')

describe.skipIf(!postgres)('collector processes side by side on PostgreSQL', () => {
  let one: Database
  let two: Database
  beforeAll(async () => {
    const location = await postgres!.location()
    one = await openDatabase(location)
    two = await openDatabase(location)
    await migrate(one)
  }, 60_000)
  afterAll(async () => {
    await one?.close()
    await two?.close()
  })

  it('sum pending reports at the same time without a deadlock, each report once', async () => {
    const estimator = createReportEstimator({ pageKeys: TEST_PAGE_KEYS })
    const addUp = (bodies: readonly string[]) => addUpBodies(estimator, bodies)
    const days = ['2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']
    const bodies = days.map((day, i) => reportBodies(40, { day, seed: 20 + i }))
    const failures: unknown[] = []
    let summed = 0
    for (let round = 0; round < 40 && failures.length === 0; round++) {
      // The older half of the pending reports names the days in one order, the newer half in the other: each
      // process claims one half, and adds to the same days' counters.
      for (const i of [0, 1, 2, 3, 3, 2, 1, 0]) {
        const part = bodies[i]!.slice(0, 20)
        await one.query(SQL.insertUnsummedReports, [part.map(() => days[i]), part])
      }
      const passes = await Promise.allSettled([sumPending(one, addUp, { limit: 80 }), sumPending(two, addUp, { limit: 80 })])
      for (const pass of passes) {
        if (pass.status === 'rejected') failures.push(pass.reason)
        else summed += pass.value
      }
    }
    expect(failures.map(String)).toEqual([])
    expect(summed).toBe(40 * 160)
    const counted = (await readSums(one, days[0]!, days[3]!)).filter((row) => row.counter === estimator.counted)
    expect(counted.reduce((total, row) => total + row.value, 0)).toBe(40 * 160)
  }, 120_000)

  it("show in one process's insights the reports another process is summing at that moment", async () => {
    await one.query('TRUNCATE seglet_reports, seglet_sums, seglet_unsummed')
    const estimator = createReportEstimator({ pageKeys: TEST_PAGE_KEYS })
    const collector = createCollector(one, estimator, { now: () => Date.parse('2026-11-30T12:00:00Z') })
    try {
      expect(new Set(await postReports(collector.app, reportBodies(150, { day: '2026-11-29', seed: 30 })))).toEqual(new Set([202]))
      // The other process's summing pass has taken the stored reports off the list and not yet committed.
      let claimed!: () => void
      const taken = new Promise<void>((resolve) => (claimed = resolve))
      let release!: () => void
      const held = new Promise<void>((resolve) => (release = resolve))
      const pass = two.transaction(async (tx) => {
        const rows = await tx.query<{ body: string }>(SQL.claimUnsummed, [20_000])
        await tx.query(SQL.addSums, sumParams(addUpBodies(estimator, rows.map((row) => row.body))))
        claimed()
        await held
        return rows.length
      })
      await taken
      const answer = collector.app.request('/seglet/insights.json')
      setTimeout(release, 300)
      const insights = (await (await answer).json()) as { reports: number }
      expect(await pass).toBe(150)
      expect(insights.reports).toBe(150)
    } finally {
      await collector.close()
    }
  }, 60_000)

  // A rolling deploy that changes --page-keys starts the new replicas together; each re-decoding every kept day would
  // hold off every process's storing and summing once per replica (at a big shop's volume, 36 s each).
  it('re-estimate the days on new page keys once when two start on them at the same moment', async () => {
    await one.query('TRUNCATE seglet_reports, seglet_sums, seglet_settings, seglet_unsummed')
    const oldKeys = TEST_PAGE_KEYS.slice(0, 4)
    const old = createReportEstimator({ pageKeys: oldKeys })
    await reestimate(one, old, oldKeys)
    const days = ['2026-11-27', '2026-11-28', '2026-11-29']
    const running = createIngest(one, old, { now: () => Date.parse('2026-11-30T12:00:00Z') })
    for (const [i, day] of days.entries()) {
      await Promise.all(reportBodies(300, { day, seed: 60 + i }).map((body, j) => running.submit(`${day}-${j}`, body)))
    }
    await running.flush()
    const estimator = createReportEstimator({ pageKeys: TEST_PAGE_KEYS })
    const done = await Promise.all([reestimate(one, estimator, TEST_PAGE_KEYS), reestimate(two, estimator, TEST_PAGE_KEYS)])
    expect(done.flat().sort()).toEqual(days)
    // The days summed meanwhile by the process still on the old keys: re-decoded once too, in the hourly catch-up.
    await Promise.all(reportBodies(50, { day: days[2]!, seed: 70 }).map((body, j) => running.submit(`late-${j}`, body)))
    await running.close()
    const caught = await Promise.all([reestimate(one, estimator, TEST_PAGE_KEYS, { catchUp: true }), reestimate(two, estimator, TEST_PAGE_KEYS, { catchUp: true })])
    expect(caught.flat()).toEqual([days[2]])
    const counted = (await readSums(one, days[0]!, days[2]!)).filter((row) => row.counter === estimator.counted)
    expect(counted.reduce((total, row) => total + row.value, 0)).toBe(950)
  }, 120_000)
})
