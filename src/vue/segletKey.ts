import { getCurrentInstance, inject, ssrContextKey } from 'vue'
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

/**
 * Whether the component being set up may show Seglet's state from its first render: it is created in the browser
 * with a Seglet, not while hydrating (then its element is the server's already, and it must render what the
 * server did), and not by `vue/server-renderer` (which provides its context, also where the server has a DOM, as
 * in a test runner with jsdom). A component created after the page decided (the next client-side route, a `v-if`)
 * shows the segment at once, not the default for one render first.
 */
export const isFresh = (seglet: Seglet | null): seglet is Seglet =>
  !!seglet && typeof document !== 'undefined' && !getCurrentInstance()?.vnode.el && !inject(ssrContextKey, null)
