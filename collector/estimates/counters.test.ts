// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { addReport, createInsightSums } from '../../src/reports/estimate'
import { parseReport } from '../../src/reports/parseReport'
import type { SumRow } from '../storage/types'
import { reportBodies, TEST_CONTEXT, TEST_PAGE_KEYS } from '../testing/reports'
import { countersToSums } from './countersToSums'
import { pageKeyListId } from './pageKeyListId'
import { sumsParts } from './sumsShape'
import { sumsToCounters } from './sumsToCounters'

const lists = Object.fromEntries([TEST_PAGE_KEYS, TEST_PAGE_KEYS.slice(1)].map((keys) => [pageKeyListId(keys), keys]))
const group = { packId: TEST_CONTEXT.packId, epsilon: 2, segmentLeaves: 4, valueLeaves: 4 }
const rows = (day: string, counters: ReadonlyArray<readonly [string, number]>): SumRow[] => counters.map(([counter, value]) => ({ day, ...group, counter, value }))
const sumsOf = (bodies: string[], keys: readonly string[]) => {
  const sums = createInsightSums(TEST_CONTEXT, 2, keys)
  for (const body of bodies) addReport(sums, parseReport(body))
  return sums
}

describe('stored counters', () => {
  it('count a finite answer only under the name they were written with, and only within its question', () => {
    const stored = rows('2026-11-29', [
      ['["segment",1]', 5], ['["segment",4]', 2], ['["learn",719]', 3],
      // None of these is a counter sumsToCounters() writes: past the question's cells, not a cell, not its name.
      ['["segment",5]', 7], ['["segment",-1]', 7], ['["segment",1.5]', 7], ['["segment","2"]', 7], ['[ "segment", 3]', 7], ['["segment",3,0]', 7], ['["learn",720]', 7], ['["nothing",0]', 7],
    ])
    const { sums } = countersToSums(group, stored, [], lists)
    expect(sums.segment.counts).toEqual([0, 5, 0, 0, 2])
    expect(sums.learn.counts[719]).toBe(3)
    expect(sums.learn.counts).toHaveLength(720)
    expect(sums.learn.counts.reduce((a, b) => a + b, 0)).toBe(3)
  })

  it('give back exactly the sums they were made from, also added over days', () => {
    const a = reportBodies(800, { day: '2026-11-28', seed: 1 })
    const b = reportBodies(700, { day: '2026-11-28', seed: 2 })
    const stored = [...rows('2026-11-28', sumsToCounters(sumsOf(a, TEST_PAGE_KEYS))), ...rows('2026-11-29', sumsToCounters(sumsOf(b, TEST_PAGE_KEYS)))]
    const { sums, partial } = countersToSums(group, stored, TEST_PAGE_KEYS, lists)
    expect(partial).toEqual([])
    expect(sums).toEqual(sumsOf([...a, ...b], TEST_PAGE_KEYS))
  })

  it('line page cells up by key whatever the order of the candidates', () => {
    const bodies = reportBodies(500, { day: '2026-11-28', seed: 3 })
    const reversed = [...TEST_PAGE_KEYS].reverse()
    const { sums } = countersToSums(group, rows('2026-11-28', sumsToCounters(sumsOf(bodies, TEST_PAGE_KEYS))), reversed, lists)
    expect(sums).toEqual(sumsOf(bodies, reversed))
  })

  it('leave out a key that some stored days were not decoded against', () => {
    const early = reportBodies(300, { day: '2026-11-28', seed: 4 })
    const late = reportBodies(300, { day: '2026-11-28', seed: 5 })
    const stored = [
      ...rows('2026-11-27', sumsToCounters(sumsOf(early, TEST_PAGE_KEYS.slice(1)))),
      ...rows('2026-11-28', sumsToCounters(sumsOf(late, TEST_PAGE_KEYS))),
    ]
    const { sums, partial } = countersToSums(group, stored, TEST_PAGE_KEYS, lists)
    expect(partial).toEqual([TEST_PAGE_KEYS[0]])
    expect(sums).toEqual(sumsOf([...early, ...late], TEST_PAGE_KEYS.slice(1)))
  })
})

it('store one decoded counter per page question and batch, not one per key', () => {
  const counters = sumsToCounters(sumsOf(reportBodies(500, { day: '2026-11-28', seed: 6 }), TEST_PAGE_KEYS))
  const pageQuestions = sumsParts(createInsightSums(TEST_CONTEXT, 2, [])).pages.length
  expect(pageQuestions).toBeGreaterThanOrEqual(2)
  expect(counters.filter(([c]) => c.includes('"decoded"'))).toHaveLength(pageQuestions)
})

it('estimate a window of years of daily sums in seconds, not minutes (--window-days up to 3650)', async () => {
  const { createReportEstimator } = await import('./createReportEstimator')
  const { addDays } = await import('../lib/addDays')
  const pageKeys = Array.from({ length: 200 }, (_, i) => `page/${i}`)
  const estimator = createReportEstimator({ pageKeys })
  const to = '2026-11-30'
  const from = addDays(to, -3649)
  const day = [...estimator.addUp({ day: to, ...group }, reportBodies(50, { day: to }).map((body) => parseReport(body)))]
  const stored: SumRow[] = []
  for (let d = from; d <= to; d = addDays(d, 1)) stored.push(...rows(d, day))
  const started = performance.now()
  const document = estimator.insights(stored, { from, to, epsilon: 2, pageKeyLists: {} })
  // Each day's rows were found by scanning all of the window's: 3650 × 2 million comparisons, about 3 minutes.
  expect(performance.now() - started).toBeLessThan(30_000)
  expect(document.daily).toHaveLength(3650)
  expect((document.daily as Array<{ reports: number }>).every((d) => d.reports === 50)).toBe(true)
}, 60_000)
