import { createHash } from 'node:crypto'

/**
 * A short, stable name of a candidate page-key list. Page sums record which list they were decoded against by
 * this name (one counter per batch instead of one per key); the lists themselves are kept in the settings.
 */
export function pageKeyListId(keys: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(keys)).digest('hex').slice(0, 16)
}
