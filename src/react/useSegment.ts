import { useCallback, useContext, useSyncExternalStore } from 'react'
import type { Segment } from 'seglet'
import { onSegmentMarkerChange } from '../personalize/onSegmentMarkerChange'
import { shownSegment } from '../personalize/shownSegment'
import { SegletContext } from './SegletContext'

const serverSnapshot = (): null => null
const noop = () => {}

/**
 * The shopper's current segment, re-rendering when it changes (a new segment, or intent moved by the
 * notification step). `null` before the first decision, again after `forget()` or `destroy()`, in the holdout arm (`personalize.holdout`: the
 * page is not personalised, so the shop can measure lift), without a
 * `<SegletProvider>`, on the server and during hydration: the first client render matches the server's HTML,
 * and the segment follows right after hydration, without a mismatch.
 *
 * @example
 * import { useSegment } from 'seglet/react'
 * function Banner() {
 *   const segment = useSegment()
 *   if (!segment || segment.intent < segment.intentThreshold) return null
 *   return <p>Free shipping today</p>
 * }
 */
export function useSegment(): Segment | null {
  const { seglet } = useContext(SegletContext)
  const subscribe = useCallback(
    (onChange: () => void) => {
      if (!seglet) return noop
      // onSegment() never reports a cleared segment; forget() and destroy() remove <html data-seglet-segment>.
      const offSegment = seglet.onSegment(onChange, { immediate: false })
      const offMarker = onSegmentMarkerChange(onChange)
      return () => (offSegment(), offMarker())
    },
    [seglet],
  )
  // In the holdout arm the page is not personalised: the hook gives null, as onSegment() never fires there.
  const getSnapshot = useCallback(() => shownSegment(seglet?.getSegment()), [seglet])
  return useSyncExternalStore(subscribe, getSnapshot, serverSnapshot)
}
