import type { Queryable } from '../storage/types'

/**
 * Makes `table` refuse new rows as PostgreSQL does on a full disk (SQLSTATE 53100, `disk_full`), while every other
 * write still goes through, as on a real full disk, where a row is still rewritten in the page it is in but no table
 * grows. Resolves to what frees the disk again (safe to call more than once, also in a `finally`).
 *
 * @example
 * const free = await fillDisk(db, 'seglet_reports')
 * try { … } finally { await free() }
 */
export async function fillDisk(db: Queryable, table: string): Promise<() => Promise<void>> {
  await db.query(`CREATE OR REPLACE FUNCTION seglet_test_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = '53100'; END $$`)
  await db.query(`CREATE TRIGGER seglet_test_disk_full BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION seglet_test_disk_full()`)
  return async () => {
    await db.query(`DROP TRIGGER IF EXISTS seglet_test_disk_full ON ${table}`)
    await db.query('DROP FUNCTION IF EXISTS seglet_test_disk_full()')
  }
}
