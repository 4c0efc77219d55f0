import type { ModelPack } from '../pack/types'
import { LEARN_FEATURES, scoreBucket } from '../reports/learn/schema'
import { describeFeature } from '../segments/describeFeature'
import type { Explanation } from '../segments/types'
import { correctedIntent } from './correctedIntent'
import { formatPercentPair } from './formatPercentPair'

/** The `feature` of the explanation line that names the private-training correction. */
export const CORRECTION_REASON = 'intent_correction'

type CorrectedSession = Parameters<typeof correctedIntent>[2]

const logit = (p: number) => {
  const q = Math.min(1 - 1e-7, Math.max(1e-7, p))
  return Math.log(q / (1 - q))
}

/** A learning feature's value as the feature table names it, for its words (`describeFeature`). */
function described(name: string, s: CorrectedSession): string {
  if (name === 'month') return describeFeature(`month_${s.month + 1}`, 1)
  if (name === 'checkout_reached') return describeFeature(name, s.checkoutReached ? 1 : 0)
  return describeFeature(name, name === 'products_added' ? s.productsAdded : name === 'product_pages' ? s.productPages : Number.NaN)
}

/**
 * The explanation line for the intent correction of a pack that private training updated: how far it moved
 * the network's `probability` for this session (log-odds `delta`), in plain words naming what moved it most —
 * `null` for a pack without a correction or when it moved the intent by less than `minDelta`.
 *
 * @example
 * correctionReason(pack, 0.12, session)
 * // { feature: 'intent_correction', value: 0.31, delta: 1.2,
 * //   text: "learned from this shop's visits (in private): 1 item added to the cart raises the chance of buying from 12% to 31%" }
 */
export function correctionReason(pack: ModelPack, probability: number, session: CorrectedSession, minDelta = 0.05): Explanation | null {
  const correction = pack.intentCorrection
  if (!correction) return null
  const corrected = correctedIntent(pack, probability, session)
  const delta = logit(corrected) - logit(probability)
  if (!(Math.abs(delta) >= minDelta)) return null
  const view = correction.views[session.stats ? 'withStats' : 'withoutStats']
  const s = scoreBucket(logit(probability), session.stats ? 'withStats' : 'withoutStats')
  // The feature whose term pushed the same way as the whole correction, most.
  let best = -1
  let bestTerm = 0
  LEARN_FEATURES.forEach((feature, f) => {
    const term = view.terms[f][s * feature.buckets + feature.bucket(session)] ?? 0
    if (term * delta > bestTerm * delta) {
      best = f
      bestTerm = term
    }
  })
  const what = best >= 0 ? `${described(LEARN_FEATURES[best].name, session)} ${delta > 0 ? 'raises' : 'lowers'} the chance of buying` : `the chance of buying goes ${delta > 0 ? 'up' : 'down'}`
  const [from, to] = formatPercentPair(probability, corrected)
  return {
    feature: CORRECTION_REASON,
    value: corrected,
    delta,
    text: `learned from this shop's visits (in private): ${what} from ${from} to ${to}`,
  }
}

/**
 * True when the pack's correction has learned anything about `names` (one of its terms is not zero): then the
 * intent reads those facts although the network does not.
 *
 * @example
 * correctionReads(pack, ['products_added', 'checkout_reached'])
 */
export function correctionReads(pack: ModelPack, names: readonly string[]): boolean {
  const correction = pack.intentCorrection
  if (!correction) return false
  return LEARN_FEATURES.some((feature, f) => names.includes(feature.name) && Object.values(correction.views).some((v) => v.terms[f].some((t) => t !== 0)))
}
