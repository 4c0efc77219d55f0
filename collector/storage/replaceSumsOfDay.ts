import { SQL } from './sql'
import { sumParams } from './sumParams'
import type { Queryable, SumRow } from './types'

/** Replaces the sums of one day (a re-estimate from the raw reports) in one transaction. */
export async function replaceSumsOfDay(
  db: { transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> },
  day: string,
  sums: readonly SumRow[],
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(SQL.deleteSumsOfDay, [day])
    if (sums.length === 0) return
    await tx.query(SQL.addSums, sumParams(sums))
  })
}
