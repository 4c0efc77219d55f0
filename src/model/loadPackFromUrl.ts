import { ModelPackError, OptionsError } from '../errors'
import { CACHE_META_PREFIX } from '../store/constants'
import { errorText, loadVerifiedText } from '../lib/loadVerifiedText'
import type { TextCache } from '../lib/loadVerifiedText'
import { checkPack } from '../pack/checkPack'
import { PACK_FORMAT_VERSION } from '../pack/types'
import type { ExpectedFeatureSpec, ModelPack } from '../pack/types'

/**
 * Where a fetched pack is kept between page loads: the two meta methods of the Seglet store (IndexedDB,
 * or memory when storage is not allowed).
 */
export type PackCache = TextCache

/** Options of {@link loadPackFromUrl}. */
export interface LoadPackFromUrlOptions {
  /** Subresource-integrity hash of the exact pack file: `sha256-<base64>` (`sha384-` and `sha512-` work too). Required. */
  integrity: string
  /**
   * The feature spec the SDK computes for this kind of pack; a pack that does not match is refused.
   * @default undefined (not checked here)
   */
  expected?: ExpectedFeatureSpec
  /**
   * Keeps the verified pack so later page loads make no request.
   * @default undefined (no cache: every call fetches)
   */
  cache?: PackCache
  /**
   * Largest pack file accepted, in bytes. A larger one is refused (`pack_too_large`) from its
   * `Content-Length`, or as soon as the body passes the cap, before it is parsed or cached.
   * @default MAX_PACK_BYTES (1 MB)
   */
  maxBytes?: number
}

/**
 * Largest model pack file Seglet loads by default, in bytes (1 MB). The shipped packs are under 20 KB; a
 * pack many times their size would cost the page a long task to hash and parse, and storage to cache.
 */
export const MAX_PACK_BYTES = 1024 * 1024

/**
 * Cache key of a pack: of its kind (`'session'`, `'lifetime'`) when the expected feature spec names it, else
 * of its URL. Versioned with the pack format, so an SDK that reads another format never sees old entries;
 * one entry per kind, so a shop that publishes a new pack replaces the old one even at a new URL (a version
 * or content hash in the file name or query string, as asset pipelines and Shopify's `asset_url` add),
 * instead of keeping every pack it ever shipped. The integrity hash, not the key, decides whether the
 * entry is the pack asked for.
 */
export function packCacheKey(kindOrUrl: string): string {
  // A cache, not data about the shopper: the prefix keeps it out of `exportData()`. A URL goes in encoded: the
  // retention pass deletes the entries an earlier version kept under a plain URL (`pruneCaches()`).
  return `${CACHE_META_PREFIX}model-pack@${PACK_FORMAT_VERSION}:${encodeURIComponent(kindOrUrl)}`
}

/**
 * Loads a shop's own model pack, the way Seglet loads every file (`loadVerifiedText()`): the URL must be on
 * the page's origin, no redirect is followed; the response bytes must match `integrity` before anything else reads them; the pack
 * must be valid and match the SDK's features. The verified pack is cached, so the next page load
 * makes no request. A file over `maxBytes` is refused before its body is read in full. Rejects with a
 * `ModelPackError`: `pack_origin`, `pack_load_failed`, `pack_too_large`, `pack_integrity`, `pack_invalid` or
 * `pack_spec_mismatch`.
 *
 * @example
 * const pack = await loadPackFromUrl('/seglet/session-pack.json', {
 *   integrity: 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=',
 *   expected: expectedFeatures('session'),
 *   cache: store,
 * })
 */
export async function loadPackFromUrl(url: string, options: LoadPackFromUrlOptions): Promise<ModelPack> {
  const { integrity, expected, cache, maxBytes = MAX_PACK_BYTES } = options ?? ({} as LoadPackFromUrlOptions)
  if (!(maxBytes > 0)) throw new OptionsError(`maxBytes must be a positive number of bytes, got ${String(maxBytes)}`, 'maxBytes')
  return loadVerifiedText(url, {
    integrity,
    what: 'model pack',
    cache,
    maxBytes,
    cacheKey: (href) => packCacheKey(expected?.kind ?? href),
    parse: (text) => parsePack(text, expected),
    fail: (kind, message, cause) => new ModelPackError(`pack_${kind}`, message, cause),
  })
}

function parsePack(text: string, expected: ExpectedFeatureSpec | undefined): ModelPack {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new ModelPackError('pack_invalid', `Invalid model pack: not JSON (${errorText(error)}).`, error)
  }
  return checkPack(value, expected)
}
