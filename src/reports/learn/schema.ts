/**
 * The training question of the private reports: what a device answers so that the collector can refit the
 * intent model without seeing a session. One answer is one cell of one small table — (bucket of the current
 * pack's intent score × bucket of one session feature × ordered) — perturbed by optimized local hashing at
 * the report's full ε. Which table is drawn uniformly and independently of the truth, so it is sent in clear.
 */

import type { LearnSession } from './types'

/** One feature of the training tables: how it is read from the raw session vector and into how many buckets. */
export interface LearnFeature {
  /** Name in the session feature spec (or `month`). */
  name: string
  /** Number of buckets. */
  buckets: number
  /** Bucket of a session. */
  bucket: (session: LearnSession) => number
}

function byEdges(field: 'productPages' | 'administrativeSeconds', edges: readonly number[]): (session: LearnSession) => number {
  return (session) => {
    const v = session[field]
    let b = 0
    while (b < edges.length && v >= edges[b]) b++
    return b
  }
}

// Five ranges: each holds enough sessions to stand out of the answers' noise (README, "Private training").
const PRODUCT_PAGE_EDGES = [4, 12, 30, 70]

/**
 * The features of the training tables. Few on purpose: every table a device may draw divides the reports
 * among more tables, and the refit gains most from the features whose relation to purchase drifts most
 * (README, "Private training").
 */
export const LEARN_FEATURES: readonly LearnFeature[] = [
  { name: 'product_pages', buckets: PRODUCT_PAGE_EDGES.length + 1, bucket: byEdges('productPages', PRODUCT_PAGE_EDGES) },
  {
    name: 'month', buckets: 12,
    bucket: (session) => (Number.isInteger(session.month) && session.month >= 0 && session.month < 12 ? session.month : 0),
  },
  // The funnel, as two tables of their own: each is fitted against the score alone, so "items in the cart"
  // says what adding to the cart tells about an order before checkout is known (a joint table would learn
  // that a cart left without checkout never orders, and adding to the cart would lower the intent).
  {
    name: 'products_added', buckets: 3,
    bucket: (session) => Math.min(2, Math.max(0, Math.floor(Number(session.productsAdded) || 0))),
  },
  { name: 'checkout_reached', buckets: 2, bucket: (session) => (session.checkoutReached === true ? 1 : 0) },
]

/**
 * Edges of the intent-score buckets, on the logit of the current pack's intent probability, for the two
 * views: with page statistics (scores spread wide) and without (scores crowd near the base rate).
 */
export const SCORE_EDGES = {
  withStats: [-5, -4, -3, -2, -1, 0, 1],
  withoutStats: [-2, -1.4, -1, -0.7, -0.4, 0, 0.5],
} as const

/** Number of score buckets of either view. */
export const SCORE_BUCKETS = SCORE_EDGES.withStats.length + 1

/** The views a table is conditioned on: the score with page statistics, or without. */
export const LEARN_VIEWS = ['withStats', 'withoutStats'] as const
export type LearnView = (typeof LEARN_VIEWS)[number]

/** One table of the training question: a view and a feature. Table t is view ⌊t / F⌋, feature t mod F. */
export interface LearnTable {
  /** `view.feature` (`withStats.product_pages`): how a pack's `learnTables` names it. */
  id: string
  view: LearnView
  feature: LearnFeature
  /** Cells: score bucket × feature bucket × ordered. */
  cells: number
}

/** Every table, in index order. */
export const LEARN_TABLES: readonly LearnTable[] = LEARN_VIEWS.flatMap((view) =>
  LEARN_FEATURES.map((feature) => ({ id: `${view}.${feature.name}`, view, feature, cells: SCORE_BUCKETS * feature.buckets * 2 })),
)

/** Bucket of an intent logit in a view. */
export function scoreBucket(logit: number, view: LearnView): number {
  const edges = SCORE_EDGES[view]
  let b = 0
  while (b < edges.length && logit >= edges[b]) b++
  return b
}

/** Cell index of (score bucket, feature bucket, ordered) in a table. */
export function learnCell(table: LearnTable, score: number, featureBucket: number, ordered: boolean): number {
  return (score * table.feature.buckets + featureBucket) * 2 + (ordered ? 1 : 0)
}
