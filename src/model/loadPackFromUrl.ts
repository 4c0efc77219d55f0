import { ModelPackError, OptionsError } from '../errors'
import { CACHE_META_PREFIX } from '../store/constants'
import { checkPackSpec } from './checkPackSpec'
import type { ExpectedFeatureSpec } from './checkPackSpec'
import { PACK_FORMAT_VERSION } from './pack'
import type { ModelPack } from './pack'
import { validatePack } from './validatePack'

/**
 * Where a fetched pack is kept between page loads: the two meta methods of the Seglet store (IndexedDB,
 * or memory when storage is not allowed).
 */
export interface PackCache {
  getMeta(key: string): Promise<unknown>
  setMeta(key: string, value: unknown): Promise<void>
}

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

/** What {@link loadPackFromUrl} keeps in the cache, under {@link packCacheKey}. */
interface CachedPack {
  integrity: string
  text: string
}

const ALGORITHMS: Record<string, string> = { sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' }

/**
 * Cache key of a pack URL. Versioned with the pack format, so an SDK that reads another format never
 * sees old entries; one entry per URL, so a shop that publishes a new pack replaces the old one.
 */
export function packCacheKey(url: string): string {
  // A cache, not data about the shopper: the prefix keeps it out of `exportData()`.
  return `${CACHE_META_PREFIX}model-pack@${PACK_FORMAT_VERSION}:${url}`
}

/**
 * Loads a shop's own model pack: the only network request Seglet ever makes. The URL must be on the
 * page's origin; the response bytes must match `integrity` before anything else reads them; the pack
 * must be valid and match the SDK's features. The verified pack is cached, so the next page load
 * makes no request. A file over `maxBytes` is refused before its body is read in full. Rejects with a
 * `ModelPackError`: `pack_origin`, `pack_load_failed`, `pack_too_large`, `pack_integrity`, `pack_invalid` or
 * `pack_spec_mismatch`.
 *
 * @example
 * const pack = await loadPackFromUrl('/seglet/session-pack.json', {
 *   integrity: 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=',
 *   expected: { kind: 'session', version: SESSION_FEATURE_SPEC_VERSION, names: SESSION_FEATURE_NAMES },
 *   cache: store,
 * })
 */
export async function loadPackFromUrl(url: string, options: LoadPackFromUrlOptions): Promise<ModelPack> {
  const { integrity, expected, cache, maxBytes = MAX_PACK_BYTES } = options ?? ({} as LoadPackFromUrlOptions)
  if (!(maxBytes > 0)) throw new OptionsError(`maxBytes must be a positive number of bytes, got ${String(maxBytes)}`, 'maxBytes')
  const [, prefix, expectedDigest] = /^(sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})$/.exec(String(integrity).trim()) ?? []
  if (!prefix) {
    throw new OptionsError(`A pack URL needs an integrity hash like "sha256-<base64>", got ${JSON.stringify(integrity)}`, 'integrity')
  }
  const href = sameOriginUrl(url)
  const key = packCacheKey(href)

  const cached = await readCache(cache, key, integrity)
  if (cached !== undefined && (await digest(prefix, new TextEncoder().encode(cached))) === expectedDigest) {
    return parsePack(cached, expected)
  }

  let bytes: ArrayBuffer
  try {
    // No redirects: a redirect could take the request to another origin.
    const response = await fetch(href, { credentials: 'same-origin', redirect: 'error' })
    if (!response.ok) throw new Error(`HTTP ${response.status}`)
    bytes = await readBody(response, maxBytes, href)
  } catch (error) {
    if (error instanceof ModelPackError) throw error
    throw new ModelPackError('pack_load_failed', `The model pack ${href} could not be loaded: ${errorText(error)}.`, error)
  }
  const actualDigest = await digest(prefix, bytes)
  if (actualDigest !== expectedDigest) {
    throw new ModelPackError(
      'pack_integrity',
      `The model pack ${href} does not match its integrity hash: expected ${prefix}-${expectedDigest}, got ${prefix}-${actualDigest}. It was not used.`,
    )
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch (error) {
    throw new ModelPackError('pack_invalid', `Invalid model pack: ${href} is not UTF-8 text.`, error)
  }
  const pack = parsePack(text, expected)
  if (cache) {
    // A full or failing store only costs the next page load a request.
    await cache.setMeta(key, { integrity, text } satisfies CachedPack).catch(() => undefined)
  }
  return pack
}

/** The body of `response`, refused as soon as it is known to be over `maxBytes`: from `Content-Length`, or while streaming. */
async function readBody(response: Response, maxBytes: number, href: string): Promise<ArrayBuffer> {
  const tooLarge = () => {
    void response.body?.cancel().catch(() => {})
    return new ModelPackError('pack_too_large', `The model pack ${href} is larger than ${maxBytes} bytes (maxBytes); it was not used.`)
  }
  if (Number(response.headers.get('content-length')) > maxBytes) throw tooLarge()
  if (!response.body) return response.arrayBuffer()
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      void reader.cancel().catch(() => {})
      throw tooLarge()
    }
    chunks[chunks.length] = value
  }
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes.buffer
}

function sameOriginUrl(url: string): string {
  // Without a page there is no origin to compare with: refuse rather than guess.
  const page = typeof location !== 'undefined' ? location : undefined
  let parsed: URL | undefined
  try {
    parsed = page ? new URL(url, page.href) : undefined
  } catch {
    // Falls through to the refusal below.
  }
  if (!page || !parsed || parsed.origin !== page.origin) {
    throw new ModelPackError(
      'pack_origin',
      `The model pack URL ${JSON.stringify(url)} is not on this page's origin (${page ? page.origin : 'no page'}); Seglet only loads packs from the shop's own origin.`,
    )
  }
  return parsed.href
}

async function readCache(cache: PackCache | undefined, key: string, integrity: string): Promise<string | undefined> {
  if (!cache) return undefined
  try {
    const entry = (await cache.getMeta(key)) as Partial<CachedPack> | undefined
    return entry && entry.integrity === integrity && typeof entry.text === 'string' ? entry.text : undefined
  } catch {
    return undefined
  }
}

async function digest(prefix: string, bytes: BufferSource): Promise<string> {
  const subtle = typeof crypto !== 'undefined' ? crypto.subtle : undefined
  if (!subtle) {
    throw new ModelPackError('pack_integrity', 'The model pack integrity cannot be checked: crypto.subtle is unavailable (the page is not served over HTTPS).')
  }
  const hash = new Uint8Array(await subtle.digest(ALGORITHMS[prefix], bytes))
  let binary = ''
  for (let i = 0; i < hash.length; i++) binary += String.fromCharCode(hash[i])
  return btoa(binary)
}

function parsePack(text: string, expected: ExpectedFeatureSpec | undefined): ModelPack {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new ModelPackError('pack_invalid', `Invalid model pack: not JSON (${errorText(error)}).`, error)
  }
  const pack = validatePack(value)
  if (expected) checkPackSpec(pack, expected)
  return pack
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
