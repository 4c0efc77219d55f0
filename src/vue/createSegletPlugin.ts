import type { App, Plugin } from 'vue'
import type { Seglet, SegletOptions, SegmentHint } from 'seglet'
import { onDecided } from '../personalize/onDecided'
import { startSeglet } from '../personalize/startSeglet'
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
   * is installed in); it is destroyed when the last of them unmounts.
   * During server rendering `createSeglet()` is inert, so the same app code runs on both sides.
   * A bad option, or a start the browser fails, is reported once through `onError` (without one, as one
   * `console.warn` line, `Seglet invalid_option: …`, as `seglet/react` does), not thrown from `app.use()`: the app
   * runs without Seglet. Ignored when `seglet` is given.
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
export function createSegletPlugin(pluginOptions?: SegletPluginOptions | null): Plugin {
  // `null` (a config read from elsewhere) as no options, not a TypeError from `app.use()`.
  pluginOptions ||= {}
  // One Seglet per plugin, shared by every app it is installed in (islands of one page): two would capture
  // every page view twice. `null`: it could not start, which is reported once, not by every app (or request).
  let own: Seglet | null | undefined
  let apps = 0
  return {
    install(app: App) {
      if (!pluginOptions.seglet && pluginOptions.options && own === undefined) own = startSeglet(pluginOptions.options)
      const seglet = pluginOptions.seglet || own || null
      app.provide(SEGLET_KEY, { seglet, hint: pluginOptions.hint ?? null })
      // In the browser, notes the page's first decision while the server's hint stands in, so that a component
      // mounted after a forget() (on the next client-side route, say) does not bring the hint back.
      const stop = seglet && pluginOptions.hint && typeof document !== 'undefined' ? onDecided(seglet, () => {}) : null
      const counted = seglet && seglet === own && ++apps
      // Wrapped rather than app.onUnmount(), which Vue 3.3 and 3.4 lack (vue-router does the same); once, as
      // Vue runs an unmount again when called twice, and it must not count for another app. Not for an app never
      // mounted, which Vue only warns about: it may mount later, with this Seglet.
      const unmount = app.unmount
      let live = true
      app.unmount = () => {
        unmount()
        if (!live || !app._container) return
        live = false
        stop?.()
        // Stops a Seglet the plugin started when the last app using it goes away.
        if (counted && --apps < 1 && own === seglet) {
          own = undefined
          void seglet.destroy()
        }
      }
    },
  }
}
