import type { StoredEvent } from '../../events/types'
import { CACHE_META_PREFIX } from '../constants'
import type { SegletExport, StorageMode } from '../types'

/**
 * The `exportData()` document of what the store keeps: `events` (merged, retention applied) and the `meta`
 * entries, caches (verified model packs) left out since they are not data about the shopper. Part of the
 * store's rarely used code: the script-tag build loads it with the retention pass (`seglet-prune.min.js`).
 *
 * @example
 * buildExport(events, [['segment', segment]], 'indexeddb')
 */
export function buildExport(events: StoredEvent[], meta: Iterable<[string, unknown]>, storage: StorageMode): SegletExport {
  return {
    format: 'seglet-export',
    version: 1,
    exportedAt: new Date().toISOString(),
    storage,
    events,
    meta: Object.fromEntries([...meta].filter(([key]) => !key.startsWith(CACHE_META_PREFIX))),
  }
}
