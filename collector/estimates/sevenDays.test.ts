// @vitest-environment node
// The insights document's `sevenDays`: each 7 days to a day of the window, its reports pooled as one sample.
import { describe, expect, it } from 'vitest'
import { addReport, createInsightSums, estimateInsights } from '../../src/reports/estimate'
import type { ParsedReport } from '../../src/reports/types'
import { addDays } from '../lib/addDays'
import type { SumRow } from '../storage/types'
import { reportBodies, TEST_CONTEXT, TEST_PAGE_KEYS } from '../testing/reports'
import { createReportEstimator } from './createReportEstimator'
import { pageKeyListId } from './pageKeyListId'
import { toJsonSafe } from './toJsonSafe'

const FROM = '2026-10-20'
const DAYS = 40
const TO = addDays(FROM, DAYS - 1)
const RETRAINED = { ...TEST_CONTEXT, packId: 'session@1+r20261115+lifetime@1' }
const QUERY = { from: FROM, to: TO, epsilon: 2, pageKeyLists: { [pageKeyListId(TEST_PAGE_KEYS)]: TEST_PAGE_KEYS }, knownPacks: [TEST_CONTEXT, RETRAINED] }

type Period = { from: string; to: string; reports: number; otherPackReports: number; segments: unknown[] }

/**
 * 40 days of reports as the collector reads them back: a day's counters as rows of that day, the page questions'
 * added up over the window as rows of its last day. Some days have none; from day 26 browsers move to a retrained
 * pack, a few at first, and the main pack thins out.
 */
function windowOf() {
  const estimator = createReportEstimator({ pageKeys: TEST_PAGE_KEYS })
  const windowed = (counter: string) => (estimator.windowCounters ?? []).some((prefix) => counter.startsWith(prefix))
  const reports = new Map<string, ParsedReport[]>()
  const rows: SumRow[] = []
  const collapsed = new Map<string, SumRow>()
  for (let i = 0; i < DAYS; i++) {
    const day = addDays(FROM, i)
    const main = [3, 9, 17, 18, 19, 20, 21, 22, 23, 37].includes(i) ? 0 : i < 26 ? 20 + ((i * 37) % 90) : 7 + (i % 4)
    const other = i < 26 ? 0 : 5 * (i - 25)
    for (const [n, context, seed] of [[main, TEST_CONTEXT, 300 + i], [other, RETRAINED, 500 + i]] as const) {
      if (n === 0) continue
      const parsed = reportBodies(n, { day, seed, context }).map((body) => estimator.parse(JSON.parse(body)))
      if (context === TEST_CONTEXT) reports.set(day, parsed)
      const group = estimator.groupOf(parsed[0]!)
      for (const [counter, value] of estimator.addUp(group, parsed)) {
        if (!windowed(counter)) rows.push({ ...group, counter, value })
        else {
          const key = JSON.stringify([group.packId, counter])
          const row = collapsed.get(key) ?? { ...group, day: TO, counter, value: 0 }
          row.value += value
          collapsed.set(key, row)
        }
      }
    }
  }
  rows.push(...collapsed.values())
  return { doc: estimator.insights(rows, QUERY) as unknown as { context: { packId: string }; sevenDays: Period[] }, reports }
}

describe('insights: segment shares over each 7 days', () => {
  it('estimates each 7 days to a day of the window from their reports pooled, as one sample', () => {
    const { doc, reports } = windowOf()
    expect(doc.context.packId).toBe(TEST_CONTEXT.packId)
    expect(doc.sevenDays).toHaveLength(DAYS - 6)
    // Each period recomputed straight from its reports: added up into the report module's sums and estimated once.
    const expected = Array.from({ length: DAYS - 6 }, (_, i) => {
      const days = Array.from({ length: 7 }, (_, d) => addDays(FROM, i + d))
      const pooled = days.flatMap((day) => reports.get(day) ?? [])
      const sums = createInsightSums(TEST_CONTEXT, 2, [])
      for (const report of pooled) addReport(sums, report)
      const others = days.filter((day) => day >= addDays(FROM, 26)).reduce((sum, day) => sum + 5 * (Date.parse(day) - Date.parse(addDays(FROM, 25))) / 86_400_000, 0)
      return { from: days[0], to: days[6], reports: pooled.length, otherPackReports: others, segments: pooled.length > 0 ? toJsonSafe(estimateInsights(sums, { forgedReports: 1 }).segments) : [] }
    })
    expect(doc.sevenDays).toEqual(expected)
    // The window holds 7 days without a report, periods with a single day of them and periods mostly of the other pack.
    expect(doc.sevenDays.filter((p) => p.reports === 0).map((p) => p.to)).toEqual([addDays(FROM, 23)])
    expect(doc.sevenDays.some((p) => p.reports > 0 && p.reports < 100)).toBe(true)
    expect(doc.sevenDays.at(-1)!.otherPackReports).toBeGreaterThan(doc.sevenDays.at(-1)!.reports)
  })
})
