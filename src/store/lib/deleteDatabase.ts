import { StorageError } from '../../errors/index'
import { toStorageError } from './toStorageError'

/**
 * Deletes the database `name`; resolves with whether there was one. The caller closes its own connection
 * first; other Seglet tabs close theirs on `versionchange`. A connection that stays open (an older page, any
 * other script) blocks the deletion: after `timeoutMs` of that, this rejects with a `StorageError`
 * (`storage_blocked`), while the browser keeps the deletion queued and completes it as soon as that
 * connection closes. An open of the same name issued later waits behind it, so nothing re-creates the
 * database meanwhile.
 */
export function deleteDatabase(name: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const fail = (error: unknown) => {
      clearTimeout(timer)
      reject(toStorageError(error, 'storage_failed', 'IndexedDB could not be deleted'))
    }
    try {
      const request = indexedDB.deleteDatabase(name)
      // `oldVersion` is 0 when there was no such database.
      request.onsuccess = (event) => {
        clearTimeout(timer)
        resolve((event as IDBVersionChangeEvent).oldVersion > 0)
      }
      request.onerror = () => fail(request.error)
      request.onblocked = () => {
        timer ??= setTimeout(fail, timeoutMs, new StorageError('storage_blocked', 'Another tab blocks deletion until it closes'))
      }
    } catch (error) {
      fail(error)
    }
  })
}
