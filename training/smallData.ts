import { plural } from '../src/lib/plural'

/**
 * Below these counts the held-out figures of a pack (ROC AUC, accuracy, segment agreement) swing too much from
 * one split to the next to mean anything, and training warns. Sessions for the session pack, customers with an
 * order before the cutoff for the lifetime pack; positives are purchases / repeat customers.
 */
export const SMALL_DATA = {
  /** Rows (sessions or customers) in the training split. */
  trainRows: 1000,
  /** Positive rows in the training split. */
  trainPositives: 100,
  /** Positive rows in the test split. */
  testPositives: 30,
  /** Negative rows in the test split. */
  testNegatives: 30,
} as const

/** The warnings for a data set of this size (empty when it is big enough). */
export function smallDataWarnings(kind: string, trainLabels: readonly number[], testLabels: readonly number[]): string[] {
  const positives = (list: readonly number[]) => list.filter((v) => v === 1).length
  const what = kind === 'session' ? { row: 'session', positive: 'purchase' } : { row: 'customer', positive: 'repeat customer' }
  const checks: Array<[number, number, string, string]> = [
    [trainLabels.length, SMALL_DATA.trainRows, what.row, 'to train on'],
    [positives(trainLabels), SMALL_DATA.trainPositives, what.positive, 'to train on'],
    [positives(testLabels), SMALL_DATA.testPositives, what.positive, 'in the test split'],
    [testLabels.length - positives(testLabels), SMALL_DATA.testNegatives, what.row, 'without one in the test split'],
  ]
  return checks
    .filter(([count, min]) => count < min)
    .map(([count, min, noun, where]) => `warning: ${kind} pack: only ${plural(count, noun)} ${where} (fewer than ${min}): its figures will not mean much; collect more data before relying on them`)
}
