import { addDays } from '../lib/addDays'
import { SQL } from './sql'
import type { Queryable } from './types'

/**
 * Deletes the raw reports of days older than `retentionDays` before `today`; their daily sums stay. With
 * `retentionDays` 0 every raw report goes (the collector then keeps none in the first place).
 */
export async function purgeReports(db: Queryable, today: string, retentionDays: number): Promise<void> {
  await db.query(SQL.deleteReportsBefore, [addDays(today, -retentionDays + 1)])
}
