import { SQL } from './sql'
import type { Queryable, SumRow } from './types'

/**
 * The daily sums from `from` to `to` (UTC days, inclusive), ordered by day. Counters starting with one of
 * `windowPrefixes` (their text, as stored) are read added up over the window, as rows of day `to`.
 */
export async function readSums(db: Queryable, from: string, to: string, windowPrefixes: readonly string[] = []): Promise<SumRow[]> {
  const rows = await db.query<{
    day: string
    pack_id: string
    epsilon: number
    segment_leaves: number
    value_leaves: number
    counter: string
    value: number
  }>(
    windowPrefixes.length > 0 ? SQL.readSumsCollapsed : SQL.readSums,
    windowPrefixes.length > 0 ? [from, to, windowPrefixes.map((prefix) => `${prefix.replace(/[\\%_]/g, '\\$&')}%`)] : [from, to],
  )
  return rows.map((row) => ({
    day: row.day,
    packId: row.pack_id,
    epsilon: Number(row.epsilon),
    segmentLeaves: Number(row.segment_leaves),
    valueLeaves: Number(row.value_leaves),
    counter: row.counter,
    value: Number(row.value),
  }))
}
