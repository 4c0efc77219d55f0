import { PAGE_CLASS_COUNT } from '../schema'

/** Page-answer code of an empty slot (the session had fewer pages than the slot drawn). */
export const EMPTY_PAGE_CODE = PAGE_CLASS_COUNT

/**
 * 28-bit FNV-1a hash of a page key (over its UTF-16 code units). Two different keys of one shop share a
 * hash with probability about n²/2^29 for n keys; the collector checks its candidates for that.
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
 * The integer a page answer encodes: key hash × 8 + class, class = flow × 2 + order followed, with flow
 * 0 = continued, 1 = exited after other pages, 2 = bounced. Below 2^31 − 1, the hash family's prime.
 */
export function pageCode(keyHash: number, flow: number, orderFollowed: boolean): number {
  return keyHash * 8 + flow * 2 + (orderFollowed ? 1 : 0)
}
