/**
 * The lazily loaded model runtime: TensorFlow.js (core + a handful of CPU kernels) and the shipped packs.
 * Only the lazily loaded half of Seglet (`src/core/lazy.ts`) imports it: a chunk for bundlers,
 * `seglet-model.min.js` for the script tag, loaded after the page's own work.
 */
import { OptionsError } from '../errors'
import { checkPack } from '../pack/checkPack'
import { disposePack, loadPack, predict } from './loadPack'
import type { LoadedPack } from './loadPack'
import { loadPackFromUrl } from './loadPackFromUrl'
import { SHIPPED_PACKS } from './shippedPacks'
import type { ModelRuntime } from './types'

export { checkPack, disposePack, loadPack, loadPackFromUrl, predict, SHIPPED_PACKS }
export type { GetPackOptions, ModelRuntime } from './types'

/**
 * Creates the runtime object. Loading the module registers nothing; the CPU backend and kernels are
 * registered on the first `loadPack()`.
 *
 * @example
 * const { createModelRuntime } = await import('./runtime')
 * const runtime = createModelRuntime()
 */
export function createModelRuntime(): ModelRuntime {
  const loaded = new Map<string, Promise<LoadedPack>>()
  return {
    getPack(kind, options = {}) {
      const { url, integrity, expected, cache } = options
      if (url !== undefined && !integrity) {
        return Promise.reject(new OptionsError(`The ${kind} pack URL needs an integrity hash ("sha256-<base64>")`, 'integrity'))
      }
      const key = url === undefined ? kind : `${kind} ${url} ${integrity}`
      let pending = loaded.get(key)
      if (!pending) {
        pending = (async () => {
          const pack = url === undefined ? SHIPPED_PACKS[kind] : await loadPackFromUrl(url, { integrity: integrity!, expected, cache })
          return loadPack(pack, { expected })
        })()
        pending.catch(() => loaded.delete(key))
        loaded.set(key, pending)
      }
      return pending
    },
    predict,
    loadPack,
    disposePack,
    loadPackFromUrl,
    checkPack,
  }
}
