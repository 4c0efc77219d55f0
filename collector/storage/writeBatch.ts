import { SQL } from './sql'
import { sumParams } from './sumParams'
import type { Queryable, RawReport, SumRow } from './types'

/**
 * Stores one ingest batch in one transaction: the raw reports (when they are kept at all) and the batch's sums,
 * added to the daily sums. Either both land or neither does, so a sum never counts a report that was not stored.
 * `sums` must hold each (day, packId, epsilon, counter) once: the batch adds its own rows up before.
 */
export async function writeBatch(
  db: { transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> },
  reports: readonly RawReport[],
  sums: readonly SumRow[],
): Promise<void> {
  if (reports.length === 0 && sums.length === 0) return
  await db.transaction(async (tx) => {
    if (reports.length > 0) {
      await tx.query(SQL.insertReports, [reports.map((r) => r.day), reports.map((r) => r.body)])
    }
    if (sums.length > 0) {
      await tx.query(SQL.addSums, sumParams(sums))
    }
  })
}
