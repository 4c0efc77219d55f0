import { CACHE_META_PREFIX, META_STORE } from '../constants'
import { SEGMENT_META_KEY } from '../../core/constants'
import { isExpiredSegment } from '../../segments/isExpiredSegment'
import { SESSIONS_META_KEY } from '../../reports/sessionRecord'
import { isPastRetention } from '../../lib/time'

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
 * confirmed it for `retentionDays` (`isExpiredSegment()`), and the reports' session records that started before
 * `retentionDays`: they go with the events they were decided from. Never rejects: the next pass tries again.
 */
export function pruneCaches(db: IDBDatabase, retentionDays: number, now: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const store = db.transaction(META_STORE, 'readwrite').objectStore(META_STORE)
    const segment = store.get(SEGMENT_META_KEY)
    // Deleting no segment deletes nothing.
    segment.onsuccess = () => isExpiredSegment(segment.result, retentionDays, now) && store.delete(SEGMENT_META_KEY)
    // The private reports' records of recent sessions (what was decided, and a few counts of each) go with the
    // events too: kept by count, one of a session past retention would otherwise stay until newer ones pushed it out.
    const sessions = store.get(SESSIONS_META_KEY)
    sessions.onsuccess = () => {
      const records: unknown = sessions.result
      if (!Array.isArray(records)) return
      const kept = records.filter((r: { start?: unknown } | null) => !isPastRetention(r?.start, retentionDays, now))
      if (kept.length < records.length) store.put(kept, SESSIONS_META_KEY)
    }
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
