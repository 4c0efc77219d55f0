import { SEGMENT_HINT_COOKIE } from './constants'

/**
 * The segment hint cookie's value on this document (`personalize.segmentHint`), for what the device holds: the
 * privacy panel and `exportData()`. `undefined` when it has none, and without a document or its cookies (a server,
 * a sandboxed document).
 *
 * @example readSegmentHintCookie() // 'casual-browser.low'
 */
export function readSegmentHintCookie(): string | undefined {
  try {
    for (const pair of document.cookie.split('; ')) if (pair.startsWith(SEGMENT_HINT_COOKIE + '=')) return pair.slice(SEGMENT_HINT_COOKIE.length + 1)
  } catch {
    // No document (server), or a sandboxed one without cookies.
  }
}
