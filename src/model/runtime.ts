/**
 * The lazily loaded model runtime: TensorFlow.js (core + a handful of CPU kernels) and the shipped packs.
 * Only the lazily loaded half of Seglet (`src/core/lazy.ts`) imports it: a chunk for bundlers,
 * `seglet-model.min.js` for the script tag, loaded after the page's own work.
 */
import { OptionsError } from '../errors'
import { checkPack } from '../pack/checkPack'
import { buildPack, disposePack, loadPack, predict, readPack } from './loadPack'
import type { LoadedPack, ReadPack } from './loadPack'
import { loadPackFromUrl } from './loadPackFromUrl'
import { loadSignedPacks } from '../pack/loadSignedPacks'
import type { SignedPacks } from '../pack/loadSignedPacks'
import { SHIPPED_PACKS } from './shippedPacks'
import type { GetPackOptions, ModelRuntime } from './types'

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
  // One check of the signed manifest per page (it never rejects), shared by both kinds.
  const signedSets = new Map<string, Promise<SignedPacks | undefined>>()
  const memo = (key: string, load: () => Promise<LoadedPack>) => {
    let pending = loaded.get(key)
    if (!pending) {
      pending = load()
      pending.catch(() => loaded.delete(key))
      loaded.set(key, pending)
    }
    return pending
  }
  // Reads a pack (a signed one comes with the weights decoded when it was verified), yields to the page
  // if asked to, then builds its tensors.
  const load = async (value: unknown, expected: GetPackOptions['expected'], pause: GetPackOptions['pause'], weights?: ReadPack['weights']) => {
    const read = weights ? { pack: checkPack(value, expected), weights } : readPack(value, { expected })
    await pause?.()
    return buildPack(read)
  }
  const getPack: ModelRuntime['getPack'] = (kind, options = {}) => {
    const { url, integrity, expected, cache, signed, pause } = options
    if (signed) {
      const setKey = `${signed.manifestUrl} ${signed.packKey}`
      let set = signedSets.get(setKey)
      if (!set) signedSets.set(setKey, (set = loadSignedPacks(signed)))
      return set.then((s) => {
        const pack = s?.packs[kind]
        return pack ? memo(`${kind} signed ${setKey} ${s!.version}`, () => load(pack, expected, pause, s!.weights[kind])) : getPack(kind, { ...options, signed: undefined })
      })
    }
    if (url !== undefined && !integrity) {
      return Promise.reject(new OptionsError(`The ${kind} pack URL needs an integrity hash ("sha256-<base64>")`, 'integrity'))
    }
    return memo(url === undefined ? kind : `${kind} ${url} ${integrity}`, async () => {
      const pack = url === undefined ? SHIPPED_PACKS[kind] : await loadPackFromUrl(url, { integrity: integrity!, expected, cache })
      return load(pack, expected, pause)
    })
  }
  return {
    getPack,
    predict,
    loadPack,
    disposePack,
    loadPackFromUrl,
    checkPack,
  }
}
