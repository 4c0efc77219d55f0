import { DB_VERSION, EVENTS_STORE, META_STORE } from '../constants'

type UpgradeStep = (db: IDBDatabase, tx: IDBTransaction) => void

/** `UPGRADE_STEPS[n]` takes a database from version n to n + 1. Append only. */
const UPGRADE_STEPS: UpgradeStep[] = [
  // v1: events keyed by their unique id (so several tabs can `put` without colliding), by time.
  (db) => {
    db.createObjectStore(EVENTS_STORE, { keyPath: 'id' }).createIndex('ts', 'ts')
  },
  // v2: a type index for pruning purchases separately, and the key/value meta store.
  (db, tx) => {
    tx.objectStore(EVENTS_STORE).createIndex('type', 'type')
    db.createObjectStore(META_STORE)
  },
]

/**
 * The `upgradeneeded` step of opening: runs every step from `oldVersion` up to `DB_VERSION`, inside the
 * version-change transaction `tx`, so existing records are kept and a failed step leaves the old database intact.
 */
export function upgradeDatabase(db: IDBDatabase, oldVersion: number, tx: IDBTransaction): void {
  for (let version = oldVersion; version < DB_VERSION; version++) UPGRADE_STEPS[version](db, tx)
}
