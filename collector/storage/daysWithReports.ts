import { SQL } from './sql'
import type { Queryable } from './types'

/** The UTC days for which raw reports are still kept (so they can be re-estimated). */
export async function daysWithReports(db: Queryable): Promise<string[]> {
  return (await db.query<{ day: string }>(SQL.daysWithReports)).map((row) => row.day)
}
