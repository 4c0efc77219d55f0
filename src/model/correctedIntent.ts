import { correctIntentLogit } from '../reports/learn/correction'
import type { ModelPack } from './pack'

/** Index of `has_stats` in the session vector: which view of the correction applies. */
const HAS_STATS = 14

/**
 * The intent probability after the pack's private-training correction (unchanged for a pack without one):
 * the network's probability and the raw session vector in, the corrected probability out.
 *
 * @example
 * const intent = correctedIntent(pack, out.intent[0], features.sessionRaw)
 */
export function correctedIntent(pack: ModelPack, probability: number, raw: readonly number[]): number {
  if (!pack.intentCorrection) return probability
  const p = Math.min(1 - 1e-7, Math.max(1e-7, probability))
  const logit = correctIntentLogit(pack.intentCorrection, Math.log(p / (1 - p)), raw[HAS_STATS] === 1 ? 'withStats' : 'withoutStats', raw)
  return 1 / (1 + Math.exp(-logit))
}
