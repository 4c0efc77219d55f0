/** Runs SQL: the embedded store and PostgreSQL both answer through this, so the statements are the same. */
export interface Queryable {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>
}

/** An open database: PGlite (embedded, in a data folder or in memory) or a PostgreSQL pool. */
export interface Database extends Queryable {
  readonly kind: 'embedded' | 'postgres'
  /** An embedded store that lives only as long as the process (`memory:`): no other process can open it. */
  readonly inMemory?: boolean
  /** Runs `work` in one transaction: all of it commits or none of it. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>
  close(): Promise<void>
}

/**
 * The reports whose answers can be added up together: same day, same pack (leaf lists) and same ε. Sums of
 * different groups are decoded apart.
 */
export interface ReportGroup {
  day: string
  packId: string
  epsilon: number
  segmentLeaves: number
  valueLeaves: number
}

/** One cell of the daily sums: a counter of one report group. */
export interface SumRow extends ReportGroup {
  /** JSON array naming the counter (the path into the estimator's sums). */
  counter: string
  value: number
}

/** A stored raw report: the body as received and the UTC day it describes. */
export interface RawReport {
  day: string
  body: string
}
