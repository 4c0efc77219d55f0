/**
 * The model-pack contract, in one place: the types, the one check used by training and the browser
 * (`checkPack`), the weight codec (`encodeWeights` / `decodeWeights`) and the k-means centroids
 * (`readPackKMeans`). Pure TypeScript without TensorFlow.js, so training, the collector and the browser share it.
 */

export { base64ToArrayBuffer, bytesToBase64 } from './base64'
export { checkPack } from './checkPack'
export { readPackKMeans } from './readPackKMeans'
export { PACK_FORMAT_VERSION } from './types'
export type * from './types'
export { decodeWeights, encodeWeights } from './weightCodec'
