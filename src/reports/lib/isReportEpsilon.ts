import { MAX_REPORT_EPSILON, MIN_REPORT_EPSILON } from '../schema'

/** True for an ε a report may carry: within [MIN_REPORT_EPSILON, MAX_REPORT_EPSILON], in hundredths. */
export function isReportEpsilon(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= MIN_REPORT_EPSILON &&
    value <= MAX_REPORT_EPSILON &&
    Math.abs(Math.round(value * 100) - value * 100) < 1e-9
  )
}

/**
 * An ε as exactly its hundredths: the form reports carry, the ledger spends and the collector sums by (0.7 × 3 is
 * 2.0999999999999996, which `isReportEpsilon()` accepts as 2.1).
 *
 * @example
 * toReportEpsilon(0.7 * 3) // 2.1
 */
export function toReportEpsilon(value: number): number {
  return Math.round(value * 100) / 100
}
