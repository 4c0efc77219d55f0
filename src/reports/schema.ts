import type { QuestionCode, QuestionId, ReportContext } from './types'

/**
 * Version of the report body format. Version 2 added the page-value question (`pvl`); a version-1 body
 * answers one of the other questions in the same encoding, so the collector still reads it.
 */
export const REPORT_VERSION = 2

/** Body versions the collector reads (README, "What is sent"); any other is refused with `report_version`. */
export const READ_REPORT_VERSIONS: readonly number[] = [1, 2]

/** ε spent by one report when the shop configures nothing (one report per browser per day). */
export const DEFAULT_DAILY_EPSILON = 2

/**
 * Oldest session a report may describe, in days before the UTC day it is sent: the collector refuses older days
 * (`report_day`), so the browser does not spend its budget on them.
 */
export const MAX_REPORT_AGE_DAYS = 7

/** Smallest and largest ε a report may carry. */
export const MIN_REPORT_EPSILON = 0.1
export const MAX_REPORT_EPSILON = 8

/** Most pages of one session the page questions draw from (the session's last ones; the page-value question asks about all). */
export const MAX_REPORT_PAGES = 12

/** Most leaves a segment tree may have for reports (keeps every answer within ANSWER_HEX_LENGTH). */
export const MAX_LEAVES = 16

/** Longest page key, in characters. */
export const MAX_PAGE_KEY_LENGTH = 100

/** Longest pack id, in characters. */
export const MAX_PACK_ID_LENGTH = 64

/** Every answer is this many hex characters (128 bits), whatever the question. */
export const ANSWER_HEX_LENGTH = 32

/** Largest accepted body, in bytes (the collector refuses bigger ones before parsing). */
export const MAX_REPORT_BYTES = 512

/**
 * Coarse order-value buckets in the shop's currency: `[from, to)`, and the value that stands for the
 * bucket in revenue estimates (its middle; the last one's is a round figure above its lower bound).
 */
export const ORDER_VALUE_BUCKETS: readonly { from: number; to: number; value: number }[] = [
  { from: 0, to: 25, value: 12.5 },
  { from: 25, to: 50, value: 37.5 },
  { from: 50, to: 100, value: 75 },
  { from: 100, to: 250, value: 175 },
  { from: 250, to: 500, value: 375 },
  { from: 500, to: Infinity, value: 750 },
]

/** Index into ORDER_VALUE_BUCKETS of an order value. */
export function orderValueBucket(value: number): number {
  for (let i = 0; i < ORDER_VALUE_BUCKETS.length; i++) if (value < ORDER_VALUE_BUCKETS[i].to) return i
  return ORDER_VALUE_BUCKETS.length - 1
}

/** The two page questions, answered over the open domain of page keys (local hashing). */
export const PAGE_QUESTIONS = ['pageView', 'pageExit'] as const
export type PageQuestionId = (typeof PAGE_QUESTIONS)[number]

/** Each page answer is a page key with one bit: order followed (pageView) or bounced (pageExit). */
export const PAGE_CLASS_COUNT = 2

/**
 * Answers of the page-value question about its asked page: not viewed in the session, viewed with no order
 * after it, viewed with an order after it.
 */
export const PAGE_VALUE_CLASSES = ['notViewed', 'viewed', 'viewedThenOrdered'] as const

/** Most page keys the page-value question may draw from (the `valuePages` of the page-statistics table). */
export const MAX_VALUE_PAGES = 256

/** One question of the report: its id, its code in the body and how often it is drawn. */
export interface QuestionSpec {
  id: QuestionId
  code: QuestionCode
  /** Probability that a report answers this question (public; the weights sum to 1). */
  weight: number
}

/**
 * The questions, one drawn per report independently of the truth, answered at the report's full ε.
 * Weights follow the variance each estimate needs (README, "Private reports"): page statistics need the
 * most reports, segment shares come next.
 */
export const QUESTIONS: readonly QuestionSpec[] = [
  { id: 'segment', code: 'seg', weight: 0.2 },
  { id: 'value', code: 'val', weight: 0.03 },
  { id: 'outcome', code: 'out', weight: 0.04 },
  { id: 'order', code: 'ord', weight: 0.07 },
  { id: 'arm', code: 'arm', weight: 0.04 },
  { id: 'pageView', code: 'pgv', weight: 0.12 },
  { id: 'pageExit', code: 'pgx', weight: 0.05 },
  { id: 'pageValue', code: 'pvl', weight: 0.45 },
]

/**
 * The training question (README, "Private training"): asked instead of the drawn question with the shop's
 * `learnShare` probability (0 unless the shop turns training on), so the insights questions keep their weights.
 */
export const LEARN_QUESTION: QuestionSpec = { id: 'learn', code: 'lrn', weight: 0 }

/** Every question a body may answer. */
export const ALL_QUESTIONS: readonly QuestionSpec[] = [...QUESTIONS, LEARN_QUESTION]

/**
 * What each question's answer holds, in plain words, for the transparency panel and the README. Apart from the
 * questions, so the report part, which never shows them, does not carry them.
 */
export const QUESTION_DESCRIPTIONS: ReadonlyMap<string, string> = new Map<QuestionId, string>([
  ['segment', 'the session segment'],
  ['value', 'the value segment'],
  ['outcome', 'the session segment with whether the session ended in an order'],
  ['order', 'whether the session ended in an order, and its value range'],
  ['arm', 'whether personalisation was on or held out, with whether the session ended in an order'],
  ['pageView', 'one page of the session by its page key, with whether an order followed it'],
  ['pageExit', 'the last page of the session by its page key, with whether it was the only page'],
  ['pageValue', "whether the session viewed one page picked at random from the shop's published list, and whether an order followed it"],
  ['learn', 'a range of the intent score the model gave the session, with one feature of it in a range and whether it ended in an order'],
])

/** The arms in the order of the arm question's domain. */
export const ARMS = ['treatment', 'holdout', 'none'] as const

/**
 * Domain size of a finite question (the page questions' domain is open: page keys are hashed).
 * Segment indexes run 0..leaves-1 and `leaves` stands for "no segment"; outcome is segment × 2 + ordered;
 * order is 0 for no order, else 1 + the value bucket; arm is arm × 2 + ordered.
 */
export function domainSize(question: FiniteQuestionId, context: Pick<ReportContext, 'segmentLeaves' | 'valueLeaves'>): number {
  switch (question) {
    case 'segment':
      return context.segmentLeaves + 1
    case 'value':
      return context.valueLeaves + 1
    case 'outcome':
      return (context.segmentLeaves + 1) * 2
    case 'order':
      return ORDER_VALUE_BUCKETS.length + 1
    case 'arm':
      return ARMS.length * 2
  }
}

/** The questions with a finite domain (randomized response or unary encoding) about the session as a whole. */
export type FiniteQuestionId = Exclude<QuestionId, PageQuestionId | 'learn' | 'pageValue'>

/** True for the two page questions. */
export function isPageQuestion(question: QuestionId): question is PageQuestionId {
  return question === 'pageView' || question === 'pageExit'
}
