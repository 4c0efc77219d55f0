import { finiteMechanism, type FiniteMechanism } from '../mechanisms/finite'
import { olhParams, type OlhParams } from '../mechanisms/olh'
import { domainSize, isPageQuestion, PAGE_VALUE_CLASSES } from '../schema'
import type { QuestionId, ReportContext } from '../types'

/** The mechanism of a question, the same on the device and at the collector: a function of (context, ε). */
export type QuestionMechanism = FiniteMechanism | ({ kind: 'olh' } & OlhParams)

const cache = new Map<string, QuestionMechanism>()

/**
 * The mechanism and exact parameters a question uses for a context at ε.
 *
 * @example
 * questionMechanism('segment', { segmentLeaves: 4, valueLeaves: 4 }, 2).kind // 'krr'
 */
export function questionMechanism(
  question: QuestionId,
  context: Pick<ReportContext, 'segmentLeaves' | 'valueLeaves'>,
  epsilon: number,
): QuestionMechanism {
  const key = `${question}/${context.segmentLeaves}/${context.valueLeaves}/${epsilon}`
  let mechanism = cache.get(key)
  if (!mechanism) {
    mechanism =
      isPageQuestion(question) || question === 'learn' ? { kind: 'olh', ...olhParams(epsilon) }
      : question === 'pageValue' ? finiteMechanism(PAGE_VALUE_CLASSES.length, epsilon)
      : finiteMechanism(domainSize(question, context), epsilon)
    cache.set(key, mechanism)
  }
  return mechanism
}
