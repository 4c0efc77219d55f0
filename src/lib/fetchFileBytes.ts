import type { SegletError } from '../errors'
import { readCappedBody } from './readCappedBody'

/** Why a fetch of a shop file failed: not loaded, or over its size cap. */
export type FetchFailure = 'load_failed' | 'too_large'

/**
 * How long a file's request may go without any progress (no response yet, or no byte of its body) before it
 * is given up as `load_failed`: a hung server then costs the page this long, not the browser's own minutes.
 * A slow but working connection is never cut, however long the whole file takes.
 */
export const STALL_MS = 30_000

/**
 * The bytes of a same-origin file (`href` already checked by `sameOriginUrl()`), fetched the one way Seglet
 * fetches: no redirect followed (one could lead to another origin), no `Referer` (the page's address), the body
 * refused as soon as it passes `maxBytes`, the request given up after {@link STALL_MS} without progress. Rejects with
 * `fail('too_large' | 'load_failed', …)`.
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
  const controller = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  // Started now, and again at the response and at each chunk of the body.
  const progressed = () => {
    clearTimeout(timer)
    timer = setTimeout(() => controller.abort(new Error(`no data for ${STALL_MS / 1000} s`)), STALL_MS)
  }
  progressed()
  try {
    // No Referer: the page's address (a product, an order confirmation, a query) is not the file's business.
    const response = await fetch(href, { credentials, redirect: 'error', referrerPolicy: 'no-referrer', signal: controller.signal })
    if (!response.ok) throw new Error(`HTTP ${response.status}`)
    progressed()
    return await readCappedBody(response, maxBytes, () => fail('too_large', `The ${what} ${href} is larger than ${maxBytes} bytes; it was not used.`), progressed)
  } catch (error) {
    if (error instanceof Error && (error as SegletError).code?.endsWith('too_large')) throw error
    throw fail('load_failed', `The ${what} ${href} could not be loaded: ${error instanceof Error ? error.message : String(error)}.`, error)
  } finally {
    clearTimeout(timer)
  }
}
