import { ReportError } from '../../errors'
import { mulAddMod } from '../mechanisms/olh'
import { EMPTY_PAGE_CODE, pageKeyHash } from '../lib/pageCode'
import { questionMechanism } from '../lib/questionMechanism'
import { isPageQuestion } from '../schema'
import type { ParsedReport } from '../types'
import type { InsightSums } from './types'
import { addLearnAnswer } from '../learn/learnSums'

const keyHashes = new WeakMap<string[], Float64Array>()

function hashesOf(keys: string[]): Float64Array {
  let h = keyHashes.get(keys)
  if (!h) {
    h = Float64Array.from(keys, (key) => pageKeyHash(key) * 8)
    keyHashes.set(keys, h)
  }
  return h
}

/**
 * Adds one parsed report to the sums, in place, and returns them. Throws a `ReportError`
 * (`report_mismatch`) for a report of another pack, leaf counts or ε.
 *
 * @example
 * sums = addReport(sums, parseReport(body))
 */
export function addReport(sums: InsightSums, report: ParsedReport): InsightSums {
  if (
    report.packId !== sums.packId ||
    report.segmentLeaves !== sums.segmentLeaves ||
    report.valueLeaves !== sums.valueLeaves ||
    report.epsilon !== sums.epsilon
  )
    throw new ReportError('report_mismatch', 'report is of another pack, leaf count or ε than these sums')
  const answer = report.answer
  if (report.question === 'learn') {
    const mechanism = questionMechanism('learn', sums, sums.epsilon)
    if (answer.kind !== 'olh' || mechanism.kind !== 'olh') throw new ReportError('report_mismatch', 'training answer is not a hash answer')
    addLearnAnswer(sums.learn, answer, mechanism)
  } else if (isPageQuestion(report.question)) {
    const mechanism = questionMechanism(report.question, sums, sums.epsilon)
    if (answer.kind !== 'olh' || mechanism.kind !== 'olh') throw new ReportError('report_mismatch', 'page answer is not a hash answer')
    const { prime, g } = mechanism
    const { a, b, value: y } = answer
    const keys = hashesOf(sums.pageKeys)
    const { support, both } = sums[report.question]
    for (let k = 0; k < keys.length; k++) {
      // Codes key × 8 + bit: h(x + 1) = h(x) + a mod prime, one multiplication per key.
      const h0 = mulAddMod(a, keys[k], b, prime)
      let h1 = h0 + a
      if (h1 >= prime) h1 -= prime
      const hit0 = h0 % g === y
      const hit1 = h1 % g === y
      if (hit0) support[2 * k]++
      if (hit1) {
        support[2 * k + 1]++
        if (hit0) both[k]++
      }
    }
    if (mulAddMod(a, EMPTY_PAGE_CODE, b, prime) % g === y) support[2 * keys.length]++
    sums[report.question].n++
  } else {
    const target = sums[report.question]
    if (answer.kind === 'krr') {
      if (answer.value >= target.counts.length) throw new ReportError('report_mismatch', 'answer outside the domain of these sums')
      target.counts[answer.value]++
    } else if (answer.kind === 'oue') {
      if (answer.bits.length !== target.counts.length) throw new ReportError('report_mismatch', 'answer outside the domain of these sums')
      for (let j = 0; j < answer.bits.length; j++) target.counts[j] += answer.bits[j]
    } else throw new ReportError('report_mismatch', 'hash answer to a finite question')
    target.n++
  }
  sums.reports++
  return sums
}
