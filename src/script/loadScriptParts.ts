import type { Bridges } from '../capture/bridges'
import type { Decider } from '../core/createDecider'
import type { createBlocks } from '../personalize/createBlocks'
import type { PruneParts } from '../store/lib/pruneStored'
import type { LazyParts } from '../core/lazy'
import { hasPage } from '../lib/hasPage'
import { createScriptModuleLoader, getRuntimeUrl, rebrand } from '../model/loadScriptRuntime'

const loaders = new Map<string, () => Promise<unknown>>()

/**
 * Imports the part `seglet-<name>.min.js` from the folder `seglet.min.js` was fetched from and makes what it gives with
 * `create` (without it, the module itself), once; a failed import rejects with `model_failed` and is retried
 * on the next call.
 */
export function loadScriptPart<M, T = M>(name: string, create?: (module: M) => T): Promise<T> {
  let load = loaders.get(name)
  // Imported by its relative name: `import()` resolves it against the URL this file was fetched from, which a
  // `<base href>` the page's content adds later (a shopper's review) cannot move, as it moves `script.src` (read
  // here only to know that the tag was loaded by `src`).
  if (!load) loaders.set(name, (load = createScriptModuleLoader(getRuntimeUrl() && `./seglet-${name}.min.js`, create)))
  return load() as Promise<T>
}

/**
 * `decider` with `decide()` rejecting with this bundle's error classes: the model file has its own copy of
 * them, and the core tells a refused pack (`pack_*`, never fetched again) by its code. Its other methods
 * throw no Seglet errors.
 */
export const rebrandDecider = (decider: Decider): Decider => ({
  ...decider,
  decide: (pending, flushed) =>
    decider.decide(pending, flushed).catch((error: unknown) => {
      throw rebrand(error)
    }),
})

/**
 * The script-tag build's loader of the lazy part: `seglet-model.min.js` from the folder of
 * `seglet.min.js`. That file has its own copy of Seglet's error classes, so errors crossing back are
 * rebuilt with this bundle's classes (`isSegletError()` keeps working).
 */
export const loadScriptParts = (): Promise<LazyParts> =>
  loadScriptPart('model', (module: { createLazyParts(): LazyParts }) => {
    const lazy = module.createLazyParts()
    return { createDecider: (ctx) => rebrandDecider(lazy.createDecider(ctx)) }
  })

let prefetched = false

/**
 * Asks the browser to fetch `seglet-model.min.js` at low priority into its cache, for the next page (a
 * `<link rel="prefetch">`), without running it. Once per page.
 */
export function prefetchScriptParts(): void {
  const url = getRuntimeUrl()
  if (prefetched || !url || !hasPage()) return
  prefetched = true
  const link = document.createElement('link')
  // `prefetch` is fetched at the lowest priority, after the page's own requests.
  link.rel = 'prefetch'
  // The module is fetched in CORS mode: the prefetched response must match it to be reused.
  link.crossOrigin = 'anonymous'
  link.href = url
  document.head?.append(link)
}

/**
 * The script-tag build's loader of the bridges' mapping code, `seglet-bridges.min.js` beside
 * `seglet.min.js`: loaded the first time a GA4 ecommerce entry or a Shopify event arrives.
 */
export const loadScriptBridges = (): Promise<Bridges> => loadScriptPart('bridges', (module: { createBridges(): Bridges }) => module.createBridges())

/**
 * The script-tag build's loader of the declarative blocks' code, `seglet-blocks.min.js` beside
 * `seglet.min.js`: loaded the first time the page has a block.
 */
export const loadScriptBlocks = (): Promise<{ createBlocks: typeof createBlocks }> =>
  loadScriptPart<{ createBlocks: typeof createBlocks }>('blocks')

/**
 * The script-tag build's loader of the store's rarely used code (the retention pass, the `exportData()`
 * document), `seglet-prune.min.js` beside `seglet.min.js`: loaded on a page that must prune (never on a first
 * visit within `maxEvents`) or export.
 */
export const loadScriptPrune = (): Promise<PruneParts> => loadScriptPart<PruneParts>('prune')
