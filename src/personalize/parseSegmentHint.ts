import { SEGMENT_HINT_ID } from './constants'
import type { IntentBand, SegmentHint } from './hintTypes'

const HINT = new RegExp(`^(${SEGMENT_HINT_ID.source.slice(1, -1)})\\.(low|medium|high)$`)

/**
 * Reads a segment hint cookie value strictly: anything but `<segment id>.<low|medium|high>` is `null`, and so is an
 * id that names a member of every object (`__proto__`, `constructor`, `toString`): no pack has one, and any visitor
 * can set the cookie, so a server that looks its content up by id must never find a prototype's member there.
 *
 * @example
 * parseSegmentHint('casual-browser.medium') // { segmentId: 'casual-browser', intentBand: 'medium' }
 * parseSegmentHint('casual-browser.max')    // null
 */
export function parseSegmentHint(value: string): SegmentHint | null {
  const match = HINT.exec(value)
  return match && !(match[1] in Object.prototype) ? { segmentId: match[1], intentBand: match[2] as IntentBand } : null
}
