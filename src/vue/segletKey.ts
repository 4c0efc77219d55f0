import type { InjectionKey } from 'vue'
import type { Seglet, SegmentHint } from 'seglet'

/** What the plugin provides to the composables. */
export interface SegletInjection {
  /** The running Seglet (inert during server rendering), or `null` without one. */
  seglet: Seglet | null
  /** The hint the server rendered with, or `null`. */
  hint: SegmentHint | null
}

/** The injection key the plugin provides under. Use `createSegletPlugin()` rather than this directly. */
export const SEGLET_KEY: InjectionKey<SegletInjection> = Symbol('seglet')

/** What the composables see without the plugin. */
export const NO_SEGLET: SegletInjection = { seglet: null, hint: null }
