import { ReportError } from '../../errors'
import { mulAddMod } from '../mechanisms/olh'
import { addPageMatches, pageCodeHalves, type PageCodeHalves } from '../lib/addPageMatches'
import { EMPTY_PAGE_CODE, pageKeyHash } from '../lib/pageCode'
import { questionMechanism } from '../lib/questionMechanism'
import { isPageQuestion, PAGE_VALUE_CLASSES } from '../schema'
import type { ParsedReport } from '../types'
import type { InsightSums } from './types'
import { addLearnAnswer } from '../learn/learnSums'

const keyHalves = new WeakMap<string[], PageCodeHalves>()

function halvesOf(keys: string[]): PageCodeHalves {
  let h = keyHalves.get(keys)
  if (!h) {
    h = pageCodeHalves(keys.map((key) => pageKeyHash(key) * 8))
    keyHalves.set(keys, h)
  }
  return h
}

const keyIndexes = new WeakMap<string[], Map<number, number>>()

/** Index of each candidate key by its 28-bit hash (createInsightSums refuses two keys sharing one). */
function indexOf(keys: string[]): Map<number, number> {
  let m = keyIndexes.get(keys)
  if (!m) {
    m = new Map(keys.map((key, k) => [pageKeyHash(key), k]))
    keyIndexes.set(keys, m)
  }
  return m
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
  } else if (report.question === 'pageValue') {
    const C = PAGE_VALUE_CLASSES.length
    if (answer.kind !== 'krr' || answer.page === undefined || answer.value >= C) throw new ReportError('report_mismatch', 'page-value answer without its page or outside its domain')
    const { support } = sums.pageValue
    const k = indexOf(sums.pageKeys).get(answer.page)
    // A page that is not a candidate: counted apart, so the sums still hold every answer.
    if (k === undefined) support[support.length - 1]++
    else support[k * C + answer.value]++
    sums.pageValue.n++
  } else if (isPageQuestion(report.question)) {
    const mechanism = questionMechanism(report.question, sums, sums.epsilon)
    if (answer.kind !== 'olh' || mechanism.kind !== 'olh') throw new ReportError('report_mismatch', 'page answer is not a hash answer')
    const { prime, g } = mechanism
    const { a, b, value: y } = answer
    const halves = halvesOf(sums.pageKeys)
    const { support, both } = sums[report.question]
    // Codes key × 8 + bit: h(x + 1) = h(x) + a mod prime, one multiplication per key.
    addPageMatches(halves, a, b, y, g, support, both)
    if (mulAddMod(a, EMPTY_PAGE_CODE, b, prime) % g === y) support[2 * halves.hi.length]++
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
