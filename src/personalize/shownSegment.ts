import type { Segment } from '../segments'
import { SEGMENT_ATTRIBUTE } from './constants'

/**
 * The segment the page may personalise from: the decided one, or `null` before a decision, after
 * `forget()`, in the holdout arm (`personalize.holdout`), where the page must look as it would without
 * Seglet so the shop can measure lift, and after `destroy()`. The framework bindings return this, not
 * `getSegment()`.
 *
 * A destroyed Seglet still returns its last segment from `getSegment()`, but has taken its markers off
 * `<html>`: a segment is shown only while `<html data-seglet-segment>` names it (Seglet sets the marker
 * before it tells anyone of a decision).
 *
 * @example
 * const segment = shownSegment(seglet.getSegment()) // null for a browser in the holdout
 */
export function shownSegment(segment: Segment | null | undefined): Segment | null {
  return segment && segment.arm !== 'holdout' && (typeof document === 'undefined' || document.documentElement.getAttribute(SEGMENT_ATTRIBUTE) === segment.id)
    ? segment
    : null
}
