import { CACHE_META_PREFIX, META_STORE } from '../constants'
import { SEGMENT_META_KEY } from '../../core/constants'
import { isExpiredSegment } from '../../segments/isExpiredSegment'

/**
 * Model packs and the page-statistics table were once cached under their URL (`cache:model-pack@1:https://…`),
 * so each new URL a shop published them at added an entry. They are cached per kind now (`packCacheKey()`,
 * `pageStatsTableCacheKey()`; a pack loaded without a feature spec under its URL encoded, with no `://`); an
 * entry of theirs keyed by a plain URL is one no Seglet reads any more.
 */
const URL_KEYED = [`${CACHE_META_PREFIX}model-pack@`, `${CACHE_META_PREFIX}page-stats@`]

/**
 * Deletes, in a transaction of its own, the cached files no Seglet reads any more: model packs and
 * page-statistics tables kept under a URL. Each is up to a few MB and would otherwise stay until `forget()`.
 * The entries in use, the signed packs (kept per manifest URL: they hold the version no older manifest may
 * replace) and the meta entries about the shopper are left alone, but for the stored segment once no page
 * confirmed it for `retentionDays` (`isExpiredSegment()`): it goes with the events it was decided from. Never
 * rejects: the next pass tries again.
 */
export function pruneCaches(db: IDBDatabase, retentionDays: number, now: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const store = db.transaction(META_STORE, 'readwrite').objectStore(META_STORE)
    const segment = store.get(SEGMENT_META_KEY)
    // Deleting no segment deletes nothing.
    segment.onsuccess = () => isExpiredSegment(segment.result, retentionDays, now) && store.delete(SEGMENT_META_KEY)
    // Keys only: the cached texts are not read to be deleted (a key cursor cannot delete; the store can).
    const request = store.openKeyCursor(IDBKeyRange.lowerBound(CACHE_META_PREFIX))
    request.onsuccess = () => {
      const cursor = request.result
      const key = String(cursor?.key)
      if (!cursor || !key.startsWith(CACHE_META_PREFIX)) return resolve()
      if (key.includes('://') && URL_KEYED.some((prefix) => key.startsWith(prefix))) store.delete(cursor.key)
      cursor.continue()
    }
    request.onerror = () => resolve()
  }).catch(() => undefined)
}
