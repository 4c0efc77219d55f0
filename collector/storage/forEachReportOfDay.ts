import { SQL } from './sql'
import type { Queryable } from './types'

/** Page size of a re-estimate: bounds the memory a day with millions of reports needs. */
const PAGE = 5_000

/**
 * Calls `visit` with every raw report body kept for `day` and already added to the sums, in pages, in the order
 * they arrived.
 */
export async function forEachReportOfDay(db: Queryable, day: string, visit: (body: string) => void): Promise<number> {
  let after = 0
  let seen = 0
  for (;;) {
    const rows = await db.query<{ id: string | number; body: string }>(SQL.readReportsOfDay, [day, after, PAGE])
    for (const row of rows) visit(row.body)
    seen += rows.length
    if (rows.length < PAGE) return seen
    after = Number(rows[rows.length - 1]!.id)
  }
}
