import type { SegletError } from '../errors'
import { readCappedBody } from './readCappedBody'

/** Why a fetch of a shop file failed: not loaded, or over its size cap. */
export type FetchFailure = 'load_failed' | 'too_large'

/**
 * The bytes of a same-origin file (`href` already checked by `sameOriginUrl()`), fetched the one way Seglet
 * fetches: no redirect followed (one could lead to another origin), the body refused as soon as it passes
 * `maxBytes`. Rejects with `fail('too_large' | 'load_failed', …)`.
 *
 * @example
 * const bytes = await fetchFileBytes(href, 'model pack', MAX_PACK_BYTES, (kind, m) => new ModelPackError(`pack_${kind}`, m))
 */
export async function fetchFileBytes(
  href: string,
  what: string,
  maxBytes: number,
  fail: (kind: FetchFailure, message: string, cause?: unknown) => SegletError,
  credentials: RequestCredentials = 'same-origin',
): Promise<ArrayBuffer> {
  try {
    const response = await fetch(href, { credentials, redirect: 'error' })
    if (!response.ok) throw new Error(`HTTP ${response.status}`)
    return await readCappedBody(response, maxBytes, () => fail('too_large', `The ${what} ${href} is larger than ${maxBytes} bytes; it was not used.`))
  } catch (error) {
    if (error instanceof Error && (error as SegletError).code?.endsWith('too_large')) throw error
    throw fail('load_failed', `The ${what} ${href} could not be loaded: ${error instanceof Error ? error.message : String(error)}.`, error)
  }
}
