// @vitest-environment node
// What the page-statistics table lists of each page: the rates once they are shown, the page value once it is.
import { describe, expect, it } from 'vitest'
import type { SumRow } from '../storage/types'
import { encodeReport } from '../../src/reports/encodeReport'
import { seededRandom } from '../../sim/seededRandom'
import { createRng } from '../../training/rng'
import { randomTruth, reportBodies, TEST_CONTEXT, TEST_PAGE_KEYS, TEST_VALUE_PAGES } from '../testing/reports'
import { createReportEstimator } from './createReportEstimator'
import { pageKeyListId } from './pageKeyListId'

const DAY = '2026-11-29'
const queryAt = (epsilon: number) => ({ from: DAY, to: DAY, epsilon, pageKeyLists: { [pageKeyListId(TEST_PAGE_KEYS)]: TEST_PAGE_KEYS }, knownPacks: [TEST_CONTEXT] })
const estimator = createReportEstimator({ pageKeys: TEST_PAGE_KEYS })

function rowsOf(n: number, seed: number, epsilon: number): SumRow[] {
  const parsed = reportBodies(n, { day: DAY, seed, epsilon }).map((body) => estimator.parse(JSON.parse(body)))
  const group = estimator.groupOf(parsed[0]!)
  return [...estimator.addUp(group, parsed)].map(([counter, value]) => ({ ...group, counter, value }))
}

describe('the page-statistics table', () => {
  // What the table then gives of its pages: nothing yet, page values alone, then rates with or without one (the
  // pages off the page-value list).
  it.each([
    [2, 20_000, []],
    [8, 4_000, ['page value']],
    [8, 60_000, ['rates', 'rates and page value']],
  ])('lists a page value as soon as it is shown, and rates only once they are (ε = %i, %i reports)', (epsilon, n, given) => {
    const rows = rowsOf(n, 7, epsilon)
    const query = queryAt(epsilon)
    const { pages: insights } = estimator.insights(rows, query).insights as { pages: Array<{ key: string; published: boolean; ratesPublished: boolean; pageValue: { enough: boolean; value: number }; bounceRate: { value: number } }> }
    const table = estimator.pageStats(rows, query).pages
    const what = new Set(Object.values(table).map((row) => (row.bounceRate === undefined ? 'page value' : row.pageValue === undefined ? 'rates' : 'rates and page value')))
    expect([...what].sort()).toEqual(given)
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
      if (page.pageValue.enough) {
        expect(TEST_VALUE_PAGES, page.key).toContain(page.key)
        expect(row!.pageValue, page.key).toBeCloseTo(Math.max(0, page.pageValue.value), 2)
      }
      if (page.ratesPublished) expect(row!.bounceRate, page.key).toBeCloseTo(Math.min(1, Math.max(0, page.bounceRate.value)), 4)
    }
  })

  it('lists no page value, and insights.json says why, where the order-value bands cannot measure the shop\'s order values', () => {
    // A shop in yen: every order in the top band (500 and above).
    const rng = createRng(3)
    const random = seededRandom(4)
    const parsed = Array.from({ length: 8000 }, () => {
      const truth = randomTruth(rng)
      return estimator.parse(JSON.parse(JSON.stringify(encodeReport({ ...truth, orderValueBucket: truth.ordered ? 5 : 0 }, TEST_CONTEXT, { epsilon: 8, day: DAY, random, valuePages: TEST_VALUE_PAGES }))))
    })
    const group = estimator.groupOf(parsed[0]!)
    const rows = [...estimator.addUp(group, parsed)].map(([counter, value]) => ({ ...group, counter, value }))
    type E = { enough: boolean; reason?: string; value: number }
    const doc = estimator.insights(rows, queryAt(8)) as unknown as { insights: { overall: { averageOrderValue: E; orderValueBands: { from: number; to: number | null; value: number }[] }; pages: { key: string; orderRate: E; pageValue: E }[] } }
    const { overall, pages } = doc.insights
    expect(overall.averageOrderValue.enough).toBe(false)
    expect(overall.averageOrderValue.reason).toMatch(/top order-value band \(500 and above, counted as 750 each\).*cannot be measured with these bands$/)
    // The top band is open: its end is null in JSON.
    expect(overall.orderValueBands.map((b) => [b.from, b.to, b.value])).toEqual([[0, 25, 12.5], [25, 50, 37.5], [50, 100, 75], [100, 250, 175], [250, 500, 375], [500, null, 750]])
    // Pages whose order rate is shown would have had a page value: none has one.
    const rated = pages.filter((p) => p.orderRate.enough)
    expect(rated.length).toBeGreaterThan(0)
    for (const p of rated) expect(p.pageValue.reason, p.key).toBe(overall.averageOrderValue.reason)
    const table = estimator.pageStats(rows, queryAt(8)).pages
    for (const row of Object.values(table)) expect(row.pageValue).toBeUndefined()
  })
})
