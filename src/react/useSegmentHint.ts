import { useContext, useMemo } from 'react'
import type { SegmentHint } from 'seglet'
import { toIntentBand } from '../personalize/toIntentBand'
import { SegletContext } from './SegletContext'
import { useSegment } from './useSegment'

/**
 * The segment id and intent band for rendering: on the server and during hydration the `hint` given to
 * `<SegletProvider>` (what the server read with `readSegmentHint()`), then the live segment's. Content
 * chosen by it is rendered by the server already and stays put on hydration: no flicker, no mismatch.
 *
 * @example
 * import { useSegmentHint } from 'seglet/react'
 * function Banner() {
 *   const hint = useSegmentHint()
 *   return hint?.intentBand === 'high' ? <p>Free shipping today</p> : null
 * }
 */
export function useSegmentHint(): SegmentHint | null {
  const { hint } = useContext(SegletContext)
  const segment = useSegment()
  return useMemo(
    () => (segment ? { segmentId: segment.id, intentBand: toIntentBand(segment.intent, segment.intentThreshold) } : hint),
    [segment, hint],
  )
}
