import { SQL } from './sql'
import type { Queryable } from './types'

/**
 * The setting holding the raw retention in force (`--raw-retention-days`, a whole number of days), recorded by the
 * collector when it starts. With `0`, every summing pass (ingest, re-estimation, `retrain`) deletes the raw
 * reports it sums, whichever process runs it (see `sumPending`).
 */
export const RAW_RETENTION_SETTING = 'reports.rawRetentionDays'

/** Reads one collector setting (for example the candidate page keys the page sums were decoded against). */
export async function readSetting(db: Queryable, key: string): Promise<string | undefined> {
  const [row] = await db.query<{ value: string }>(SQL.readSetting, [key])
  return row?.value
}

/** Writes one collector setting. */
export async function writeSetting(db: Queryable, key: string, value: string): Promise<void> {
  await db.query(SQL.writeSetting, [key, value])
}

/** Reads every collector setting whose key starts with `prefix`, by key. */
export async function readSettings(db: Queryable, prefix: string): Promise<Record<string, string>> {
  const rows = await db.query<{ key: string; value: string }>(SQL.readSettingsWithPrefix, [prefix])
  return Object.fromEntries(rows.map((row) => [row.key, row.value]))
}
