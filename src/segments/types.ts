import type { SegmentTreeNode } from '../pack/types'
import type { ReportArm } from '../reports/types'

/**
 * One feature that moved a decision, in plain words.
 *
 * @example
 * { feature: 'product_pages', value: 8, delta: 0.21, text: '8 shopping pages viewed' }
 */
export interface Explanation {
  /**
   * Feature name as in the pack's feature spec (`product_pages`). The season, which a pack reads as the month on a
   * circle and one-hot, is one line under the one-hot name of the session's month (`month_nov`, value 1), and the
   * time of day one under the larger of `hour_sin` and `hour_cos`; a session without the shop's page statistics
   * has one line for them all, `has_stats` (value 0).
   */
  feature: string
  /** The raw (untransformed, unnormalised) value of the feature. */
  value: number
  /**
   * How much the feature raised (positive) or lowered (negative) the explained probability, in
   * log-odds (`ln(p / (1 - p))`): a very confident decision still shows what it rests on.
   */
  delta: number
  /** Plain-words description ("8 shopping pages viewed"). */
  text: string
}

/**
 * Where the shopper is in the purchase funnel in this session: facts counted from events, not predictions.
 * Rules can read them directly (`segment.funnel?.checkoutReached`), whatever the model has learned.
 */
export interface FunnelFacts {
  /** An item was added to the cart or a cart page was shown. */
  cartReached: boolean
  /** Checkout began (event or checkout page) or an order was placed. */
  checkoutReached: boolean
  /** Items added to the cart (sum of `add_to_cart` quantities). */
  productsAdded: number
  /** Value put into the cart: priced items added minus removed, never below 0. */
  cartValue: number
  /**
   * The intent probability reads these facts: the session pack was trained on sessions with cart and
   * checkout events (a shop's own data). The pack trained on public data cannot, since that data has no
   * cart events; then intent is estimated from browsing alone.
   */
  inIntent: boolean
}

/** The shopper's value segment from the lifetime pack. */
export interface ValueSegment {
  /** Leaf segment id of the lifetime tree (kebab-case). */
  id: string
  /** Human name of the leaf. */
  name: string
  /** Ids from the root's child down to the leaf. */
  path: string[]
  /** Human names along `path`, same length. */
  pathNames: string[]
  /** Probability of this segment in the lifetime head, 0–1. */
  confidence: number
}

/**
 * Where the shopper is placed, handed to the page by `onSegment()` and the `seglet:segment` event.
 *
 * @example
 * {
 *   id: 'account-engaged-browser', name: 'Account engaged browser',
 *   path: ['engaged', 'account-engaged-browser'], pathNames: ['Engaged', 'Account engaged browser'],
 *   confidence: 0.72, intent: 0.81, intentThreshold: 0.5, coldStart: false,
 *   decidedAt: 1718000000000, reasons: [{ feature: 'product_pages', value: 8, delta: 0.2, text: '8 shopping pages viewed' }],
 * }
 */
export interface Segment {
  /** Leaf segment id (kebab-case), used in CSS classes and `data-seglet-show`. */
  id: string
  /** Human name of the leaf ("High-intent browser"). */
  name: string
  /** One-line description from the segment tree, when the pack has one. */
  description?: string
  /** Ids from the root's child down to the leaf (`['engaged', 'account-engaged-browser']`). */
  path: string[]
  /** Human names along `path`, same length. */
  pathNames: string[]
  /** Probability of this segment in the session head, 0–1 (0 for the cold-start default). */
  confidence: number
  /**
   * Purchase-intent probability, 0–1: the session pack's estimate from the features it reads. A dimension
   * of its own, next to the segment (which describes behaviour).
   */
  intent: number
  /**
   * Intent at or above this counts as high intent (chosen on the training split). 1 when the pack counts no
   * session as high intent: intent is always below 1.
   */
  intentThreshold: number
  /** Funnel facts of this session (cart, checkout), when the model part decided. */
  funnel?: FunnelFacts
  /** Value segment from the lifetime pack, when it ran. */
  valueSegment?: ValueSegment
  /** Probability of a repeat purchase from the lifetime pack, 0–1, when it ran. */
  repeatProbability?: number
  /** True when the default segment was used for lack of evidence. */
  coldStart: boolean
  /** Time (ms since epoch) of the decision that produced this object. */
  decidedAt: number
  /**
   * True on the segment of an earlier visit, applied from storage as soon as it is read, before the model
   * part has re-decided on this page. The next decision replaces it; a page that cannot use its model pack (a
   * `pack_integrity` error, say) makes none, and keeps it. It has no `reasons`: explanations are not stored.
   */
  restored?: boolean
  /**
   * On a restored segment: when its stored copy stops being restored (ms since epoch), `storage.retentionDays` after
   * a page last wrote it. The decider writes an unchanged segment again once a day, so a shopper who keeps coming back
   * keeps it; after a longer absence the events it was decided from are gone, and it goes too.
   */
  expiresAt?: number
  /**
   * Why the shopper is in this segment, in plain words: the features that pulled the decision toward it
   * (positive `delta`), biggest first, down to the third that counts something the shopper did (a feature at
   * zero, "no time on account pages", is listed where it ranks). A feature that counts against the segment is
   * not a reason for it; the season is one line ("visiting in November") when it pulled that way as a whole. For
   * the cold-start default, what moved the intent either way. See `explain()`.
   */
  reasons: Explanation[]
  /**
   * The personalisation arm of this browser (`personalize.holdout`): in `'holdout'` the segment is decided
   * but the page is not personalised. Set on every segment the model part decides and on a restored one; the
   * cold-start default the core applies before the model part loads (only ever without a holdout) has none.
   */
  arm?: ReportArm
  /**
   * With a holdout, the share (`personalize.holdout`) this segment's arm was drawn at. A returning shopper's stored
   * segment of another share (the shop raised or lowered it since) is not shown: its arm may not be the browser's now.
   */
  holdout?: number
}

/** How much the shopper has done, to tell a real decision from a cold start. */
export interface Evidence {
  /** Page views in the current session. */
  pageViews: number
  /** Events of any kind in the current session. */
  events: number
  /** Purchases in the stored history. */
  purchases: number
}

/**
 * Everything one decision needs: plain model outputs, no runtime objects.
 *
 * @example
 * engine.decide({
 *   sessionHead: out.segment, sessionLabels: head.labels, sessionTree: head.tree,
 *   intent: out.intent[0], intentThreshold: intentHead.threshold,
 *   evidence: { pageViews: 5, events: 12, purchases: 0 }, explanation: [], now: Date.now(),
 * })
 */
export interface DecisionInput {
  /** Softmax probabilities of the session segment head, in `sessionLabels` order. */
  sessionHead: ArrayLike<number>
  /** Leaf ids of the session head, in output order. */
  sessionLabels: readonly string[]
  /** The session pack's segment tree. */
  sessionTree: SegmentTreeNode
  /**
   * Purchase-intent probability, 0–1: the session pack's estimate from the features it reads. A dimension
   * of its own, next to the segment (which describes behaviour).
   */
  intent: number
  /** Threshold of the intent head. */
  intentThreshold: number
  /** Softmax probabilities of the lifetime value-segment head, when the lifetime pack ran. */
  lifetimeHead?: ArrayLike<number>
  /** Leaf ids of the lifetime head. */
  lifetimeLabels?: readonly string[]
  /** The lifetime pack's segment tree. */
  lifetimeTree?: SegmentTreeNode
  /** Repeat-purchase probability from the lifetime pack, 0–1. */
  repeat?: number
  evidence: Evidence
  /** The explanation of this decision (see `computeContributions` and `explainFeatures`). */
  explanation: Explanation[]
  /** Current time in ms since epoch. */
  now: number
}

/** What `decide()` returns. */
export interface SegmentDecision {
  /** The segment after this decision (fresh object every time). */
  segment: Segment
  /**
   * True when the segment id, the value-segment id or the cold-start flag differs from the previous
   * decision (or the restored segment). Intent and confidence updates alone do not count.
   */
  changed: boolean
}

/** Segment decisions, `createSeglet({ segments })`: hysteresis and the cold start. */
export interface SegmentOptions {
  /**
   * A challenger replaces the current segment only when its probability exceeds the current
   * segment's probability by more than this.
   * @default DEFAULT_SWITCH_MARGIN (0.15)
   */
  switchMargin?: number
  /**
   * ...for this many consecutive decisions (1 = switch at once once the margin is exceeded).
   * @default DEFAULT_SWITCH_AFTER (2)
   */
  switchAfter?: number
  /**
   * Page views in the session before the first real decision; a shopper with a stored purchase
   * is decided at once.
   * @default DEFAULT_MIN_PAGE_VIEWS (2)
   */
  minPageViews?: number
  /**
   * Segment used for lack of evidence. Looked up in the session tree (any node, leaf or branch);
   * when the tree has no such node a top-level segment with this id is made up.
   * @default DEFAULT_SEGMENT_ID ('new-visitor')
   */
  defaultSegmentId?: string
  /**
   * Name of the default segment when the tree has no node with `defaultSegmentId`.
   * @default DEFAULT_SEGMENT_NAME ('New visitor')
   */
  defaultSegmentName?: string
}

/** A stateful decider; keeps the current segment for hysteresis. */
export interface SegmentEngine {
  /** Decide the segment for new model outputs. Throws a `SegletError` (`model_failed`) on malformed outputs. */
  decide(input: DecisionInput): SegmentDecision
  /**
   * Seed the current segment, e.g. from stored state after a reload, so hysteresis holds across
   * page loads. Ignores (returns false) anything that is not a valid segment; `null` clears.
   */
  restore(segment: unknown): boolean
  /** Forget the current segment and the hysteresis state (after `forget()`). Same as `restore(null)`. */
  reset(): void
  /** The current segment, or null before any decision. */
  getSegment(): Segment | null
  /**
   * True when no challenger is on a streak: deciding again from the same outputs would change nothing, so
   * a caller may skip a decision whose inputs did not change.
   */
  isSettled(): boolean
}

/** One feature's contribution to a decision, from `computeContributions()`. */
export interface Contribution {
  /** Feature name (`product_pages`). */
  name: string
  /** Raw value of the feature. */
  raw: number
  /** Target with the feature minus target with the feature occluded, on the chosen `scale`. */
  delta: number
  /** Its words, where the group it stands for gave them (a group's `says`), in place of the feature's own. */
  says?: string
}

/**
 * What a predictor returns for one normalised input vector: the session segment head's probabilities or,
 * better, its logits (before the softmax), which keep a certain segment's log-odds exact where its float32
 * probability rounds to 1.
 */
export type PredictionForExplain = ({ segmentProbs: ArrayLike<number> } | { segmentLogits: ArrayLike<number> }) & {
  /** Purchase-intent probability. */
  intent: number
}

/**
 * Features that say one thing together (the month as a point on the circle and one-hot: the season), for
 * `computeContributions()` to occlude as one and give as one contribution.
 *
 * @example
 * { name: 'month_nov', raw: 1, members: ['month_sin', 'month_cos', 'month_jan', …, 'month_dec'] }
 */
export interface ContributionGroup {
  /** The name the group's contribution is given under (`month_nov`: its words name the month). */
  name: string
  /** The raw value given with it. */
  raw: number
  /** The features it stands for; those the pack does not read are left out. */
  members: readonly string[]
  /**
   * Its words, when the name's feature cannot say them from the raw value alone ("close to Mother's Day").
   * @default the words of `name` for `raw`
   */
  says?: string
}

/** Input of `computeContributions()`. */
export interface ContributionInput {
  /** Feature names in input order. */
  names: readonly string[]
  /** The normalised input vector the network saw. */
  normalised: ArrayLike<number>
  /** Raw feature values in the same order (for the wording). */
  raw: ArrayLike<number>
  /**
   * Runs the network on a vector. Called once for the baseline and once per non-zero feature, with
   * one reused buffer: copy it if you keep it.
   */
  predict?: (vector: Float32Array) => PredictionForExplain
  /**
   * Runs the network on `rows` vectors laid out one after another, in one call: much cheaper than
   * `predict` per feature. Used instead of `predict` when given.
   */
  predictMany?: (vectors: Float32Array, rows: number) => PredictionForExplain[]
  /** What to explain: an index into `segmentProbs` (the decided segment) or `'intent'`. */
  target: number | 'intent'
  /**
   * How many contributions to return.
   * @default DEFAULT_TOP_FEATURES (3)
   */
  top?: number
  /**
   * Contributions smaller than this (absolute, on `scale`) are dropped.
   * @default DEFAULT_MIN_CONTRIBUTION (0.01)
   */
  minDelta?: number
  /**
   * Scale of `delta`: the probability itself, or its log-odds. A probability close to 0 or 1 barely
   * moves when one feature is occluded, while its log-odds still does: use `'log-odds'` to explain a
   * confident network.
   * @default 'probability'
   */
  scale?: 'probability' | 'log-odds'
  /**
   * Value that stands for "feature absent"; 0 is the training mean after normalisation.
   * @default 0
   */
  baseline?: number
  /**
   * Features that say one thing together: each group is occluded as one, in one row, and given as one
   * contribution in place of its members' (the season pulls as a whole; one of its columns alone does not name
   * the month).
   * @default none
   */
  groups?: readonly ContributionGroup[]
}

/** Options of `explainFeatures()`. */
export interface ExplainOptions {
  /**
   * Your own wording (e.g. another language). Return undefined to fall back to the built-in text.
   * @default undefined
   */
  describe?: (name: string, value: number) => string | undefined
}
