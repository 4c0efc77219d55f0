import { addDays } from '../lib/addDays'
import { SQL } from './sql'
import type { Database, Queryable } from './types'

/**
 * Deletes the raw reports of days older than `retentionDays` before `today`; their daily sums stay. With
 * `retentionDays` 0 every raw report goes (the collector then keeps none in the first place). The embedded store
 * runs no autovacuum, so there the space the deleted reports (and the summed ids) held is then vacuumed for reuse:
 * without it the store would grow with every report ever received, whatever the retention.
 */
export async function purgeReports(db: Queryable & { kind?: Database['kind'] }, today: string, retentionDays: number): Promise<void> {
  await db.query(SQL.deleteReportsBefore, [addDays(today, -retentionDays + 1)])
  if (db.kind === 'embedded') await db.query(SQL.vacuumReports)
}
