import { computed, inject, onMounted, onUnmounted, ref, watch } from 'vue'
import type { ComputedRef } from 'vue'
import type { SegmentHint } from 'seglet'
import { hasDecided, onDecided } from '../personalize/onDecided'
import { toIntentBand } from '../personalize/toIntentBand'
import { isFresh, NO_SEGLET, SEGLET_KEY } from './segletKey'
import { useSegment } from './useSegment'

/**
 * The segment id and intent band for rendering, as a read-only ref: on the server and during hydration
 * the plugin's `hint` (what the server read with `readSegmentHint()`), then the live segment's. Once Seglet
 * has decided on this page, the hint is done with: `null` after `forget()` and in the holdout arm, like
 * `useSegment()`. `null` without the plugin. On a server-rendered page, give the client's plugin the same `hint`
 * as the server's (serialised into the page), or hydration finds different text. Call it in `setup()`.
 *
 * @example
 * const hint = useSegmentHint()
 * // <p v-if="hint?.intentBand === 'high'">Free shipping today</p>
 */
export function useSegmentHint(): ComputedRef<SegmentHint | null> {
  const { seglet, hint } = inject(SEGLET_KEY, NO_SEGLET)
  const segment = useSegment()
  // Has this page had a segment (shown, or decided in the holdout arm; forgotten since or not)? Read as the
  // component is created in the browser, so one created later never shows the hint first; false on the server
  // and while hydrating (the component's element is the server's already), so hydration matches its HTML.
  // useSegment() gives such a component the live segment from its first render.
  const decided = ref(isFresh(seglet) && hasDecided(seglet))
  const check = () => {
    if (segment.value || (seglet && hasDecided(seglet))) decided.value = true
  }
  let stop: (() => void) | undefined
  onMounted(() => {
    check()
    // A decision in the holdout arm changes no ref: while the hint stands in, look for one.
    if (!decided.value && seglet && hint) stop = onDecided(seglet, () => (decided.value = true))
  })
  onUnmounted(() => stop?.())
  watch(segment, check)
  return computed(() => {
    const s = segment.value
    return s ? { segmentId: s.id, intentBand: toIntentBand(s.intent, s.intentThreshold) } : decided.value ? null : hint
  })
}
