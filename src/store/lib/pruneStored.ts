import type { RetentionPolicy } from '../../privacy/retention'
import { EVENTS_STORE } from '../constants'
import type { exportStored } from './exportStored'
import type { pruneEvents } from './pruneEvents'
import { transactionDone } from './transactionDone'

/** The store's rarely used code (src/store/prune.ts): the retention pass and the export document. */
export interface PruneParts {
  pruneEvents: typeof pruneEvents
  exportStored: typeof exportStored
}

/** The store's rarely used code, given directly or as a loader of it. */
export type PruneSource = PruneParts | (() => Promise<PruneParts>)

/** The parts `source` gives (loading them when it is a loader). */
export const loadPruneParts = (source: PruneSource): Promise<PruneParts> => (typeof source === 'function' ? source() : Promise.resolve(source))

/**
 * Applies retention to what `db` stores, in a transaction of its own: its cursor walk takes a few round
 * trips, and a page that goes away meanwhile aborts whatever has not committed, so it must never hold the
 * events back. Never rejects: a failed pass (the connection closing) is not worth reporting, the next flush
 * prunes again; code that could not be loaded goes to `onLoadFailed` (the next flush tries again).
 */
export function pruneStored(db: IDBDatabase, source: PruneSource, policy: RetentionPolicy, now: number, onLoadFailed: (error: unknown) => void): Promise<void> {
  return loadPruneParts(source)
    .then((loaded) => {
      const tx = db.transaction(EVENTS_STORE, 'readwrite')
      return Promise.all([loaded.pruneEvents(tx, policy, now), transactionDone(tx)])
    }, onLoadFailed)
    .then(
      () => {},
      () => {},
    )
}
