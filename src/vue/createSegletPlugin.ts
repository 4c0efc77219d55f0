import type { App, Plugin } from 'vue'
import { createSeglet } from 'seglet'
import type { Seglet, SegletOptions, SegmentHint } from 'seglet'
import { onDecided } from '../personalize/onDecided'
import { SEGLET_KEY } from './segletKey'

/** Options of `createSegletPlugin()`. Give either `seglet` or `options`. */
export interface SegletPluginOptions {
  /**
   * A Seglet the app created itself with `createSeglet()` (it stays running when the app unmounts).
   * @default undefined
   */
  seglet?: Seglet | null
  /**
   * Options to start Seglet with when the plugin is first installed (one Seglet, shared by every app the plugin
   * is installed in); it is destroyed when the last of them unmounts (Vue 3.5+).
   * During server rendering `createSeglet()` is inert, so the same app code runs on both sides.
   * Ignored when `seglet` is given.
   * @default undefined
   */
  options?: SegletOptions
  /**
   * The segment hint the server read with `readSegmentHint()` from `seglet/server`. `useSegmentHint()`
   * returns it on the server and during hydration, then the live segment's.
   * @default null
   */
  hint?: SegmentHint | null
}

/**
 * The Vue plugin: provides a Seglet to `useSegment()`, `useSegmentHint()` and `useSeglet()`.
 *
 * @example
 * import { createApp } from 'vue'
 * import { createSegletPlugin } from 'seglet/vue'
 * createApp(App).use(createSegletPlugin({ options: { consent: 'granted' } })).mount('#app')
 */
export function createSegletPlugin(pluginOptions: SegletPluginOptions = {}): Plugin {
  // One Seglet per plugin, shared by every app it is installed in (islands of one page): two would capture
  // every page view twice.
  let own: Seglet | null = null
  let apps = 0
  return {
    install(app: App) {
      if (!pluginOptions.seglet && pluginOptions.options) own ??= createSeglet(pluginOptions.options)
      const seglet = pluginOptions.seglet ?? own
      app.provide(SEGLET_KEY, { seglet, hint: pluginOptions.hint ?? null })
      // In the browser, notes the page's first decision while the server's hint stands in, so that a component
      // mounted after a forget() (on the next client-side route, say) does not bring the hint back.
      if (seglet && pluginOptions.hint && typeof document !== 'undefined') {
        const stop = onDecided(seglet, () => {})
        app.onUnmount?.(stop)
      }
      // Vue 3.5+: stop a Seglet the plugin started when the last app using it goes away.
      if (seglet && seglet === own && app.onUnmount) {
        apps++
        app.onUnmount(() => {
          if (--apps > 0 || own !== seglet) return
          own = null
          void seglet.destroy()
        })
      }
    },
  }
}
