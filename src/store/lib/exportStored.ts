import type { StoredEvent } from '../../events/types'
import { CACHE_META_PREFIX, EVENTS_STORE, META_STORE } from '../constants'
import type { Reader } from '../createReader'
import type { SegletExport, StorageMode } from '../types'
import { requestResult } from './requestResult'
import { transactionDone } from './transactionDone'

/**
 * The `exportData()` document of what the store keeps: every event and meta entry, read in one transaction
 * through `reader`, the events passed through `withUnsaved` (merged with what is not written yet, retention
 * applied) and the meta entries with those of `memoryMeta` IndexedDB holds none for (as `getMeta()` reads them), caches (verified model packs) left out since they are not
 * data about the shopper. Part of the store's rarely used code: the script-tag build loads it with the
 * retention pass (`seglet-prune.min.js`).
 *
 * @example
 * exportStored(reader, withUnsaved, memoryMeta, () => 'indexeddb')
 */
export async function exportStored(
  reader: Pick<Reader, 'read' | 'readable'>,
  withUnsaved: (events: StoredEvent[]) => StoredEvent[],
  memoryMeta: Iterable<[string, unknown]>,
  getMode: () => StorageMode,
): Promise<SegletExport> {
  const { events, meta } = await reader.read({ events: [] as StoredEvent[], meta: [] as [string, unknown][] }, async (db) => {
    const tx = db.transaction([EVENTS_STORE, META_STORE], 'readonly')
    const metaStore = tx.objectStore(META_STORE)
    const [records, metaKeys, metaValues] = await Promise.all([
      requestResult(tx.objectStore(EVENTS_STORE).getAll()),
      requestResult(metaStore.getAllKeys()),
      requestResult(metaStore.getAll()),
      transactionDone(tx),
      // Ended at once, as the store's other reads are: WebKit keeps one the page has not ended open in the back/forward cache.
      tx.commit?.(),
    ])
    return { events: reader.readable(records), meta: metaKeys.map((key, i): [string, unknown] => [String(key), metaValues[i]]) }
  })
  return {
    format: 'seglet-export',
    version: 1,
    exportedAt: new Date().toISOString(),
    storage: getMode(),
    events: withUnsaved(events),
    meta: Object.fromEntries([...memoryMeta, ...meta].filter(([key]) => !key.startsWith(CACHE_META_PREFIX))),
  }
}
