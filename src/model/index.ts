/**
 * The model stage's light entry: types and pure checks. TensorFlow.js and the shipped packs live in
 * `./runtime`, part of the lazily loaded half of Seglet (`src/core/lazy.ts`).
 */

export { checkPackSpec } from './checkPackSpec'
export type { ExpectedFeatureSpec } from './checkPackSpec'
export type { LoadedPack, LoadPackOptions } from './loadPack'
export { MAX_PACK_BYTES, packCacheKey } from './loadPackFromUrl'
export type { LoadPackFromUrlOptions, PackCache } from './loadPackFromUrl'
export { PACK_FORMAT_VERSION } from './pack'
export type * from './pack'
export type { GetPackOptions, ModelRuntime } from './types'
export { validatePack } from './validatePack'
