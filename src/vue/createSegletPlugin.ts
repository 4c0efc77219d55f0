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
   * is installed in); it is destroyed when the last mounted one of them unmounts. An app never mounted holds
   * nothing; mounted after the Seglet was destroyed, it starts a new one from these options.
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
  const { seglet: given, options, hint = null } = pluginOptions
  // One Seglet per plugin, shared by every app it is installed in (islands of one page): two would capture
  // every page view twice. `null`: it could not start, which is reported once, not by every app (or request).
  let own: Seglet | null | undefined
  // The mounted apps using `own`: an app installed but never mounted (on the server, or an island whose element
  // is not on this page) holds nothing, so the last mounted one to unmount stops it.
  let apps = 0
  const ensure = () => given || (options && own === undefined ? (own = startSeglet(options)) : own) || null
  return {
    install(app: App) {
      const injection = { seglet: ensure(), hint }
      app.provide(SEGLET_KEY, injection)
      // Wrapped rather than app.onUnmount(), which Vue 3.3 and 3.4 lack (vue-router does the same); counted once
      // each, as Vue runs an unmount again when called twice, and it must not count for another app. An unmount
      // of an app never mounted, which Vue only warns about, changes nothing.
      const { mount, unmount } = app
      let stop: (() => void) | null | undefined
      let counted: Seglet | null | undefined
      app.mount = (...args) => {
        // A Seglet stopped as the other apps unmounted: this app, mounted after, starts a new one from the options.
        const seglet = (injection.seglet = ensure())
        const vm = mount(...args)
        if (counted === undefined && app._container) {
          counted = seglet
          if (seglet && seglet === own) apps++
          // Notes the page's first decision while the server's hint stands in, so that a component mounted after a
          // forget() (on the next client-side route, say) does not bring the hint back.
          stop = seglet && hint ? onDecided(seglet, () => {}) : null
        }
        return vm
      }
      app.unmount = () => {
        unmount()
        if (counted === undefined) return
        const seglet = counted
        counted = undefined
        stop?.()
        // Stops a Seglet the plugin started when the last mounted app using it goes away.
        if (seglet && seglet === own && --apps < 1) {
          own = undefined
          void seglet.destroy()
        }
      }
    },
  }
}
