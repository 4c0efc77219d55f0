import type { SegletError } from '../errors'
import type { StoredEvent } from '../events/types'
import { correctedIntent } from '../model/correctedIntent'
import { correctionReads, correctionReason } from '../model/correctionReason'
import type { FeatureOptions, Features } from '../features'
import { applyFeatureSpec, computeFeatures, expectedFeatures, LIFETIME_FEATURE_NAMES, SESSION_FEATURE_NAMES, selectFeatures, sessionVector } from '../features'
import { LEARN_FEATURES } from '../reports/learn/schema'
import type { LearnTruth } from '../reports/learn/types'
import { EXPECTED_SPECS } from '../pack/expectedSpecs'
import type { LoadedPack, ModelRuntime, PackCache, ProbabilityHead, SegmentHead } from '../model'
import type { Explanation, SegmentDecision, SegmentEngine } from '../segments'
import { computeContributions, DEFAULT_MIN_LOG_ODDS_CONTRIBUTION, explainFeatures } from '../segments'
import { sessionFeatureGroups } from '../features/sessionFeatureGroups'
import { chooseReasons } from './chooseReasons'
import type { ModelOptions } from './createSeglet'

/**
 * Largest change of any normalised model input (in standard deviations of the training data) that does not
 * re-run the networks: a write whose events move no input by more than this (a `remove_from_cart`, a second
 * `add_to_cart`, a few more milliseconds of visible time) leaves the segment as it is.
 */
export const DECISION_TOLERANCE = 1e-3

/**
 * Largest change of a time-on-page input (the `*_seconds` session features), in standard deviations, that
 * does not re-run the networks. Every write carries the page's visible time so far, so with
 * `DECISION_TOLERANCE` alone any event (an `add_to_cart`, a search) would re-run them for the seconds spent
 * since the last decision. 0.05 standard deviations is about a tenth more time on product pages (6 s after a
 * minute): the time is decided on at the first write after it has grown that much.
 */
export const TIME_DECISION_TOLERANCE = 0.05

/**
 * The tolerance of one named model input: `TIME_DECISION_TOLERANCE` for time on pages, else
 * `DECISION_TOLERANCE`.
 * @example decisionTolerance('product_seconds') // 0.05
 */
export function decisionTolerance(name: string): number {
  return name.includes('_seconds') ? TIME_DECISION_TOLERANCE : DECISION_TOLERANCE
}

/** The network inputs of a decision and the evidence behind it, to tell whether the next one can change anything. */
export interface DecisionInputs {
  session: Float32Array
  lifetime?: Float32Array
  pageViews: number
  orders: number
  /**
   * The session's buckets in the tables of the pack's intent correction (empty without one): the correction
   * reads facts the network may not (items in the cart, checkout), and a change of them is a new intent.
   */
  corrected: string
}

/** What one decision needs. */
export interface DecideSegmentInput {
  /** The stored events to decide from (unless `features` are given). */
  events?: readonly StoredEvent[]
  /** The features of `events` when the caller keeps them up to date itself (`createFeatureFold()`). */
  features?: Features
  /**
   * The inputs of the previous decision: when no input moved by more than `DECISION_TOLERANCE`, the evidence
   * is the same and no challenger is on a streak, the networks are not run and `null` is returned.
   */
  unchangedFrom?: DecisionInputs
  now: number
  runtime: ModelRuntime
  engine: SegmentEngine
  model: ModelOptions
  featureOptions?: FeatureOptions
  cache?: PackCache
  /** Where a failed check of the shop's signed packs is reported. */
  report?: (error: SegletError) => void
  /**
   * Resolves in a later task (the decider gives `yieldToPage`): awaited before the session network runs and
   * after it, so a page's first inference, which compiles the runtime's kernels, is a task of its own.
   */
  pause?: () => Promise<void>
}

/** The decision plus what `explain()` needs to explain it later. */
export interface DecisionResult extends SegmentDecision {
  features: Features
  /** What the next decision compares with (see `unchangedFrom`). */
  inputs: DecisionInputs
  /**
   * Computes the explanation of this decision (one batched inference over the occluded inputs): see
   * `chooseReasons()` for which lines it gives.
   */
  explain: () => Explanation[]
  /** The network's intent logits with and without page statistics and the session's values (training question). */
  learn: () => LearnTruth
}


const headsOf = (loaded: LoadedPack) => {
  let segment: [string, SegmentHead] | undefined
  let probability: [string, ProbabilityHead] | undefined
  for (const [name, head] of Object.entries(loaded.pack.heads)) {
    if (head.kind === 'segment') segment ??= [name, head]
    else probability ??= [name, head]
  }
  return { segment, probability }
}

/** What `loadPacks()` needs. */
export interface LoadPacksInput {
  runtime: ModelRuntime
  model: ModelOptions
  cache?: PackCache
  /** Where a failed check of the shop's signed packs is reported (`model.packKey`). */
  report?: (error: SegletError) => void
  /**
   * Awaited between the two packs, and inside a pack's first load between reading and building it (see
   * `GetPackOptions.pause`), so no one task does it all.
   */
  pause?: () => Promise<void>
}

/**
 * Loads (once; the runtime memoises) the session and lifetime packs: the shop's own when configured, else
 * the shipped ones, each checked against the SDK's feature spec.
 */
export async function loadPacks({ runtime, model, cache, report = () => {}, pause }: LoadPacksInput): Promise<[LoadedPack, LoadedPack]> {
  // The shop's signed packs come first when it pins a key; the hash-pinned or shipped ones otherwise.
  const signed = model.packKey !== undefined && cache ? { packKey: model.packKey, manifestUrl: model.packManifestUrl, expected: EXPECTED_SPECS, cache, report } : undefined
  const session = await runtime.getPack('session', { url: model.sessionPackUrl, integrity: model.sessionPackIntegrity, expected: EXPECTED_SPECS.session, cache, signed, pause })
  await pause?.()
  const lifetime = await runtime.getPack('lifetime', { url: model.lifetimePackUrl, integrity: model.lifetimePackIntegrity, expected: EXPECTED_SPECS.lifetime, cache, signed, pause })
  return [session, lifetime]
}

/**
 * From stored events to a segment: the one feature definition, both packs, the segment engine.
 * Returns `null` when there is nothing to decide from (no events at all), or nothing changed since
 * `unchangedFrom`.
 */
export async function decideSegment(input: DecideSegmentInput): Promise<DecisionResult | null> {
  const { events, now, runtime, engine, model } = input
  if (!input.features && !events?.length) return null
  // Loaded already, as a rule (the decider loads them first): no pause between the two.
  const [sessionPack, lifetimePack] = await loadPacks({ ...input, pause: undefined })
  const features = input.features ?? computeFeatures(events!, now, input.featureOptions)
  const sessionHeads = headsOf(sessionPack)
  const lifetimeHeads = headsOf(lifetimePack)
  if (!sessionHeads.segment || !sessionHeads.probability) return null

  const s = features.session
  // Each pack reads the features it names, in its own order.
  const sessionSpec = sessionPack.pack.featureSpec
  const sessionRaw = selectFeatures(features.sessionRaw, SESSION_FEATURE_NAMES, sessionSpec.names)
  const sessionInput = applyFeatureSpec(sessionRaw, sessionSpec)
  const hasHistory = features.lifetime.orders > 0
  const lifetimeSpec = lifetimePack.pack.featureSpec
  const lifetimeInput = hasHistory ? applyFeatureSpec(selectFeatures(features.lifetimeRaw, LIFETIME_FEATURE_NAMES, lifetimeSpec.names), lifetimeSpec) : undefined
  const corrected = sessionPack.pack.intentCorrection ? LEARN_FEATURES.map((f) => f.bucket(s)).join() : ''
  const inputs: DecisionInputs = { session: sessionInput, lifetime: lifetimeInput, pageViews: s.pageViews, orders: features.lifetime.orders, corrected }
  const previous = input.unchangedFrom
  if (
    previous &&
    engine.isSettled() &&
    previous.pageViews === inputs.pageViews &&
    previous.orders === inputs.orders &&
    previous.corrected === inputs.corrected &&
    isClose(previous.session, sessionInput, tolerancesOf(sessionPack)) &&
    isClose(previous.lifetime, lifetimeInput)
  ) {
    return null
  }
  await input.pause?.()
  const sessionOut = runtime.predict(sessionPack, sessionInput)
  await input.pause?.()
  const lifetimeOut = lifetimeInput ? runtime.predict(lifetimePack, lifetimeInput) : undefined

  const [segmentName, segmentHead] = sessionHeads.segment
  const [intentName, intentHead] = sessionHeads.probability
  const decision = engine.decide({
    sessionHead: sessionOut[segmentName],
    sessionLabels: segmentHead.labels,
    sessionTree: segmentHead.tree,
    intent: correctedIntent(sessionPack.pack, sessionOut[intentName][0], s),
    intentThreshold: intentHead.threshold,
    lifetimeHead: lifetimeOut && lifetimeHeads.segment ? lifetimeOut[lifetimeHeads.segment[0]] : undefined,
    lifetimeLabels: lifetimeHeads.segment?.[1].labels,
    lifetimeTree: lifetimeHeads.segment?.[1].tree,
    repeat: lifetimeOut && lifetimeHeads.probability ? lifetimeOut[lifetimeHeads.probability[0]][0] : undefined,
    evidence: { pageViews: s.pageViews, events: s.pageViews + s.productViews + s.searches, purchases: features.lifetime.orders },
    explanation: [],
    now,
  })

  // Facts, not predictions: whether the intent above could hear them depends on the features the pack reads.
  decision.segment = {
    ...decision.segment,
    funnel: {
      cartReached: s.cartReached,
      checkoutReached: s.checkoutReached,
      productsAdded: s.productsAdded,
      cartValue: s.cartValue,
      // The network reads them, or private training taught the pack's correction what they mean here.
      inIntent: (sessionSpec.names.includes('cart_reached') && sessionSpec.names.includes('checkout_reached')) || correctionReads(sessionPack.pack, ['products_added', 'checkout_reached']),
    },
  }
  const decided = decision.segment
  const explain = (): Explanation[] => {
    // Explain the decided segment when the head chose it, else what the intent rests on.
    const index = segmentHead.labels.indexOf(decided.id)
    const target = index >= 0 && !decided.coldStart ? index : 'intent'
    const contributions = computeContributions({
      names: sessionSpec.names,
      normalised: sessionInput,
      raw: sessionRaw,
      target,
      // All of them: which are reasons, and how many, is chosen below.
      top: Infinity,
      // Log-odds: a confident segment head (p ≈ 1) still shows which features it rests on.
      scale: 'log-odds',
      // The season as a whole, one line naming the month, when it pulled that way as a whole.
      groups: sessionFeatureGroups(s),
      minDelta: DEFAULT_MIN_LOG_ODDS_CONTRIBUTION,
      predictMany: (vectors, rows) => {
        // Logits: the head of a certain segment rounds to 1 in float32 with and without a feature.
        const out = runtime.predict(sessionPack, vectors, rows, { logits: true })
        const labels = segmentHead.labels.length
        // A loop, not Array.from(…, map): Prototype.js and MooTools replace Array.from with one that ignores it.
        const rowsOut = []
        for (let r = 0; r < rows; r++)
          rowsOut[r] = {
            segmentLogits: out[segmentName].subarray(r * labels, (r + 1) * labels),
            // The intent the page got: with the pack's correction, as decided.
            intent: correctedIntent(sessionPack.pack, out[intentName][r], s),
          }
        return rowsOut
      },
    })
    // What pulled toward the segment, down to the lines of what the shopper did that the panel shows.
    const lines = chooseReasons(explainFeatures(contributions), target !== 'intent')
    // A pack that private training updated says so, and what it changed, as a reason of its own.
    const corrected = correctionReason(sessionPack.pack, sessionOut[intentName][0], s, DEFAULT_MIN_LOG_ODDS_CONTRIBUTION)
    return corrected ? [...lines, corrected] : lines
  }
  const learn = (): LearnTruth => {
    const p = sessionOut[intentName][0]
    const logit = (q: number) => Math.log(Math.max(1e-7, q) / Math.max(1e-7, 1 - q))
    const session = { productPages: s.productPages, administrativeSeconds: s.administrativeSeconds, month: s.month, productsAdded: s.productsAdded, checkoutReached: s.checkoutReached }
    if (!s.stats) return { logitWithStats: null, logitWithoutStats: logit(p), session }
    // The same session without its page statistics: one more pass of the network.
    const masked = runtime.predict(sessionPack, applyFeatureSpec(selectFeatures(sessionVector({ ...s, stats: null }), SESSION_FEATURE_NAMES, sessionSpec.names), sessionSpec))
    return { logitWithStats: logit(p), logitWithoutStats: logit(masked[intentName][0]), session }
  }
  return { ...decision, features, inputs, explain, learn }
}

const tolerances = new WeakMap<LoadedPack, Float32Array>()

/** {@link decisionTolerance} of each input of a pack, in order. */
function tolerancesOf(loaded: LoadedPack): Float32Array {
  let out = tolerances.get(loaded)
  if (!out) {
    out = Float32Array.from(loaded.pack.featureSpec.names, decisionTolerance)
    tolerances.set(loaded, out)
  }
  return out
}

function isClose(a: Float32Array | undefined, b: Float32Array | undefined, tolerance?: Float32Array): boolean {
  if (!a || !b) return a === b
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (!(Math.abs(a[i] - b[i]) <= (tolerance?.[i] ?? DECISION_TOLERANCE))) return false
  return true
}
