import { deleteDB } from 'idb'
import { StorageError } from '../../errors/index'
import { toStorageError } from './toStorageError'

/**
 * Deletes the database `name`. The caller closes its own connection first; other Seglet tabs close theirs
 * on `versionchange`. A connection that stays open (an older page, any other script) blocks the deletion:
 * after `timeoutMs` of that, this rejects with a `StorageError` (`storage_blocked`), while the browser keeps
 * the deletion queued and completes it as soon as that connection closes. An open of the same name issued
 * later waits behind it, so nothing can re-create the database meanwhile.
 */
export function deleteDatabase(name: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined
    deleteDB(name, {
      blocked: () => {
        timer ??= setTimeout(() => reject(new StorageError('storage_blocked', 'Another tab keeps the database open; the deletion completes when it closes')), timeoutMs)
      },
    }).then(resolve, (error: unknown) => reject(toStorageError(error, 'storage_failed', 'IndexedDB could not be deleted')))
      .finally(() => clearTimeout(timer))
  })
}
