import { useCallback, useContext, useMemo, useSyncExternalStore } from 'react'
import type { SegmentHint } from 'seglet'
import { hasDecided, onDecided } from '../personalize/onDecided'
import { toIntentBand } from '../personalize/toIntentBand'
import { SegletContext } from './SegletContext'
import { useSegment } from './useSegment'

const serverSnapshot = (): boolean => false
const noop = () => {}

/**
 * The segment id and intent band for rendering: on the server and during hydration the `hint` given to
 * `<SegletProvider>` (what the server read with `readSegmentHint()`), then the live segment's. Content
 * chosen by it is rendered by the server already and stays put on hydration: no flicker, no mismatch. Once
 * Seglet has decided on this page, the hint is done with: `null` after `forget()` and in the holdout arm,
 * like `useSegment()`. `null` without a `<SegletProvider>` above.
 *
 * @example
 * import { useSegmentHint } from 'seglet/react'
 * function Banner() {
 *   const hint = useSegmentHint()
 *   return hint?.intentBand === 'high' ? <p>Free shipping today</p> : null
 * }
 */
export function useSegmentHint(): SegmentHint | null {
  const { seglet, hint } = useContext(SegletContext)
  const segment = useSegment()
  // Has this page had a segment (shown, or decided in the holdout arm; forgotten since or not)? Read as the
  // component renders, so one mounted later never shows the hint first; false on the server and during
  // hydration, so the first client render matches the server's HTML.
  const subscribe = useCallback(
    // A decision in the holdout arm re-renders nothing: while the hint stands in, look for one.
    (onChange: () => void) => (seglet && hint ? onDecided(seglet, onChange) : noop),
    [seglet, hint],
  )
  const decided = useSyncExternalStore(subscribe, () => !!seglet && hasDecided(seglet), serverSnapshot)
  return useMemo(
    () => (segment ? { segmentId: segment.id, intentBand: toIntentBand(segment.intent, segment.intentThreshold) } : decided ? null : hint),
    [segment, hint, decided],
  )
}
