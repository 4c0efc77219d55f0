/**
 * Purchase intent in three bands, relative to the pack's intent threshold `t` (the rule of the
 * `seglet-intent-high` class): `high` when intent ≥ t, `medium` when intent ≥ t / 2, `low` below.
 */
export type IntentBand = 'low' | 'medium' | 'high'

/**
 * What the segment hint tells a shop's server about the shopper: the segment id and the intent band.
 * Never events, features, scores or any identifier.
 *
 * @example
 * { segmentId: 'high-intent-all-round-deep-browser', intentBand: 'high' }
 */
export interface SegmentHint {
  /** Leaf segment id, as in `segment.id` and `data-seglet-show`. */
  segmentId: string
  /** Purchase intent band. */
  intentBand: IntentBand
}
