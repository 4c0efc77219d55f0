import type { SessionAggregate } from '../features/types'
import { correctIntentLogit } from '../reports/learn/correction'
import type { ModelPack } from '../pack/types'

/**
 * The intent probability after the pack's private-training correction (unchanged for a pack without one):
 * the network's probability and the session's aggregate in, the corrected probability out.
 *
 * @example
 * const intent = correctedIntent(pack, out.intent[0], features.session)
 */
export function correctedIntent(pack: ModelPack, probability: number, session: Pick<SessionAggregate, 'productPages' | 'administrativeSeconds' | 'month' | 'productsAdded' | 'checkoutReached' | 'stats'>): number {
  if (!pack.intentCorrection) return probability
  const p = Math.min(1 - 1e-7, Math.max(1e-7, probability))
  const logit = correctIntentLogit(pack.intentCorrection, Math.log(p / (1 - p)), session.stats ? 'withStats' : 'withoutStats', session)
  return 1 / (1 + Math.exp(-logit))
}
