/** Page-answer code of "no page" (the slot drawn was empty, or the session had no page). */
export const EMPTY_PAGE_CODE = 7

/**
 * 28-bit FNV-1a hash of a page key (over its UTF-16 code units). Two different keys of one shop share a
 * hash with probability about n²/2^29 for n keys; `createInsightSums` refuses such a pair.
 */
export function pageKeyHash(key: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return (h >>> 0) >>> 4
}

/**
 * The integer a page answer encodes: key hash × 8 + its bit (order followed for pageView, bounced for
 * pageExit). Below 2^31 − 1, the hash family's prime; never equal to EMPTY_PAGE_CODE.
 */
export function pageCode(keyHash: number, bit: boolean): number {
  return keyHash * 8 + (bit ? 1 : 0)
}
