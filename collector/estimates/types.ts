import type { PackContext } from '../ingest/createIngest'
import type { ReportCodec } from '../ingest/types'
import type { SumRow } from '../storage/types'

/** What an estimate is computed over. */
export interface InsightsQuery {
  /** First and last UTC day (inclusive). */
  from: string
  to: string
  /** The ε in force: the estimates are of the reports at this ε. */
  epsilon: number
  /** The candidate page-key lists stored sums were decoded against, by `pageKeyListId`. */
  pageKeyLists: Readonly<Record<string, readonly string[]>>
  /**
   * The packs known to be genuine (shipped, published, listed by the operator): the estimates follow the one with
   * the most reports, and another pack id only while none of these has any. @default [] (the most reports)
   */
  knownPacks?: readonly PackContext[]
  /**
   * Model packs (parsed JSON) in use now besides the estimator's own `packs`: those `publish-pack` or a retrain
   * published since the collector started. Their segment-leaf names reach the insights like those of `packs`.
   * @default []
   */
  packs?: readonly unknown[]
}

/** Page statistics of one page key, as the page-statistics table carries them. */
/**
 * Page statistics of one page key, as the page-statistics table carries them: a page is listed once its rates
 * or its page value are shown, each with what is shown of it.
 */
export interface PageStatsRow {
  /** Left out, with `exitRate` and `views`, while the page's rates are not shown. */
  bounceRate?: number
  exitRate?: number
  /** Left out while the page value is not shown (or the page is not on the page-value question's list). */
  pageValue?: number
  /** Estimated page views behind the rates. */
  views?: number
}

/** What the page-statistics table is written from. */
export interface PageStatsContent {
  epsilon: number
  reports: number
  pages: Record<string, PageStatsRow>
  /** The page keys the page-value question asks about (browsers draw one per page-value answer). */
  valuePages: string[]
}

/** The estimates stage: decodes stored sums into estimates with intervals, and reads/adds up reports. */
export interface Estimator<Parsed = unknown> extends ReportCodec<Parsed> {
  /** The candidate page keys page answers are decoded against. */
  readonly pageKeys: readonly string[]
  /** The insights document served at /seglet/insights.json. */
  insights(rows: readonly SumRow[], query: InsightsQuery): InsightsDocument
  /** Published page statistics (only the pages whose estimates are usable). */
  pageStats(rows: readonly SumRow[], query: InsightsQuery): PageStatsContent
  /**
   * Starts of the counters (as stored) that `insights` and `pageStats` only read added up over the window, never
   * day by day: the collector reads them summed, as rows of the window's last day. @default none
   */
  readonly windowCounters?: readonly string[]
}

/** The JSON served at /seglet/insights.json (its parts are documented where they are built). */
export interface InsightsDocument {
  format: 'seglet-insights'
  version: 1
  from: string
  to: string
  reports: number
  epsilon: number
  [part: string]: unknown
}
