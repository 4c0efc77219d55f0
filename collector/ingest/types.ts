import type { ReportGroup } from '../storage/types'

/**
 * How the collector reads and adds up reports; the estimates stage provides it from the report module's own
 * `parseReport` and sums, so ingest never knows an encoding.
 */
export interface ReportCodec<Parsed = unknown> {
  /** Checks a body (JSON text); throws an error with a `code` (`report_malformed`, `report_out_of_range`, …). */
  parse(body: string): Parsed
  /** The group whose sums the report adds to. */
  groupOf(report: Parsed): ReportGroup
  /** The counters `reports` (all of `group`) add, as [counter, amount]; each counter once. */
  addUp(group: ReportGroup, reports: readonly Parsed[]): Iterable<readonly [string, number]>
  /**
   * The counter every report adds 1 to, if there is one: re-estimation compares it with a day's kept raw
   * reports, and leaves the sums of a day that has lost some of them as they are.
   */
  readonly counted?: string
}

/** What happened to one submitted body; `status` is the HTTP status to answer. */
export type IngestOutcome =
  | { status: 202; code: 'accepted' }
  | { status: 400; code: 'report_malformed' | 'body_unreadable' | 'body_not_utf8' }
  | { status: 409; code: 'report_replayed' }
  | { status: 413; code: 'report_too_large' }
  | { status: 422; code: string }
  | { status: 503; code: 'storage_failed' | 'storage_timeout' }
  /** Its write was sent but not answered in time (see `writeTimeoutMs`): it may be stored, so it is not answered. */
  | { status: 'unanswered'; code: 'storage_unconfirmed' }
  | { status: 503; code: 'reports_capped' | 'packs_capped'; retryAfter: number }
