import { StorageError } from '../../errors/index'

type StorageCode = ConstructorParameters<typeof StorageError>[0]

/**
 * Wraps what IndexedDB threw or aborted with in a `StorageError`. Quota errors get `storage_quota`
 * whatever `code` says (Firefox before v80 named them `NS_ERROR_DOM_QUOTA_REACHED`).
 */
export function toStorageError(error: unknown, code: StorageCode, message: string): StorageError {
  if (error instanceof StorageError) return error
  // A DOMException's or Error's name; a primitive has none.
  const name = (error as { name?: unknown } | null | undefined)?.name
  if (name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED') {
    return new StorageError('storage_quota', `${message}: storage quota exceeded`, error)
  }
  return new StorageError(code, typeof name === 'string' ? `${message}: ${name}` : message, error)
}
