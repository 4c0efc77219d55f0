import type { IntentBand } from './hintTypes'

/**
 * The intent band of a purchase-intent probability: `high` at or above the pack's threshold, `medium` at
 * or above half of it, `low` below (and for anything that is not a number).
 *
 * @example toIntentBand(0.3, 0.4884) // 'medium'
 */
export function toIntentBand(intent: number, threshold: number): IntentBand {
  return intent >= threshold ? 'high' : intent >= threshold / 2 ? 'medium' : 'low'
}
