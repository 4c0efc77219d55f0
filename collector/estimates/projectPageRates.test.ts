// @vitest-environment node
import { describe, expect, it } from 'vitest'
import type { Estimate } from '../../src/reports/estimate'
import { reportBodies, TEST_PAGE_KEYS } from '../testing/reports'
import { createReportEstimator } from './createReportEstimator'
import { pageKeyListId } from './pageKeyListId'
import { projectPageRates } from './projectPageRates'

const Z95 = 1.959963984540054
const est = (value: number, half: number, enough: boolean): Estimate => ({ value, variance: (half / Z95) ** 2, low: value - half, high: value + half, enough, forgedBound: 0 })
/** A page whose share of views is `share` (measured or noise), its bounce and exit rates ± `half`. */
const page = (share: number, measured: boolean, half: number) => ({ viewShare: est(share, 0.001, measured), bounceRate: est(0.3, half, true), exitRate: est(0.3, half, true) })
/** `n` pages of small measured shares, ± 0.1. */
const measuredPages = (n: number) => Array.from({ length: n }, (_, i) => page(0.02 - i / 10_000, true, 0.1))

describe('projectPageRates', () => {
  it.each([
    // No more candidates than the 20: all of them, whatever their noise (nothing is chosen).
    { pages: [page(0.9, false, 0.9), page(0.5, true, 0.1), page(0.3, true, 0.2)], answer: 'bounce and exit rates of all 3 candidate pages within ±5 points (median page)', half: 0.2 },
    { pages: [page(0.9, false, 0.3)], answer: 'bounce and exit rates of the one candidate page within ±5 points', half: 0.3 },
    { pages: [], answer: 'bounce and exit rates of the candidate pages (the collector was given none) within ±5 points', half: null },
    // More: the 20 most viewed of those whose share is measured. A page whose share is noise, however large its
    // estimate and however wide its rates, is neither ranked nor projected from, and is counted as left out.
    { pages: [page(0.9, false, 0.9), ...measuredPages(22)], answer: 'bounce and exit rates of the 20 most viewed pages within ±5 points (median page); 1 of the 23 candidate pages left out, their share of views not measured yet', half: 0.1 },
    { pages: [...Array(20).fill(page(0.9, false, 0.9)), ...measuredPages(2)], answer: 'bounce and exit rates of the 2 most viewed pages within ±5 points (median page); 20 of the 22 candidate pages left out, their share of views not measured yet', half: 0.1 },
    { pages: [...Array(20).fill(page(0.9, false, 0.9)), ...measuredPages(1)], answer: 'bounce and exit rates of the most viewed page within ±5 points; 20 of the 21 candidate pages left out, their share of views not measured yet', half: 0.1 },
    { pages: Array(21).fill(page(0.9, false, 0.9)), answer: "bounce and exit rates of the most viewed pages within ±5 points: no page's share of views is measured yet (of 21 candidate pages)", half: null },
    { pages: measuredPages(25), answer: 'bounce and exit rates of the 20 most viewed pages within ±5 points (median page)', half: 0.1 },
  ])('$answer', ({ pages, answer, half }) => {
    const need = projectPageRates(pages, 1000)
    expect(need.answer).toBe(answer)
    if (half === null) expect(need).toMatchObject({ halfWidthNow: null, reportsNeeded: null })
    else expect(need.halfWidthNow).toBeCloseTo(half, 6)
  })

  it('projects from the most viewed of the measured pages, not from pages ranked by their noise', () => {
    // 20 measured pages with narrow rates, and 5 whose share of views is noise estimated above theirs, with wide rates.
    const need = projectPageRates([...Array(5).fill(page(0.5, false, 0.9)), ...measuredPages(20)], 1000)
    expect(need.halfWidthNow).toBeCloseTo(0.1, 6)
  })

  it.each([400, 4000])('in the insights of %i reports of a shop of 7 candidate pages: about those 7, never "the 20 most viewed"', (n) => {
    const estimator = createReportEstimator({ pageKeys: TEST_PAGE_KEYS })
    const parsed = reportBodies(n, { day: '2026-11-29', seed: 5 }).map((body) => estimator.parse(JSON.parse(body)))
    const group = estimator.groupOf(parsed[0]!)
    const rows = [...estimator.addUp(group, parsed)].map(([counter, value]) => ({ ...group, counter, value }))
    const doc = estimator.insights(rows, { from: '2026-11-29', to: '2026-11-29', epsilon: 2, pageKeyLists: { [pageKeyListId(TEST_PAGE_KEYS)]: TEST_PAGE_KEYS } }) as unknown as {
      traffic: { answer: string; halfWidthNow: number | null }[]
    }
    const pages = doc.traffic.find((t) => t.answer.startsWith('bounce and exit rates'))!
    // The rates of pages with too few views to estimate them are left out of the median, and the answer says how many.
    expect(pages.answer).toMatch(/^bounce and exit rates of all 7 candidate pages within ±5 points \(median page\)(; \d+ of its 14 figures left out: no interval can be computed for (it|them) yet)?$/)
    expect(pages.halfWidthNow).not.toBeNull()
  })
})
