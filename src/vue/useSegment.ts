import { computed, inject, onMounted, onUnmounted, shallowRef } from 'vue'
import type { ComputedRef } from 'vue'
import type { Segment } from 'seglet'
import { onSegmentMarkerChange } from '../personalize/onSegmentMarkerChange'
import { shownSegment } from '../personalize/shownSegment'
import { isFresh, NO_SEGLET, SEGLET_KEY } from './segletKey'

/**
 * The shopper's current segment as a read-only ref, updated when it changes (a new segment, or intent
 * moved by the notification step). `null` before the first decision, again after `forget()` or `destroy()`, in the holdout
 * arm (`personalize.holdout`: the page is not personalised, so the shop can measure lift), without the
 * plugin, on the server and during hydration; it follows the live segment once the component is mounted, so
 * hydration never mismatches. A component created in the browser after that (the next client-side route, a
 * `v-if`) has the current segment from its first render, not only from the next change. Call it in `setup()`.
 *
 * @example
 * <script setup>
 * import { useSegment } from 'seglet/vue'
 * const segment = useSegment()
 * </script>
 * <template><p v-if="segment && segment.intent >= segment.intentThreshold">Free shipping today</p></template>
 */
export function useSegment(): ComputedRef<Segment | null> {
  const { seglet } = inject(SEGLET_KEY, NO_SEGLET)
  // Null on the server and while hydrating, so hydration matches; created later, the current segment at once.
  const segment = shallowRef(isFresh(seglet) ? shownSegment(seglet.getSegment()) : null)
  let offSegment: (() => void) | undefined
  let offMarker: (() => void) | undefined
  onMounted(() => {
    if (!seglet) return
    segment.value = shownSegment(seglet.getSegment())
    offSegment = seglet.onSegment((next) => (segment.value = next), { immediate: false })
    // onSegment() never reports a cleared segment; forget() and destroy() remove <html data-seglet-segment>.
    offMarker = onSegmentMarkerChange(() => (segment.value = shownSegment(seglet.getSegment())))
  })
  onUnmounted(() => (offSegment?.(), offMarker?.()))
  return computed(() => segment.value)
}
