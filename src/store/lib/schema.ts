import type { DBSchema } from 'idb'
import type { StoredEvent } from '../../events/types'

/** The current IndexedDB schema, for `idb`'s typed API. Older versions are described in `upgradeDatabase`. */
export interface SegletDBSchema extends DBSchema {
  events: {
    key: string
    value: StoredEvent
    indexes: { ts: number; type: string }
  }
  meta: {
    key: string
    value: unknown
  }
}
