import { SEGMENT_HINT_ID } from './constants'
import type { IntentBand, SegmentHint } from './hintTypes'

const HINT = new RegExp(`^(${SEGMENT_HINT_ID.source.slice(1, -1)})\\.(low|medium|high)$`)

/**
 * Reads a segment hint cookie value strictly: anything but `<segment id>.<low|medium|high>` is `null`.
 *
 * @example
 * parseSegmentHint('casual-browser.medium') // { segmentId: 'casual-browser', intentBand: 'medium' }
 * parseSegmentHint('casual-browser.max')    // null
 */
export function parseSegmentHint(value: string): SegmentHint | null {
  const match = HINT.exec(value)
  return match ? { segmentId: match[1], intentBand: match[2] as IntentBand } : null
}
