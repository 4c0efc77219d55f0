// @vitest-environment node
import { describe, expect, it } from 'vitest'
import type { Estimate } from '../../src/reports/estimate'
import { createReportEstimator } from './createReportEstimator'
import { pageKeyListId } from './pageKeyListId'
import { projectTraffic } from './projectTraffic'
import { reportBodies, TEST_PAGE_KEYS } from '../testing/reports'

const cell = (half: number, enough: boolean): Estimate => {
  const variance = (half / 1.959963984540054) ** 2
  return { value: 0.3, variance, low: 0.3 - half, high: 0.3 + half, enough, forgedBound: 0 }
}

describe('projectTraffic', () => {
  it.each([
    // [cells (half-width, enough), over, reports, reports needed]
    [[[0.1, true]], 'widest', 1000, 4000],
    [[[0.04, true]], 'widest', 1000, 1000],
    // The cell read from is too small to show: its interval is noise, and so would a projection from it be.
    [[[1.4, false]], 'widest', 15000, null],
    [[[0.1, true], [1.4, false]], 'widest', 15000, null],
    [[[0.1, true], [0.12, true], [1.4, false]], 'median', 1000, 5800],
    [[[0.1, false], [0.12, false], [0.08, true]], 'median', 1000, null],
  ] as const)('%j over the %s cell of %i reports needs %s', (cells, over, reports, needed) => {
    const need = projectTraffic('answer', ['segment'], cells.map(([half, enough]) => cell(half, enough)), reports, 0.05, over)
    expect(need.reportsNeeded).toBe(needed)
    // The interval now is still said, as the dashboard marks it: "not enough reports yet" where the cell is not shown.
    expect(need.halfWidthNow).not.toBeNull()
  })

  it('projects conversion by segment only once its widest cell can be read, so the figure never jumps with the noise of a small cell', () => {
    const estimator = createReportEstimator({ pageKeys: TEST_PAGE_KEYS })
    const day = '2026-11-29'
    for (const n of [400, 1200, 4000, 15000]) {
      const parsed = reportBodies(n, { day, seed: 5 }).map((body) => estimator.parse(JSON.parse(body)))
      const group = estimator.groupOf(parsed[0]!)
      const rows = [...estimator.addUp(group, parsed)].map(([counter, value]) => ({ ...group, counter, value }))
      const doc = estimator.insights(rows, { from: day, to: day, epsilon: 2, pageKeyLists: { [pageKeyListId(TEST_PAGE_KEYS)]: TEST_PAGE_KEYS } })
      for (const t of doc.traffic as { enough: boolean; target: number; halfWidthNow: number | null; reportsNeeded: number | null }[]) {
        if (!t.enough) expect(t.reportsNeeded).toBeNull()
        // A readable cell's projection is a bounded multiple of the reports now.
        else if (t.reportsNeeded !== null) expect(t.reportsNeeded).toBeLessThanOrEqual(n * Math.max(1, (t.halfWidthNow! / t.target) ** 2) * 1.1)
      }
    }
  })
})

describe('projectTraffic with cells that have no interval', () => {
  const none: Estimate = { value: Number.NaN, variance: Number.NaN, low: Number.NaN, high: Number.NaN, enough: false, forgedBound: Number.POSITIVE_INFINITY }

  it('says how many cells it leaves out, as the widest cell it reads may not be the widest', () => {
    const need = projectTraffic('conversion by segment within ±5 points', ['outcome'], [cell(0.04, true), none, cell(0.03, true), none], 1000, 0.05)
    expect(need).toMatchObject({ cellsLeftOut: 2, halfWidthNow: 0.04, reportsNeeded: 1000 })
    expect(need.answer).toBe('conversion by segment within ±5 points; 2 of its 4 figures left out: no interval can be computed for them yet')
    expect(projectTraffic('lift', ['arm'], [cell(0.04, true), none], 1000, 0.05).answer).toBe('lift; 1 of its 2 figures left out: no interval can be computed for it yet')
  })

  it('says nothing more when every cell has an interval, or none has', () => {
    expect(projectTraffic('answer', ['segment'], [cell(0.04, true)], 1000, 0.05)).toMatchObject({ answer: 'answer', cellsLeftOut: 0 })
    expect(projectTraffic('answer', ['segment'], [none], 1000, 0.05)).toMatchObject({ answer: 'answer', cellsLeftOut: 1, halfWidthNow: null })
  })
})
