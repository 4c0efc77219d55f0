// @vitest-environment node
// Several collector processes on one PostgreSQL (replicas behind a load balancer, or the old and the new version
// overlapping in a rolling deploy): each opens its own pool on the same schema.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createReportEstimator } from '../estimates/createReportEstimator'
import { addUpBodies } from '../ingest/addUpBodies'
import { DATABASE_TARGETS } from '../testing/databases'
import { reportBodies, TEST_PAGE_KEYS } from '../testing/reports'
import { migrate } from './migrate'
import { openDatabase } from './openDatabase'
import { readSums } from './readSums'
import { SQL } from './sql'
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
})
