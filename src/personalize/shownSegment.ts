import type { Segment } from '../segments'

/**
 * The segment the page may personalise from: the decided one, or `null` before a decision, after
 * `forget()` and in the holdout arm (`personalize.holdout`), where the page must look as it would without
 * Seglet so the shop can measure lift. The framework bindings return this, not `getSegment()`.
 *
 * @example
 * const segment = shownSegment(seglet.getSegment()) // null for a browser in the holdout
 */
export function shownSegment(segment: Segment | null | undefined): Segment | null {
  return segment && segment.arm !== 'holdout' ? segment : null
}
