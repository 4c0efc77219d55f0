import type { LearnTruth } from './learn/types'
/**
 * Types of the private report: what the device knows about one closed session (never sent), the public
 * context both sides know, the body that is sent, and the body as the collector reads it.
 */

/** One page of the reported session, by the page key the shop declares (never a URL). */
export interface ReportPage {
  /** The shop's page key (`<meta name="seglet:page-key" content="product/mug">`), 1–100 characters. */
  key: string
  /** The session had this one page only (a bounce implies an exit). */
  bounced: boolean
  /** This was the last page of the session. */
  exited: boolean
  /** An order was placed later in the same session. */
  orderFollowed: boolean
}

/** What the device knows, in the clear, about one previous, closed session. Never leaves the device. */
export interface ReportTruth {
  /** Index of the session segment leaf in the pack's leaf list, or null (no decision / cold start). */
  segmentLeaf: number | null
  /** Index of the lifetime value-segment leaf, or null. */
  valueSegment: number | null
  /** The session ended in an order. */
  ordered: boolean
  /** Index into ORDER_VALUE_BUCKETS of the order value; ignored (use 0) when there was no order. */
  orderValueBucket: number
  /** Personalisation arm: 'holdout' (hooks did not fire), 'treatment', or 'none' (no holdout configured). */
  arm: ReportArm
  /**
   * Pages of that session in order. The page-value question asks about all of them; the page questions draw from
   * the last MAX_REPORT_PAGES (they hold the exit and the pages just before an order).
   */
  pages: ReportPage[]
  /** What the training question reads (the pack's intent logits and the session vector); absent, it answers "nothing". */
  learn?: LearnTruth | null
}

/** Personalisation arm of a session. */
export type ReportArm = 'treatment' | 'holdout' | 'none'

/** Context both sides know: not private (the same for every browser of the shop). */
export interface ReportContext {
  /** The pack ids/versions the leaf indexes refer to, e.g. `session@1.0.0+lifetime@1.0.0`. */
  packId: string
  /** Number of session segment leaves (1–MAX_LEAVES). */
  segmentLeaves: number
  /** Number of value-segment leaves (1–MAX_LEAVES). */
  valueLeaves: number
  /**
   * The training tables the session pack lists (its `learnTables`), as indexes in `LEARN_TABLES`: a training
   * answer picks one of them uniformly. Not sent; the table drawn travels in the answer.
   * @default undefined (every table)
   */
  learnTables?: readonly number[]
}

/** The question a report answers; one per report, drawn independently of the truth. */
export type QuestionId = 'segment' | 'value' | 'outcome' | 'order' | 'arm' | 'pageView' | 'pageExit' | 'pageValue' | 'learn'

/** Short code of a question in the body (all codes have the same length). */
export type QuestionCode = 'seg' | 'val' | 'out' | 'ord' | 'arm' | 'pgv' | 'pgx' | 'pvl' | 'lrn'

/**
 * A source of uniform random 32-bit words, filling the array it is given and returning it
 * (the shape of `crypto.getRandomValues`).
 */
export type RandomSource = (array: Uint32Array) => Uint32Array

/**
 * The body sent to the collector, as JSON. Its serialized length depends only on the context and ε,
 * never on the truth. No identifier, no URL, no time finer than the day.
 */
export interface ReportBody {
  /** Report format version (REPORT_VERSION). */
  v: number
  /** `ReportContext.packId`. */
  pack: string
  /** Number of session segment leaves. */
  sl: number
  /** Number of value-segment leaves. */
  vl: number
  /** UTC day of the reported session, `YYYY-MM-DD`. */
  day: string
  /** ε spent on this report (the whole daily budget). */
  eps: number
  /** The question answered. */
  q: QuestionCode
  /** The ε-LDP answer, ANSWER_HEX_LENGTH lowercase hex characters. */
  a: string
}

/** A k-ary randomized-response answer: one index in the question's domain. */
export interface KrrAnswer {
  kind: 'krr'
  /** Reported index, 0 ≤ value < domain size. */
  value: number
  /**
   * Page-value question only: the 28-bit key hash of the page asked about (drawn from the shop's published
   * list independently of the truth, so it travels in clear).
   */
  page?: number
}

/** An optimized-unary-encoding answer: one perturbed bit per domain value. */
export interface OueAnswer {
  kind: 'oue'
  /** Bit j (0/1) for each domain value j. */
  bits: Uint8Array
}

/** An optimized-local-hashing answer: the public hash (a, b) and the perturbed hash value. */
export interface OlhAnswer {
  kind: 'olh'
  /** Hash multiplier, 1 ≤ a < OLH_PRIME. */
  a: number
  /** Hash offset, 0 ≤ b < OLH_PRIME. */
  b: number
  /** Perturbed hash value, 0 ≤ value < g. */
  value: number
  /** The training table answered (training question only; drawn independently of the truth). */
  table?: number
}

/** Any decoded answer. */
export type ReportAnswer = KrrAnswer | OueAnswer | OlhAnswer

/** A report body that passed `parseReport`: every field checked and bounded. */
export interface ParsedReport {
  version: number
  packId: string
  segmentLeaves: number
  valueLeaves: number
  day: string
  epsilon: number
  question: QuestionId
  answer: ReportAnswer
}
