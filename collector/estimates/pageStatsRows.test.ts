// @vitest-environment node
// What the page-statistics table lists of each page: the rates once they are shown, the page value once it is.
import { describe, expect, it } from 'vitest'
import type { SumRow } from '../storage/types'
import { reportBodies, TEST_CONTEXT, TEST_PAGE_KEYS, TEST_VALUE_PAGES } from '../testing/reports'
import { createReportEstimator } from './createReportEstimator'
import { pageKeyListId } from './pageKeyListId'

const DAY = '2026-11-29'
const QUERY = { from: DAY, to: DAY, epsilon: 2, pageKeyLists: { [pageKeyListId(TEST_PAGE_KEYS)]: TEST_PAGE_KEYS }, knownPacks: [TEST_CONTEXT] }
const estimator = createReportEstimator({ pageKeys: TEST_PAGE_KEYS })

function rowsOf(n: number, seed: number): SumRow[] {
  const parsed = reportBodies(n, { day: DAY, seed }).map((body) => estimator.parse(JSON.parse(body)))
  const group = estimator.groupOf(parsed[0]!)
  return [...estimator.addUp(group, parsed)].map(([counter, value]) => ({ ...group, counter, value }))
}

describe('the page-statistics table', () => {
  it.each([1_500, 4_000, 20_000])('lists a page value as soon as it is shown, and rates only once they are (%i reports)', (n) => {
    const rows = rowsOf(n, 7)
    const { pages: insights } = estimator.insights(rows, QUERY).insights as { pages: Array<{ key: string; published: boolean; ratesPublished: boolean; pageValue: { enough: boolean; value: number }; bounceRate: { value: number } }> }
    const table = estimator.pageStats(rows, QUERY).pages
    for (const page of insights) {
      const row = table[page.key]
      expect(page.published, page.key).toBe(page.ratesPublished || page.pageValue.enough)
      if (!page.published) {
        expect(row, page.key).toBeUndefined()
        continue
      }
      expect(Object.keys(row!).sort(), page.key).toEqual([
        ...(page.ratesPublished ? ['bounceRate', 'exitRate'] : []),
        ...(page.pageValue.enough ? ['pageValue'] : []),
        ...(page.ratesPublished ? ['views'] : []),
      ].sort())
      if (page.pageValue.enough) expect(row!.pageValue, page.key).toBeCloseTo(Math.max(0, page.pageValue.value), 2)
      if (page.ratesPublished) expect(row!.bounceRate, page.key).toBeCloseTo(Math.min(1, Math.max(0, page.bounceRate.value)), 4)
    }
  })
})
