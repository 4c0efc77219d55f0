import { CollectorError } from '../lib/CollectorError'
import { MIGRATIONS, SQL } from './sql'
import type { Database } from './types'

/**
 * Brings the schema up to date: applies every migration not yet recorded, in order, in one transaction that
 * holds an advisory lock, so processes starting together against one PostgreSQL apply each exactly once.
 * Returns the versions it applied. A database a newer collector has migrated is refused (`collector_storage`), with
 * nothing changed: this version would write rows its tables may no longer take, or that version no longer reads.
 */
export async function migrate(db: Database): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query(SQL.lockMigrations)
    await tx.query(SQL.createMigrationsTable)
    const done = new Set((await tx.query<{ version: number }>(SQL.appliedMigrations)).map((row) => Number(row.version)))
    const newest = Math.max(...MIGRATIONS.map((m) => m.version))
    const found = Math.max(...done)
    if (found > newest) {
      throw new CollectorError('collector_storage', `the database's schema is version ${found}, newer than this collector's ${newest}: a newer Seglet collector has used it; run that version (or a later one) on it`, '--database')
    }
    const applied: number[] = []
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue
      for (const statement of migration.sql.split(';').map((s) => s.trim()).filter(Boolean)) await tx.query(statement)
      await tx.query(SQL.recordMigration, [migration.version, migration.name])
      applied.push(migration.version)
    }
    return applied
  })
}
