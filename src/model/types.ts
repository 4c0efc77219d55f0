import type { checkPack } from '../pack/checkPack'
import type { ExpectedFeatureSpec, ModelPack } from '../pack/types'
import type { disposePack, LoadedPack, loadPack, predict } from './loadPack'
import type { loadPackFromUrl, PackCache } from './loadPackFromUrl'
import type { LoadSignedPacksOptions } from '../pack/loadSignedPacks'

/** Options of {@link ModelRuntime.getPack}. */
export interface GetPackOptions {
  /**
   * The shop's own pack (same origin), used instead of the shipped one. Requires `integrity`.
   * @default undefined (the pack shipped with Seglet)
   */
  url?: string
  /** `sha256-<base64>` of the file at `url`. */
  integrity?: string
  /**
   * The feature spec the SDK computes for this kind; a pack that does not match is refused.
   * @default undefined (not checked)
   */
  expected?: ExpectedFeatureSpec
  /**
   * Cache for a pack loaded from `url` (the store's `getMeta`/`setMeta`).
   * @default undefined (no cache)
   */
  cache?: PackCache
  /**
   * The shop's signed packs (`model.packKey`): when the manifest has a verified pack of this kind, it is used
   * instead of `url` or the shipped pack. Checked once per page, at most daily; see `loadSignedPacks()`.
   * @default undefined (no signed packs)
   */
  signed?: LoadSignedPacksOptions
  /**
   * Resolves in a later task: awaited between checking and decoding a pack and building its tensors, so a
   * page's first pack load is two tasks rather than one. Only the first load of a pack pauses.
   * @default undefined (no pause)
   */
  pause?: () => Promise<void>
}

/** The model runtime, as `createModelRuntime()` (src/model/runtime.ts) makes it. */
export interface ModelRuntime {
  /**
   * The pack of one kind, loaded and ready for {@link ModelRuntime.predict}: the shop's pack when `url` is
   * given, else the shipped one. Memoised per kind, URL and integrity; a failed load is retried next call.
   * @example
   * const session = await runtime.getPack('session', { expected: expectedFeatures('session') })
   */
  getPack(kind: ModelPack['kind'], options?: GetPackOptions): Promise<LoadedPack>
  /** Runs a loaded pack on one normalised input vector. See `predict()`. */
  predict: typeof predict
  /** Validates a pack and builds its weight tensors. See `loadPack()`. */
  loadPack: typeof loadPack
  /** Frees a pack's tensors. See `disposePack()`. */
  disposePack: typeof disposePack
  /** Fetches, verifies and caches a shop's pack. See `loadPackFromUrl()`. */
  loadPackFromUrl: typeof loadPackFromUrl
  /** The one pack check (shape, then features): throws `pack_invalid` or `pack_spec_mismatch`. See `checkPack()`. */
  checkPack: typeof checkPack
}
