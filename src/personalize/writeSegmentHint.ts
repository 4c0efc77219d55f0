import type { Segment } from '../segments'
import { clearSegmentHint } from './clearSegmentHint'
import { SEGMENT_HINT_COOKIE, SEGMENT_HINT_ID, SEGMENT_HINT_MAX_AGE_S } from './constants'
import { toIntentBand } from './toIntentBand'

/**
 * Writes the segment hint cookie for `segment`: `seglet_hint=<id>.<intent band>`, first-party, `Path=/`,
 * `SameSite=Lax`, `Secure` on https, expiring after `SEGMENT_HINT_MAX_AGE_S`. A segment id the hint cannot
 * carry removes it instead. The caller checks that the shop opted in and that consent is granted.
 * It only ever writes `document.cookie`, never reads it.
 *
 * @throws the browser's `SecurityError` in a sandboxed document without cookies.
 * @example writeSegmentHint(document, segment) // seglet_hint=casual-browser.medium
 */
export function writeSegmentHint(doc: Document, segment: Segment): void {
  if (!SEGMENT_HINT_ID.test(segment.id)) return clearSegmentHint()
  doc.cookie =
    `${SEGMENT_HINT_COOKIE}=${segment.id}.${toIntentBand(segment.intent, segment.intentThreshold)}; Max-Age=${SEGMENT_HINT_MAX_AGE_S}; Path=/; SameSite=Lax` +
    (doc.location?.protocol === 'https:' ? '; Secure' : '')
}
