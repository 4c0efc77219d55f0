import { SQL } from './sql'
import type { Queryable, SumRow } from './types'

/** The daily sums from `from` to `to` (UTC days, inclusive), ordered by day. */
export async function readSums(db: Queryable, from: string, to: string): Promise<SumRow[]> {
  const rows = await db.query<{
    day: string
    pack_id: string
    epsilon: number
    segment_leaves: number
    value_leaves: number
    counter: string
    value: number
  }>(
    SQL.readSums,
    [from, to],
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
