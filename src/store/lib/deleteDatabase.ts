import { deleteDB } from 'idb'
import { toStorageError } from './toStorageError'

/**
 * Deletes the database `name`. The caller closes its own connection first; other Seglet tabs close
 * theirs on `versionchange`, so the deletion is only delayed (`onBlocked`) while a foreign connection
 * stays open, and completes when it closes. Rejects with a `StorageError`.
 */
export async function deleteDatabase(name: string, onBlocked: () => void): Promise<void> {
  try {
    await deleteDB(name, { blocked: () => onBlocked() })
  } catch (error) {
    throw toStorageError(error, 'storage_failed', 'IndexedDB could not be deleted')
  }
}
