import { SQL } from './sql'
import type { Queryable } from './types'

/** How many raw reports are stored now. */
export async function countReports(db: Queryable): Promise<number> {
  const [row] = await db.query<{ count: string | number }>(SQL.countReports)
  return Number(row?.count ?? 0)
}
