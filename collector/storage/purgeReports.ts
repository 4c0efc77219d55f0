import { addDays } from '../lib/addDays'
import { SQL } from './sql'
import type { Database, Queryable } from './types'

/** Most raw reports one statement of a purge deletes. */
export const PURGE_PART = 5_000

/**
 * Deletes the raw reports of days older than `retentionDays` before `today`; their daily sums stay. With
 * `retentionDays` 0 every raw report goes (the collector then keeps none in the first place). The embedded store
 * runs no autovacuum, so there the space the deleted reports (and the summed ids) held is then vacuumed for reuse:
 * without it the store would grow with every report ever received, whatever the retention. Its query planner's
 * statistics of the sums are gathered there too (PostgreSQL's autovacuum gathers them itself), and it is
 * checkpointed, which PostgreSQL's checkpointer does on its own: the write-ahead log before it is then recycled.
 */
export async function purgeReports(db: Queryable & { kind?: Database['kind'] }, today: string, retentionDays: number): Promise<void> {
  const before = addDays(today, -retentionDays + 1)
  // In parts, each a fraction of a second on the embedded store, which runs statements on the collector's only
  // thread: reports and page requests waiting meanwhile are served between them.
  for (;;) {
    const [row] = await db.query<{ count: number }>(SQL.deleteReportsBefore, [before, PURGE_PART])
    if (!row || Number(row.count) === 0) break
    await new Promise((next) => setImmediate(next))
  }
  if (db.kind === 'embedded') {
    await db.query(SQL.vacuumReports)
    await db.query(SQL.analyzeSums)
    await db.query(SQL.checkpoint)
  }
}
