import type { Decider } from '../core/createDecider'
import type { LazyParts } from '../core/lazy'
import { createScriptModuleLoader, getRuntimeUrl, rebrandErrors } from '../model/loadScriptRuntime'

let load: (() => Promise<{ createLazyParts(): LazyParts }>) | undefined
let parts: Promise<LazyParts> | undefined
let preloaded = false

/**
 * The script-tag build's loader of the lazy part: `seglet-model.min.js` from the folder of
 * `seglet.min.js`. That file has its own copy of Seglet's error classes, so errors crossing back are
 * rebuilt with this bundle's classes (`isSegletError()` keeps working).
 */
export function loadScriptParts(): Promise<LazyParts> {
  load ??= createScriptModuleLoader(getRuntimeUrl())
  parts ??= load().then(
    (module) => {
      const lazy = module.createLazyParts()
      return { createDecider: (ctx) => rebrandErrors<Decider>(lazy.createDecider(ctx)) }
    },
    (error: unknown) => {
      parts = undefined
      throw error
    },
  )
  return parts
}

/**
 * Lets the browser fetch and compile `seglet-model.min.js` now, at low priority, without running it
 * (`<link rel="modulepreload" fetchpriority="low">`): the runtime is then ready when the first decision's
 * idle callback imports it. Once per page; never throws.
 */
export function preloadScriptParts(): void {
  if (preloaded || parts || typeof document === 'undefined') return
  const url = getRuntimeUrl()
  if (!url) return
  preloaded = true
  // In a task of its own: starting a request costs the main thread a few milliseconds, which should not
  // lengthen the task that boots Seglet.
  setTimeout(() => {
    try {
      const link = document.createElement('link')
      link.rel = 'modulepreload'
      link.href = url
      link.setAttribute('fetchpriority', 'low')
      ;(document.head ?? document.documentElement).append(link)
    } catch {
      // A hint only: without it the runtime is fetched when the first decision needs it.
    }
  }, 0)
}
