import { OptionsError, ReportError } from '../errors'
import { createCoins, defaultRandom, type Coins } from './mechanisms/coins'
import { krrEncode } from './mechanisms/krr'
import { olhEncode } from './mechanisms/olh'
import { oueEncode } from './mechanisms/oue'
import { checkContext } from './lib/checkContext'
import { isValuePageList } from './lib/isValuePageList'
import { isReportPageKey } from './lib/isReportPageKey'
import { toHex } from './lib/hex'
import { isReportDay } from './lib/isReportDay'
import { isReportEpsilon, toReportEpsilon } from './lib/isReportEpsilon'
import { EMPTY_PAGE_CODE, pageCode, pageKeyHash } from './lib/pageCode'
import { questionMechanism } from './lib/questionMechanism'
import { learnCode } from './learn/learnCode'
import { LEARN_TABLES } from './learn/schema'
import {
  ANSWER_HEX_LENGTH, ARMS, DEFAULT_DAILY_EPSILON, MAX_PAGE_KEY_LENGTH, MAX_REPORT_PAGES, MAX_VALUE_PAGES, ORDER_VALUE_BUCKETS, QUESTIONS,
  LEARN_QUESTION, REPORT_VERSION, isPageQuestion, type FiniteQuestionId, type QuestionSpec,
} from './schema'
import type { RandomSource, ReportBody, ReportContext, ReportTruth } from './types'

/** Options of `encodeReport`. */
export interface EncodeReportOptions {
  /**
   * ε this report spends (the daily budget): 0.1–8, in hundredths.
   * @default DEFAULT_DAILY_EPSILON (2)
   */
  epsilon?: number
  /**
   * UTC day of the reported session, `YYYY-MM-DD`.
   * @default today (UTC)
   */
  day?: string
  /**
   * Source of the privacy coins: a function that fills the `Uint32Array` it is given, like
   * `(a) => crypto.getRandomValues(a)`. Only simulations and tests pass a seeded one. One that is not a function is
   * refused (`OptionsError` naming `random`); one that throws, leaves words unfilled, zero or alike, when coins are
   * drawn (`report_random`).
   * @default crypto.getRandomValues
   */
  random?: RandomSource
  /**
   * Probability that this report answers the training question instead of an insights question (the shop's
   * choice, public; README, "Private training"). Either way the report answers one question at the full ε.
   * @default 0
   */
  learnShare?: number
  /**
   * The page keys the page-value question asks about (`valuePages` of the collector's page-statistics
   * table, the same for every browser of the shop). Each report that draws the page-value question picks one
   * of them uniformly, independently of the truth. Without a list that question is not asked: the draw falls
   * to the other questions in proportion to their weights.
   * @default [] (no page-value answers)
   */
  valuePages?: readonly string[]
}

const ANSWER_BYTES = ANSWER_HEX_LENGTH / 2
const answer = new Uint8Array(ANSWER_BYTES)
// Big-endian writes into `answer`: the collector reads its words the same way.
const answerView = new DataView(answer.buffer)
const olhOut = new Uint32Array(3)
const oueBits = new Uint8Array(ANSWER_BYTES * 8)
const coinsBySource = new WeakMap<RandomSource, Coins>()
let cryptoSource: RandomSource | undefined

function coinsFor(random: RandomSource | undefined): Coins {
  const source = random ?? (cryptoSource ??= defaultRandom())
  if (typeof source !== 'function') throw new OptionsError('random must be a function like (a) => crypto.getRandomValues(a)', 'random')
  let coins = coinsBySource.get(source)
  if (!coins) {
    coins = createCoins(source)
    coinsBySource.set(source, coins)
  }
  return coins
}

function leaf(value: unknown, leaves: number, field: string): number {
  if (value === null) return leaves
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) >= leaves)
    throw new ReportError('report_out_of_range', `${field} must be null or an integer from 0 to ${leaves - 1}`, field)
  return value as number
}

/**
 * Throws a `ReportError` unless `truth` fits `context`: the pack id and leaf counts, the leaves, the order-value
 * bucket, the arm and the training tables the context lists. Checked before any question is drawn, so that a bad
 * truth fails whichever is drawn.
 *
 * @example
 * checkTruth({ segmentLeaf: 9, valueSegment: null, ordered: false, orderValueBucket: 0, arm: 'none', pages: [] }, context) // throws: 4 leaves
 */
export function checkTruth(truth: ReportTruth, context: ReportContext): void {
  checkContext(context.packId, context.segmentLeaves, context.valueLeaves, 'report_out_of_range')
  const listed = context.learnTables
  if (listed && !(listed.length > 0 && listed.every((t) => LEARN_TABLES[t])))
    throw new ReportError('report_out_of_range', 'learnTables must hold training-table indexes', 'learnTables')
  finiteValue('segment', truth, context)
}

/** The true value of a question's domain (the page question is handled apart). */
function finiteValue(question: FiniteQuestionId, truth: ReportTruth, context: ReportContext): number {
  const segment = leaf(truth.segmentLeaf, context.segmentLeaves, 'segmentLeaf')
  const value = leaf(truth.valueSegment, context.valueLeaves, 'valueSegment')
  const bucket = truth.orderValueBucket
  if (truth.ordered && (!Number.isInteger(bucket) || bucket < 0 || bucket >= ORDER_VALUE_BUCKETS.length))
    throw new ReportError('report_out_of_range', `orderValueBucket must be an integer from 0 to ${ORDER_VALUE_BUCKETS.length - 1}`, 'orderValueBucket')
  const arm = ARMS.indexOf(truth.arm)
  if (arm < 0) throw new ReportError('report_out_of_range', `arm must be one of ${ARMS.join(', ')}`, 'arm')
  const ordered = truth.ordered === true
  switch (question) {
    case 'segment':
      return segment
    case 'value':
      return value
    case 'outcome':
      return segment * 2 + (ordered ? 1 : 0)
    case 'order':
      return ordered ? 1 + bucket : 0
    case 'arm':
      return arm * 2 + (ordered ? 1 : 0)
  }
}

/**
 * The page-value answer about `key`: 0 when the session did not view it, 1 when it did with no order after
 * any view of it, 2 when an order followed a view of it.
 */
function pageValueClass(pages: ReportTruth['pages'], key: string): number {
  let found = 0
  for (let i = 0; i < pages.length; i++) {
    if (pages[i].key !== key) continue
    if (pages[i].orderFollowed) return 2
    found = 1
  }
  return found
}

/** The question for a uniform u: the cumulative weights of `questions` scaled to `total`. */
function drawQuestion(questions: readonly QuestionSpec[], u: number, total: number): QuestionSpec {
  let cumulative = 0
  for (const q of questions) {
    cumulative += q.weight / total
    if (u < cumulative) return q
  }
  return questions[questions.length - 1]
}

const WITHOUT_PAGE_VALUE = QUESTIONS.filter((q) => q.id !== 'pageValue')
const WITHOUT_PAGE_VALUE_WEIGHT = WITHOUT_PAGE_VALUE.reduce((s, q) => s + q.weight, 0)

function checkPages(pages: unknown): ReportTruth['pages'] {
  if (!Array.isArray(pages)) throw new ReportError('report_out_of_range', 'pages must be an array', 'pages')
  for (let i = 0; i < pages.length; i++) {
    const page = pages[i] as ReportTruth['pages'][number]
    if (
      !page ||
      !isReportPageKey(page.key) ||
      typeof page.bounced !== 'boolean' ||
      typeof page.exited !== 'boolean' ||
      typeof page.orderFollowed !== 'boolean'
    )
      throw new ReportError('report_out_of_range', `pages[${i}] must have a key of 1–${MAX_PAGE_KEY_LENGTH} characters and boolean bounced, exited, orderFollowed`, `pages[${i}]`)
  }
  return pages
}

/**
 * Turns what the device knows about one closed session into the report body: one question drawn at
 * random (independently of the truth) and answered with its ε-LDP mechanism at the full ε. The body's
 * serialized size depends only on the context and ε. Throws a `ReportError` for a truth outside its
 * domain, `report_random` when the random source is missing, throws or does not fill its array with uniform words
 * (see `createCoins`), and an `OptionsError` for a bad option (a `random` that is not a function among them).
 *
 * @example
 * const body = encodeReport(
 *   { segmentLeaf: 2, valueSegment: null, ordered: false, orderValueBucket: 0, arm: 'none', pages: [] },
 *   { packId: 'session@1.0.0+lifetime@1.0.0', segmentLeaves: 4, valueLeaves: 4 },
 *   { epsilon: 2, day: '2026-11-29' },
 * )
 * await sendReport(href, body) // the one way a report leaves: same-origin fetch, no cookie, no Referer
 */
export function encodeReport(truth: ReportTruth, context: ReportContext, options: EncodeReportOptions = {}): ReportBody {
  const given = options.epsilon ?? DEFAULT_DAILY_EPSILON
  if (!isReportEpsilon(given)) throw new OptionsError('epsilon must be a number from 0.1 to 8 in hundredths', 'epsilon')
  // Exactly its hundredths (0.7 × 3 is 2.0999999999999996): the ε the ledger spends and the collector's sums are of.
  const epsilon = toReportEpsilon(given)
  const day = options.day ?? new Date().toISOString().slice(0, 10)
  if (!isReportDay(day)) throw new OptionsError('day must be a calendar day written YYYY-MM-DD', 'day')
  if (!truth || typeof truth !== 'object') throw new ReportError('report_out_of_range', 'truth must be an object')
  checkTruth(truth, context)
  // The session's last MAX_REPORT_PAGES pages: the page questions draw from these only (a fixed number of slots);
  // the page-value question asks about the whole session.
  const pages = checkPages(truth.pages)
  const kept = pages.slice(-MAX_REPORT_PAGES)
  const learnShare = options.learnShare ?? 0
  if (typeof learnShare !== 'number' || !(learnShare >= 0 && learnShare <= 1)) throw new OptionsError('learnShare must be a number from 0 to 1', 'learnShare')
  const valuePages = options.valuePages ?? []
  if (!isValuePageList(valuePages)) throw new OptionsError(`valuePages must be at most ${MAX_VALUE_PAGES} page keys of 1–${MAX_PAGE_KEY_LENGTH} characters`, 'valuePages')
  const coins = coinsFor(options.random)

  // Drawn first and independently of the truth: which question says nothing about the shopper. Without a
  // published list the page-value question cannot be asked; that depends on the shop's table, not on the
  // shopper, and the collector counts the answers of each question, so its estimates stay unbiased.
  let spec = valuePages.length > 0 ? drawQuestion(QUESTIONS, coins.uniform(), 1) : drawQuestion(WITHOUT_PAGE_VALUE, coins.uniform(), WITHOUT_PAGE_VALUE_WEIGHT)
  if (learnShare > 0 && coins.uniform() < learnShare) spec = LEARN_QUESTION
  answer.fill(0)
  const mechanism = questionMechanism(spec.id, context, epsilon)
  if (spec.id === 'learn') {
    if (mechanism.kind !== 'olh') throw new Error('training question without local hashing')
    // The table is drawn uniformly from the pack's list (the same for every browser of the shop), independently
    // of the truth, so it travels in clear (byte 10).
    const listed = context.learnTables
    const table = listed ? listed[coins.below(listed.length)] : coins.below(LEARN_TABLES.length)
    olhEncode(mechanism, learnCode(truth.learn, truth.ordered === true, table), coins, olhOut)
    writeOlh()
    answer[10] = table
  } else if (spec.id === 'pageValue') {
    if (mechanism.kind !== 'krr') throw new Error('page-value question without randomized response')
    // The asked page is drawn uniformly from the public list, independently of the truth: its hash travels in clear.
    const key = valuePages[coins.below(valuePages.length)]
    const y = krrEncode(mechanism, pageValueClass(pages, key), coins)
    answerView.setUint16(0, y)
    answerView.setUint32(2, pageKeyHash(key))
  } else if (isPageQuestion(spec.id)) {
    let code = EMPTY_PAGE_CODE
    if (spec.id === 'pageView') {
      // One of MAX_REPORT_PAGES slots, uniformly: every page view is reported with the same probability.
      const page = kept[coins.below(MAX_REPORT_PAGES)]
      if (page) code = pageCode(pageKeyHash(page.key), page.orderFollowed)
    } else {
      // The session's last page: every session has one, so exits need no slot sampling. A session that left
      // from a page without a key answers "empty", not the last page it viewed with one.
      const page = kept[kept.length - 1]
      if (page?.exited) code = pageCode(pageKeyHash(page.key), page.bounced)
    }
    if (mechanism.kind !== 'olh') throw new Error('page question without local hashing')
    olhEncode(mechanism, code, coins, olhOut)
    writeOlh()
  } else {
    const x = finiteValue(spec.id as FiniteQuestionId, truth, context)
    if (mechanism.kind === 'krr') {
      const y = krrEncode(mechanism, x, coins)
      answerView.setUint16(0, y)
    } else if (mechanism.kind === 'oue') {
      const bits = oueEncode(mechanism, x, coins, oueBits)
      for (let j = 0; j < mechanism.k; j++) if (bits[j]) answer[j >>> 3] |= 0x80 >>> (j & 7)
    }
  }
  return {
    v: REPORT_VERSION,
    pack: context.packId,
    sl: context.segmentLeaves,
    vl: context.valueLeaves,
    day,
    eps: epsilon,
    q: spec.code,
    a: toHex(answer),
  }
}

/** A local-hashing answer: the hash's two 32-bit coefficients (bytes 0–7), then the 16-bit value (bytes 8–9). */
function writeOlh(): void {
  answerView.setUint32(0, olhOut[0])
  answerView.setUint32(4, olhOut[1])
  answerView.setUint16(8, olhOut[2])
}
