import type { Estimate } from '../../src/reports/estimate'
import type { QuestionId } from '../../src/reports/types'

/** From what traffic one answer is usable: its interval now, and the reports it needs for the target width. */
export interface TrafficNeed {
  /** Plain words: what becomes readable, and how precisely. */
  answer: string
  /**
   * The questions the answer is estimated from: where not one report in the window answered one of them, the
   * dashboard says "no reports" instead of "not enough reports yet" (more traffic of the same kind gives none).
   */
  questions: QuestionId[]
  /** 95% half-width of the answer's cells now, the widest or the median (null before any estimate). */
  halfWidthNow: number | null
  /**
   * Whether the cell that half-width is read from has enough reports to be shown (the estimators' own
   * `enough`): when it has not, the dashboard says "not enough reports yet" instead of the half-width.
   */
  enough: boolean
  /** The half-width the answer is usable at. */
  target: number
  /**
   * Reports (all questions) needed for it, projected from the intervals now; null before any estimate, and while the
   * cell it is read from has not enough reports to be shown (its interval is then noise, and so would this be).
   */
  reportsNeeded: number | null
  /**
   * Cells of the answer left out of the half-width and projection, as no interval can be computed for them yet (a
   * rate whose denominator is estimated at 0 or below: the conversion of a small segment). The answer says so: the
   * widest cell may be one of them.
   */
  cellsLeftOut: number
}

/**
 * Projects how many reports an answer needs: an estimate's variance shrinks as 1/reports (every question is
 * drawn with a fixed weight), so reports × (half-width now / target)² reaches the target. The half-widths come
 * from the estimators' own variances of the current data, so the projection is what this shop's traffic and ε
 * will give, not a textbook figure.
 *
 * Only from a cell that has enough reports to be shown (the estimators' own `enough`): before, its half-width is
 * itself noise (a rate's denominator, the segment's sessions, may be a handful, or estimated near 0), and a projection
 * squares it: the conversion of one small segment projected 9,400, then 990,000, then 11,000,000 reports as reports
 * came in. Such an answer says it cannot be projected yet; once its cell is shown, its interval is at most about as
 * wide as the figure, and the projection a bounded multiple of the reports now. A cell with no interval at all (its
 * variance not a number) is left out, and the answer says how many were: the widest cell read may not be the widest.
 */
export function projectTraffic(
  answer: string,
  questions: readonly QuestionId[],
  estimates: readonly Estimate[],
  reports: number,
  target: number,
  over: 'widest' | 'median' = 'widest',
): TrafficNeed {
  const cells = estimates
    .filter((e) => Number.isFinite(e.variance))
    .map((e) => ({ half: 1.959963984540054 * Math.sqrt(e.variance), enough: e.enough }))
    .sort((a, b) => a.half - b.half)
  const cellsLeftOut = estimates.length - cells.length
  if (cells.length === 0 || reports === 0) return { answer, questions: [...questions], halfWidthNow: null, enough: false, target, reportsNeeded: null, cellsLeftOut }
  // Said where the dashboard shows the answer: a figure of the others only, not of the one left out.
  const said = cellsLeftOut === 0 ? answer : `${answer}; ${cellsLeftOut} of its ${estimates.length} figures left out: no interval can be computed for ${cellsLeftOut === 1 ? 'it' : 'them'} yet`
  const cell = over === 'widest' ? cells[cells.length - 1]! : cells[Math.floor((cells.length - 1) / 2)]!
  const reportsNeeded = cell.enough ? round2(Math.max(reports, reports * (cell.half / target) ** 2)) : null
  return { answer: said, questions: [...questions], halfWidthNow: cell.half, enough: cell.enough, target, reportsNeeded, cellsLeftOut }
}

function round2(x: number): number {
  const p = 10 ** Math.max(0, Math.floor(Math.log10(x)) - 1)
  return Math.ceil(x / p) * p
}
