// @vitest-environment node
// Which pack the insights and the page-statistics table follow when two known packs have reports in the window.
import { describe, expect, it } from 'vitest'
import type { SumRow } from '../storage/types'
import { reportBodies, TEST_CONTEXT, TEST_PAGE_KEYS } from '../testing/reports'
import { createReportEstimator } from './createReportEstimator'
import { pageKeyListId } from './pageKeyListId'

const DAY = '2026-11-29'
const RETRAINED = { ...TEST_CONTEXT, packId: 'session@1+r20261129+lifetime@1' }
const QUERY = { from: DAY, to: DAY, epsilon: 2, pageKeyLists: { [pageKeyListId(TEST_PAGE_KEYS)]: TEST_PAGE_KEYS }, knownPacks: [TEST_CONTEXT, RETRAINED] }

const estimator = createReportEstimator({ pageKeys: TEST_PAGE_KEYS })
/** The stored sums of `n` reports of `context` on DAY. */
function rowsOf(n: number, context: typeof TEST_CONTEXT, seed: number): SumRow[] {
  const parsed = reportBodies(n, { day: DAY, seed, context }).map((body) => estimator.parse(JSON.parse(body)))
  const group = estimator.groupOf(parsed[0]!)
  return [...estimator.addUp(group, parsed)].map(([counter, value]) => ({ ...group, counter, value }))
}

describe('the pack the estimates follow', () => {
  it('is the same whatever order the database returns the rows in when two known packs have as many reports', () => {
    const a = rowsOf(200, TEST_CONTEXT, 5)
    const b = rowsOf(200, RETRAINED, 6)
    const followed = [[...a, ...b], [...b, ...a]].map((rows) => (estimator.insights(rows, QUERY).context as { packId: string }).packId)
    // The greatest pack id: a retrained pack's `+r<day>` sorts after the pack it retrains, and a later retrain after an earlier one.
    expect(followed).toEqual([RETRAINED.packId, RETRAINED.packId])
    const table = [[...a, ...b], [...b, ...a]].map((rows) => estimator.pageStats(rows, QUERY))
    expect(table[0]).toEqual(table[1])
  })

  it('reads the versions in pack ids as numbers when two known packs have as many reports: 1.0.10 after 1.0.9', () => {
    const older = { ...TEST_CONTEXT, packId: 'session@1.0.9+lifetime@1.0.0' }
    const newer = { ...TEST_CONTEXT, packId: 'session@1.0.10+lifetime@1.0.0' }
    const query = { ...QUERY, knownPacks: [older, newer] }
    const a = rowsOf(200, older, 5)
    const b = rowsOf(200, newer, 6)
    const followed = [[...a, ...b], [...b, ...a]].map((rows) => (estimator.insights(rows, query).context as { packId: string }).packId)
    expect(followed).toEqual([newer.packId, newer.packId])
  })
})
