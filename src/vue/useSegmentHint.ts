import { computed, inject } from 'vue'
import type { ComputedRef } from 'vue'
import type { SegmentHint } from 'seglet'
import { toIntentBand } from '../personalize/toIntentBand'
import { NO_SEGLET, SEGLET_KEY } from './segletKey'
import { useSegment } from './useSegment'

/**
 * The segment id and intent band for rendering, as a read-only ref: on the server and during hydration
 * the plugin's `hint` (what the server read with `readSegmentHint()`), then the live segment's. Call it in
 * `setup()`.
 *
 * @example
 * const hint = useSegmentHint()
 * // <p v-if="hint?.intentBand === 'high'">Free shipping today</p>
 */
export function useSegmentHint(): ComputedRef<SegmentHint | null> {
  const { hint } = inject(SEGLET_KEY, NO_SEGLET)
  const segment = useSegment()
  return computed(() => {
    const s = segment.value
    return s ? { segmentId: s.id, intentBand: toIntentBand(s.intent, s.intentThreshold) } : hint
  })
}
