import { SEGMENT_HINT_COOKIE } from './constants'

/**
 * Removes the segment hint cookie (consent denied or withdrawn, `forget()`). Only writes `document.cookie`,
 * never reads it; without a document, or in a sandboxed one that has no cookies, there is nothing to remove.
 *
 * @example clearSegmentHint()
 */
export function clearSegmentHint(): void {
  try {
    document.cookie = SEGMENT_HINT_COOKIE + '=; Max-Age=0; Path=/'
  } catch {
    // No document (server) or no cookies (sandboxed document): nothing was ever written.
  }
}
