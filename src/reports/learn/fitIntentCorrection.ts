import { identityCorrection, type IntentCorrection } from './correction'
import type { LearnTableEstimate } from './learnSums'
import { DEFAULT_EMPTY_BUCKET_SD, occupiedBuckets } from './occupiedBuckets'
import { LEARN_FEATURES, LEARN_VIEWS, SCORE_BUCKETS, SCORE_EDGES, type LearnView } from './schema'
import { sharedMainEffects, type ViewMainEffect } from './sharedMainEffects'

/** Options of `fitIntentCorrection`. */
export interface FitIntentCorrectionOptions {
  /**
   * Prior standard deviation of a departure (log-odds): of a cell's term from its feature bucket's main
   * effect, and of a view's main effect from the effect common to both views. Each estimated departure is
   * shrunk by τ² / (τ² + its variance), so a noisy cell moves a score little and an empty one not at all.
   * @default 0.25
   */
  tau?: number
  /**
   * Weight of the feature terms when added together: 1 adds each as estimated (each is already shrunk by
   * its variance); below 1 discounts them for features that overlap given the score. On the drift split the
   * exact tables (ε = ∞) score 0.8683 with page statistics at 1 against 0.8665 at 0.8 (README, "Private
   * training").
   * @default 1
   */
  featureWeight?: number
  /**
   * Prior standard deviation of a feature bucket's main effect (pooled over score buckets) common to both
   * views; each view departs from it by `tau`.
   * @default 0.8
   */
  tauMain?: number
  /**
   * Smallest calibration scale of the pack's logit (a scale below 1 says the pack is overconfident on the
   * shop's sessions now; bounded so that noise cannot flatten it).
   * @default 0.5
   */
  minScale?: number
  /**
   * A feature bucket whose estimated sessions are within this many standard deviations of none is taken as
   * empty (set to zero), so that its noise does not enter the fit.
   * @default DEFAULT_EMPTY_BUCKET_SD (3)
   */
  emptyBucketSd?: number
}

const logit = (p: number) => Math.log(p / (1 - p))

/** A representative logit of each score bucket (midpoints; the open ends half a unit out). */
function bucketMiddles(view: LearnView): number[] {
  const edges = SCORE_EDGES[view]
  return Array.from({ length: SCORE_BUCKETS }, (_, s) =>
    s === 0 ? edges[0] - 0.5 : s === edges.length ? edges[edges.length - 1] + 0.5 : (edges[s - 1] + edges[s]) / 2,
  )
}

/**
 * Fits the intent correction from estimated training tables (`estimateLearnTables`): per view, a calibration
 * of the pack's logit from the score-bucket purchase rates, and per feature an additive log-odds term by
 * (score bucket, feature bucket), each shrunk by its variance (the mechanism's and the sample's). A feature
 * bucket's main effect is shrunk towards what both views' tables say of it (`sharedMainEffects`): the two
 * views count the same sessions, so what one view's noisy table cannot tell, the other's often can. Tables
 * without answers leave their terms at zero, so the result falls back to the pack as trained.
 *
 * @example
 * const correction = fitIntentCorrection(estimateLearnTables(sums.learn, olhParams(sums.epsilon)))
 */
export function fitIntentCorrection(tables: readonly LearnTableEstimate[], options: FitIntentCorrectionOptions = {}): IntentCorrection {
  const tau = options.tau ?? 0.25
  const tauMain = options.tauMain ?? 0.8
  const featureWeight = options.featureWeight ?? 1
  const out = identityCorrection()
  const kept = tables.map((t) => keepFeatureBuckets(t, options.emptyBucketSd ?? DEFAULT_EMPTY_BUCKET_SD))
  const fits: ViewFit[] = []
  for (const view of LEARN_VIEWS) {
    const own = kept.filter((t) => t.table.view === view)
    const answers = own.reduce((a, t) => a + t.n, 0)
    out.answers[view] = answers
    if (answers === 0) continue
    // Purchase rate per score bucket, pooled over the view's tables: sums of unbiased cell estimates (summed
    // before any clipping, so they stay unbiased), with their variance.
    const sum = [new Array<number>(SCORE_BUCKETS).fill(0), new Array<number>(SCORE_BUCKETS).fill(0)]
    const noise = new Array<number>(SCORE_BUCKETS).fill(0)
    for (const t of own) {
      if (t.n === 0) continue
      const B = t.table.feature.buckets
      for (let s = 0; s < SCORE_BUCKETS; s++) {
        for (let b = 0; b < B; b++) for (let y = 0; y < 2; y++) sum[y][s] += t.counts[(s * B + b) * 2 + y]
        noise[s] += t.buckets * t.variance
      }
    }
    const rate: number[] = []
    const weight: number[] = []
    for (let s = 0; s < SCORE_BUCKETS; s++) {
      const c1 = Math.max(0, sum[1][s]) + 0.5
      const c0 = Math.max(0, sum[0][s]) + 0.5
      rate.push(c1 / (c1 + c0))
      // Inverse variance of the bucket's log-odds (delta method): mechanism noise plus sampling.
      weight.push(1 / ((noise[s] + c1) / (c1 * c1) + (noise[s] + c0) / (c0 * c0)))
    }
    fits.push(fitView(own, view, rate, weight, options.minScale ?? 0.5))
  }
  // Per feature bucket, the main effects of the views shrunk together; each cell then keeps its own
  // departure from its view's main effect only as far as its variance allows.
  LEARN_FEATURES.forEach((feature, f) => {
    const B = feature.buckets
    const withCells = fits.filter((fit) => fit.cells[f] !== null)
    for (let b = 0; b < B; b++) {
      const mains = sharedMainEffects(withCells.map((fit) => fit.cells[f]!.main[b]), tau, tauMain)
      withCells.forEach((fit, i) => {
        const { estimate, variance, main } = fit.cells[f]!
        // A bucket without sessions in this view keeps no term (the pack as trained).
        if (!Number.isFinite(main[b].variance)) return
        for (let s = 0; s < SCORE_BUCKETS; s++) {
          const v = variance[s * B + b]
          const departure = (estimate[s * B + b] - main[b].estimate) * ((tau * tau) / (tau * tau + v))
          fit.terms[f][s * B + b] = Math.max(-3, Math.min(3, featureWeight * (mains[i] + departure)))
        }
      })
    }
  })
  for (const fit of fits) out.views[fit.view] = { scale: fit.scale, shift: fit.shift, terms: fit.terms }
  return out
}

/** One view's calibration, and per feature the log-odds of each cell against its score bucket. */
interface ViewFit {
  view: LearnView
  scale: number
  shift: number
  /** Per LEARN_FEATURES entry: its cells' estimates (null when its table has no answers). */
  cells: Array<FeatureCells | null>
  /** Per LEARN_FEATURES entry, the terms (zero until fitted). */
  terms: number[][]
}

/** A table's cells as log-odds against their score bucket, and each feature bucket pooled over score buckets. */
interface FeatureCells {
  /** Per cell (row-major by score bucket): log-odds against the score bucket, to first order. */
  estimate: number[]
  /** Per cell: variance of `estimate` (mechanism noise plus sampling). */
  variance: number[]
  /** Per feature bucket: the precision-weighted mean of its cells and its variance. */
  main: ViewMainEffect[]
}

/** A table whose feature buckets without sessions have been set to exactly zero, with which it kept. */
interface KeptTable extends LearnTableEstimate {
  /** Per feature bucket, whether it holds sessions (the others add no noise and get no term). */
  occupied: boolean[]
  /** How many feature buckets it kept. */
  buckets: number
}

/**
 * Sets to zero every feature bucket whose estimated sessions (over all its score buckets and both outcomes)
 * are within `sd` standard deviations of none: such a bucket holds (almost) no session, and its cells would
 * add only mechanism noise to every sum they enter (a month outside the window, a page count nobody reaches).
 */
function keepFeatureBuckets(t: LearnTableEstimate, sd: number): KeptTable {
  const B = t.table.feature.buckets
  if (t.n === 0) return { ...t, occupied: new Array<boolean>(B).fill(true), buckets: B }
  const counts = [...t.counts]
  // Exact tables (no noise) keep every bucket that holds a session.
  const occupied = occupiedBuckets(t, sd)
  for (let b = 0; b < B; b++) {
    if (occupied[b]) continue
    for (let s = 0; s < SCORE_BUCKETS; s++) counts[(s * B + b) * 2] = counts[(s * B + b) * 2 + 1] = 0
  }
  return { ...t, counts, occupied, buckets: occupied.filter(Boolean).length }
}

function fitView(own: readonly KeptTable[], view: LearnView, rate: number[], weight: number[], minScale: number): ViewFit {
  // Calibration: weighted least squares of the bucket log-odds on the bucket's middle logit.
  const mids = bucketMiddles(view)
  let sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0
  for (let s = 0; s < SCORE_BUCKETS; s++) {
    const w = weight[s]
    const y = logit(Math.min(0.99, Math.max(0.01, rate[s])))
    sw += w; sx += w * mids[s]; sy += w * y; sxx += w * mids[s] * mids[s]; sxy += w * mids[s] * y
  }
  let scale = 1
  let shift = 0
  const den = sw * sxx - sx * sx
  if (sw > 0 && den > 1e-9) {
    scale = Math.min(2, Math.max(minScale, (sw * sxy - sx * sy) / den))
    shift = (sy - scale * sx) / sw
  }
  const cells = LEARN_FEATURES.map((feature): FeatureCells | null => {
    const t = own.find((e) => e.table.feature === feature)
    const B = feature.buckets
    if (!t || t.n === 0) return null
    // Per cell: the log-odds against its score bucket and the variance of that estimate (mechanism noise
    // plus sampling, delta method), from lightly smoothed counts.
    const estimate = new Array<number>(SCORE_BUCKETS * B).fill(0)
    const variance = new Array<number>(SCORE_BUCKETS * B).fill(Infinity)
    // Expected cell sizes if the feature said nothing (score-bucket size × feature-bucket share): the
    // variance is taken at them, so a cell that noise inflated is not trusted for being large.
    const cell = (s: number, b: number, y: number) => Math.max(0, t.counts[(s * B + b) * 2 + y])
    const rowSize = new Array<number>(SCORE_BUCKETS).fill(0)
    const columnSize = new Array<number>(B).fill(0)
    let size = 0
    for (let s = 0; s < SCORE_BUCKETS; s++)
      for (let b = 0; b < B; b++) {
        const c = cell(s, b, 0) + cell(s, b, 1)
        rowSize[s] += c
        columnSize[b] += c
        size += c
      }
    for (let s = 0; s < SCORE_BUCKETS; s++) {
      const p = Math.min(0.99, Math.max(0.01, rate[s]))
      for (let b = 0; b < B; b++) {
        const expected = size > 0 ? (rowSize[s] * columnSize[b]) / size : 0
        const e1 = expected * p + 2 * p
        const e0 = expected * (1 - p) + 2 * (1 - p)
        // Log-odds against the bucket to first order, linear in the (unbiased, noisy) counts: a log of a
        // noisy count would be biased and heavy-tailed.
        estimate[s * B + b] = (t.counts[(s * B + b) * 2 + 1] - expected * p) / e1 - (t.counts[(s * B + b) * 2] - expected * (1 - p)) / e0
        variance[s * B + b] = (t.variance + e1) / (e1 * e1) + (t.variance + e0) / (e0 * e0)
      }
    }
    // The feature's main effect pools its bucket over every score bucket (precision-weighted); a bucket
    // without sessions says nothing of it.
    const main = Array.from({ length: B }, (_, b): ViewMainEffect => {
      if (!t.occupied[b]) return { view, estimate: 0, variance: Infinity }
      let num = 0
      let den = 0
      for (let s = 0; s < SCORE_BUCKETS; s++) {
        num += estimate[s * B + b] / variance[s * B + b]
        den += 1 / variance[s * B + b]
      }
      return den > 0 ? { view, estimate: num / den, variance: 1 / den } : { view, estimate: 0, variance: Infinity }
    })
    return { estimate, variance, main }
  })
  const terms = LEARN_FEATURES.map((feature) => new Array<number>(SCORE_BUCKETS * feature.buckets).fill(0))
  return { view, scale, shift, cells, terms }
}
