import { webLocks } from './webLocks'

/** Name of the Web Lock held while a meta value is read, changed and written back. */
export const META_LOCK = 'seglet-meta'

/**
 * Runs `task`, a read, change and write of a meta value, holding {@link META_LOCK}: the shop's tabs share
 * one database, and two tabs doing this at once would each write over the other's change. Tabs wait for
 * the lock in turn. Without Web Locks, or where the page may not take one (an opaque origin), `task` runs
 * as it is.
 *
 * @example
 * await withMetaLock(async () => store.setMeta(key, change(await store.getMeta(key))))
 */
export async function withMetaLock<T>(task: () => Promise<T>): Promise<T> {
  const locks = webLocks()
  if (!locks) return task()
  let ran = false
  try {
    return await locks.request(META_LOCK, () => {
      ran = true
      return task()
    })
  } catch (error) {
    if (ran) throw error
    return task()
  }
}
