import { SQL } from './sql'
import { sumParams } from './sumParams'
import { RAW_RETENTION_SETTING, readSetting } from './settings'
import type { Database, SumRow } from './types'

/** Options of `sumPending`. */
export interface SumPendingOptions {
  /**
   * Most reports added to the sums in one transaction.
   * @default 20000
   */
  limit?: number
  /**
   * Delete the raw reports once summed (no raw retention). Without it, the raw retention the collector recorded
   * (`RAW_RETENTION_SETTING`) decides: 0 deletes them. The collector's own ingest knows its retention and says,
   * so its summing passes read no setting.
   * @default the recorded retention is 0
   */
  dropRaw?: boolean
  /**
   * Also wait for the reports another process is summing at this moment (on one PostgreSQL), so that the sums
   * read once this returns hold every report stored before it was called: for a read of the estimates. Without
   * it those are skipped (they are that process's to add).
   * @default false
   */
  wait?: boolean
}

/**
 * Adds the stored reports not yet in the sums to the sums, in transactions of at most `limit` reports, until
 * none is left: each transaction takes its reports off the unsummed list and adds their sums, so a report is
 * counted exactly once even if the process dies in between, and several processes can run this at once.
 * `addUp` turns bodies into sum rows (each counter once). Returns how many reports were summed.
 *
 * @example
 * await sumPending(db, (bodies) => addUpBodies(codec, bodies))
 */
export async function sumPending(
  db: Database,
  addUp: (bodies: readonly string[]) => SumRow[],
  options: SumPendingOptions = {},
): Promise<number> {
  const limit = options.limit ?? 20_000
  let total = 0
  // A retrain or another process follows the retention of the collector: with none, no raw report outlives its sums.
  const dropRaw = options.dropRaw ?? (await readSetting(db, RAW_RETENTION_SETTING)) === '0'
  // Waiting, only the reports stored before the call: a busy ingest cannot keep the loop going.
  const upTo = options.wait ? (await db.query<{ id: string | number | null }>(SQL.lastUnsummed))[0]?.id ?? null : undefined
  if (upTo === null) return 0
  for (;;) {
    const claimed = await db.transaction(async (tx) => {
      const rows =
        upTo === undefined
          ? await tx.query<{ id: string | number; body: string }>(SQL.claimUnsummed, [limit])
          : await tx.query<{ id: string | number; body: string }>(SQL.claimUnsummedWaiting, [limit, String(upTo)])
      if (rows.length === 0) return 0
      const sums = addUp(rows.map((row) => row.body))
      if (sums.length > 0) await tx.query(SQL.addSums, sumParams(sums))
      if (dropRaw) await tx.query(SQL.deleteReportsById, [rows.map((row) => String(row.id))])
      return rows.length
    })
    total += claimed
    // Waiting, a pass that found some reports summed meanwhile by another process claims fewer than it could.
    if (upTo === undefined ? claimed < limit : claimed === 0) return total
  }
}
