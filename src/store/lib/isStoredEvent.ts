import { EVENT_TYPES, type StoredEvent } from '../../events/types'

/**
 * Shape check for a record read back from IndexedDB: a non-empty string `id`, a finite `ts` and a known
 * `type`. Cheap on purpose (it runs on every record of every read); full validation happened in `track()`.
 */
export function isStoredEvent(value: unknown): value is StoredEvent {
  if (typeof value !== 'object' || value === null) return false
  const { id, ts, type } = value as Record<string, unknown>
  return (
    typeof id === 'string' && id !== '' &&
    // Number.isFinite() is false for a non-number, and includes() for a non-string: no typeof checks needed.
    Number.isFinite(ts) &&
    (EVENT_TYPES as readonly unknown[]).includes(type)
  )
}
