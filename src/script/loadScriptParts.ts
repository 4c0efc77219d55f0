import type { Bridges } from '../capture/bridges'
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
  // `prefetch` is fetched at the lowest priority, after the page's own requests.
  link.rel = 'prefetch'
  // The module is fetched in CORS mode: the prefetched response must match it to be reused.
  link.crossOrigin = 'anonymous'
  link.href = url
  document.head.appendChild(link)
}

/** File name of the bridges' mapping code, published next to `seglet.min.js`. */
export const SCRIPT_BRIDGES_FILE = 'seglet-bridges.min.js'

let loadBridges: (() => Promise<{ createBridges(): Bridges }>) | undefined

/**
 * The script-tag build's loader of the bridges' mapping code, `seglet-bridges.min.js` beside
 * `seglet.min.js`: loaded the first time a GA4 ecommerce entry or a Shopify event arrives.
 */
export function loadScriptBridges(): Promise<Bridges> {
  loadBridges ??= createScriptModuleLoader(getRuntimeUrl(SCRIPT_BRIDGES_FILE))
  return loadBridges().then((module) => module.createBridges())
}
