/**
 * The model stage's light entry: types, pure checks and the lazy loader. TensorFlow.js and the shipped
 * packs live in `./runtime`, a separate chunk that only `loadModelRuntime()` loads.
 */
import { SegletError } from '../errors'
import type { ModelRuntime } from './types'

export { checkPackSpec } from './checkPackSpec'
export type { ExpectedFeatureSpec } from './checkPackSpec'
export type { LoadedPack, LoadPackOptions } from './loadPack'
export { packCacheKey } from './loadPackFromUrl'
export type { LoadPackFromUrlOptions, PackCache } from './loadPackFromUrl'
export { PACK_FORMAT_VERSION } from './pack'
export type * from './pack'
export type { GetPackOptions, ModelRuntime } from './types'
export { validatePack } from './validatePack'

let runtime: Promise<ModelRuntime> | undefined

/**
 * Loads the model runtime chunk (TensorFlow.js core, the CPU kernels the packs need, the shipped packs)
 * with a dynamic `import()`, once. Call it off the critical path — from an idle callback, as Seglet's core
 * does — so it never delays the page. A failed load (say, a network error fetching the chunk) is retried
 * on the next call.
 *
 * @example
 * whenIdle(async () => {
 *   const runtime = await loadModelRuntime()
 *   const session = await runtime.getPack('session', { expected })
 *   const { segment, intent } = runtime.predict(session, input)
 * })
 */
export function loadModelRuntime(): Promise<ModelRuntime> {
  runtime ??= import('./runtime').then(
    (module) => module.createModelRuntime(),
    (error: unknown) => {
      runtime = undefined
      throw new SegletError('model_failed', `The model runtime could not be loaded: ${String(error)}`, { cause: error })
    },
  )
  return runtime
}
