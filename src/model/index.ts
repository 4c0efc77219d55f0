/**
 * The model stage's light entry: types and pure checks. TensorFlow.js and the shipped packs live in
 * `./runtime`, part of the lazily loaded half of Seglet (`src/core/lazy.ts`). The pack format itself
 * (types, the one check, the weight codec) lives in `src/pack/`.
 */

export { checkPack, PACK_FORMAT_VERSION } from '../pack'
export type * from '../pack/types'
export type { LoadedPack, LoadPackOptions } from './loadPack'
export { MAX_PACK_BYTES, packCacheKey } from './loadPackFromUrl'
export type { LoadPackFromUrlOptions, PackCache } from './loadPackFromUrl'
export type { GetPackOptions, ModelRuntime } from './types'
