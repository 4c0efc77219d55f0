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

describe('the pack the estimates follow when the shop trained its own', () => {
  // A pack trained on the shop's data is `1.0.0-<hash>`: a pre-release of the shipped `1.0.0` by its id alone.
  const shipped = { ...TEST_CONTEXT, packId: 'session@1.0.0+lifetime@1.0.0' }
  const shops = { ...TEST_CONTEXT, packId: 'session@1.0.0-3fa2c91b+lifetime@1.0.0-9f8e7d6c' }
  const followed = (knownPacks: (typeof TEST_CONTEXT)[]) => {
    const a = rowsOf(200, shipped, 5)
    const b = rowsOf(200, shops, 6)
    return [[...a, ...b], [...b, ...a]].map((rows) => (estimator.insights(rows, { ...QUERY, knownPacks }).context as { packId: string }).packId)
  }

  it('is the pack the shop published, not the shipped one it replaces, when the two have as many reports', () => {
    // Shipped first, then the published ones: as the collector lists them.
    expect(followed([shipped, shops])).toEqual([shops.packId, shops.packId])
  })

  it('is the shipped pack when the shop published it again after its own', () => {
    expect(followed([shops, shipped])).toEqual([shipped.packId, shipped.packId])
  })

  it('lists a pack published again in its later place', async () => {
    const { packContexts } = await import('./packLeafNames')
    const pack = (kind: string, version: string) => ({ kind, version, heads: { segment: { labels: [0, 1, 2, 3] } } })
    const ids = packContexts([pack('session', '1.0.0'), pack('lifetime', '1.0.0'), pack('session', '1.0.0-3fa2c91b'), pack('session', '1.0.0')]).map((c) => c.packId)
    expect(ids).toEqual(['session@1.0.0-3fa2c91b+lifetime@1.0.0', 'session@1.0.0+lifetime@1.0.0'])
  })
})
