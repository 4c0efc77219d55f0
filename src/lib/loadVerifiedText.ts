import { OptionsError } from '../errors'
import type { SegletError } from '../errors'
import { bytesToBase64 } from './bytesToBase64'
import { fetchFileBytes } from './fetchFileBytes'
import { sameOriginUrl } from './sameOriginUrl'

/** Where a verified file is kept between page loads: the two meta methods of the Seglet store. */
export interface TextCache {
  getMeta(key: string): Promise<unknown>
  setMeta(key: string, value: unknown): Promise<unknown>
}

/** Why a file was refused: not on the page's origin, not loaded, over its size cap, not matching its hash, or not valid. */
export type VerifiedTextFailure = 'origin' | 'load_failed' | 'too_large' | 'integrity' | 'invalid'

/** Options of {@link loadVerifiedText}. */
export interface LoadVerifiedTextOptions<T> {
  /** Subresource-integrity hash of the exact file: `sha256-<base64>` (`sha384-` and `sha512-` work too). */
  integrity: string
  /** What the file is, for messages ("model pack"). */
  what: string
  /** Checks and reads the verified text; throws (a `SegletError`) to refuse it. */
  parse: (text: string) => T
  /** Builds the error for each kind of refusal. */
  fail: (kind: VerifiedTextFailure, message: string, cause?: unknown) => SegletError
  /** Cache key of the file's absolute URL. */
  cacheKey: (href: string) => string
  /**
   * Keeps the verified text so later page loads make no request.
   * @default undefined (no cache: every call fetches)
   */
  cache?: TextCache
  /**
   * Largest accepted file, in bytes: a bigger one is refused (`too_large`) from its `Content-Length`, or as
   * soon as the body passes the cap while it streams, before it is hashed, parsed or cached.
   * @default Infinity
   */
  maxBytes?: number
}

/** What {@link loadVerifiedText} keeps in the cache. */
interface CachedText {
  integrity: string
  text: string
}

const ALGORITHMS: Record<string, string> = { sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' }

/**
 * Loads a file the shop publishes for Seglet (a model pack, the page-statistics table) the one way Seglet
 * loads anything: from the page's own origin only, without following redirects, its bytes checked against
 * `integrity` before anything reads them, then `parse`d; the verified text is cached, so the next page
 * load makes no request. A malformed `integrity` throws an `OptionsError`; every refusal rejects with
 * `fail(kind, …)`.
 *
 * @example
 * const table = await loadVerifiedText('/seglet/page-stats.json', {
 *   integrity, what: 'page-statistics table', parse: parseTable, fail: (kind, m) => new SegletError(`table_${kind}`, m),
 *   cacheKey: (href) => `page-stats:${href}`, cache: store,
 * })
 */
export async function loadVerifiedText<T>(url: string, options: LoadVerifiedTextOptions<T>): Promise<T> {
  const { integrity, what, parse, fail, cacheKey, cache, maxBytes = Infinity } = options
  const [, prefix, expectedDigest] = /^(sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})$/.exec(String(integrity).trim()) ?? []
  if (!prefix) {
    throw new OptionsError(`A ${what} URL needs an integrity hash like "sha256-<base64>", got ${JSON.stringify(integrity)}`, 'integrity')
  }
  const href = sameOriginUrl(url)
  if (!href) {
    const origin = typeof location !== 'undefined' ? location.origin : 'no page'
    throw fail('origin', `The ${what} URL ${JSON.stringify(url)} is not on this page's origin (${origin}); Seglet only loads files from the shop's own origin.`)
  }
  const key = cacheKey(href)
  // The text is cached with its byte-order mark, so it re-encodes to the very bytes the hash covers; parsed without it.
  const read = (text: string) => parse(text.replace(/^\uFEFF/, ''))

  const cached = await readCache(cache, key, integrity)
  if (cached !== undefined && (await digest(prefix, new TextEncoder().encode(cached), what, fail)) === expectedDigest) {
    return read(cached)
  }

  const bytes = await fetchFileBytes(href, what, maxBytes, fail)
  const actualDigest = await digest(prefix, bytes, what, fail)
  if (actualDigest !== expectedDigest) {
    throw fail(
      'integrity',
      `The ${what} ${href} does not match its integrity hash: expected ${prefix}-${expectedDigest}, got ${prefix}-${actualDigest}. It was not used.`,
    )
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
  } catch (error) {
    throw fail('invalid', `Invalid ${what}: ${href} is not UTF-8 text.`, error)
  }
  const value = read(text)
  if (cache) {
    // A full or failing store only costs the next page load a request.
    await cache.setMeta(key, { integrity, text } satisfies CachedText).catch(() => undefined)
  }
  return value
}

async function readCache(cache: TextCache | undefined, key: string, integrity: string): Promise<string | undefined> {
  if (!cache) return undefined
  try {
    const entry = (await cache.getMeta(key)) as Partial<CachedText> | undefined
    return entry && entry.integrity === integrity && typeof entry.text === 'string' ? entry.text : undefined
  } catch {
    return undefined
  }
}

async function digest(prefix: string, bytes: BufferSource, what: string, fail: LoadVerifiedTextOptions<unknown>['fail']): Promise<string> {
  const subtle = typeof crypto !== 'undefined' ? crypto.subtle : undefined
  if (!subtle) {
    throw fail('integrity', `The ${what} integrity cannot be checked: crypto.subtle is unavailable (the page is not served over HTTPS).`)
  }
  return bytesToBase64(await subtle.digest(ALGORITHMS[prefix], bytes))
}

/** The message of a thrown value. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
