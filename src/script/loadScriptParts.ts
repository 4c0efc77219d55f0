import type { Decider } from '../core/createDecider'
import type { LazyParts } from '../core/lazy'
import { createScriptModuleLoader, getRuntimeUrl, rebrandErrors } from '../model/loadScriptRuntime'

let load: (() => Promise<{ createLazyParts(): LazyParts }>) | undefined
let parts: Promise<LazyParts> | undefined

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


let prefetched = false

/**
 * Asks the browser to fetch `seglet-model.min.js` at low priority into its cache, for the next page (a
 * `<link rel="prefetch">`), without running it. Once per page.
 */
export function prefetchScriptParts(): void {
  const url = getRuntimeUrl()
  if (prefetched || !url || typeof document === 'undefined') return
  prefetched = true
  const link = document.createElement('link')
  link.rel = 'prefetch'
  link.as = 'script'
  // The module is fetched in CORS mode: the prefetched response must match it to be reused.
  link.crossOrigin = 'anonymous'
  link.href = url
  link.setAttribute('fetchpriority', 'low')
  document.head.appendChild(link)
}
