import type { ErrorReporter } from '../errors/index'
import type { PageStats, PageType, StoredEvent } from '../events/types'

/**
 * One URL rule: a RegExp tested against the page's path and query, a string that must occur in them, or a
 * function of them that returns `true` for a match.
 *
 * @example
 * const rule: PageTypePattern = [/^\/shop\/[^/]+$/, 'product']
 */
export type PageTypePattern = readonly [pattern: RegExp | string | ((url: string) => boolean), pageType: PageType]

/**
 * Where page statistics come from when the page has no `<meta name="seglet:page-stats">`: a table keyed by
 * path (the path and query are tried first, then the path alone), or a function of the path and query. A session's
 * statistics count only when one of its page views has a page value (README, "Page statistics").
 *
 * @example
 * const stats: PageStatsSource = { '/': { bounceRate: 0.02, exitRate: 0.05, pageValue: 0 } }
 */
export type PageStatsSource = Readonly<Record<string, PageStats>> | ((url: string) => PageStats | undefined)

/**
 * Options of `createCapture()`. Every field is optional.
 *
 * @example
 * const options: CaptureOptions = { scrollDepth: false, dataLayerName: 'shopLayer' }
 */
export interface CaptureOptions {
  /**
   * Master switch for everything automatic: page views, engagement, scroll depth and the `dataLayer` bridge.
   * With `false`, only `track()` and `shopifyEvent()` capture.
   * @default true
   */
  autocapture?: boolean
  /**
   * A `page_view` on `start()` and on every SPA navigation (`pushState`, `popstate`, `replaceState` to a new path).
   * A `replaceState` within the path (a variant picker, a filter) only updates the current page view's URL.
   * @default true
   */
  pageViews?: boolean
  /**
   * `engagement` events with the time the page was visible, sent when the page changes, is hidden or is left.
   * @default true
   */
  engagement?: boolean
  /**
   * Measure the deepest scroll of each page view for `engagement` events (reported as 0 when off).
   * @default true
   */
  scrollDepth?: boolean
  /**
   * Read GA4 ecommerce events from `window[dataLayerName]`: entries already there and every later push.
   * @default true
   */
  dataLayer?: boolean
  /**
   * Name of the GA4 / Google Tag Manager data layer on `window`.
   * @default 'dataLayer'
   */
  dataLayerName?: string
  /**
   * URL rules for the page type, tried in order after `<meta name="seglet:page-type">` and schema.org `Product`
   * JSON-LD; the first match wins, `other` when none does. Replaces the defaults.
   * @default DEFAULT_PAGE_TYPE_PATTERNS
   */
  pageTypePatterns?: readonly PageTypePattern[]
  /**
   * Page statistics for pages without `<meta name="seglet:page-stats">`.
   * @default undefined (no statistics)
   */
  pageStats?: PageStatsSource
  /**
   * URL (same origin only) of the page-statistics table the Seglet collector writes from private reports; it
   * gives page views the statistics of their page key that they do not carry of their own
   * (`<meta name="seglet:page-key">`). Loaded after the page's work like a model pack: checked against
   * `pageStatsIntegrity` before it is parsed, at most `MAX_PAGE_STATS_TABLE_BYTES`, cached. Requires
   * `pageStatsIntegrity`.
   * @default undefined (no table)
   */
  pageStatsUrl?: string
  /**
   * `sha256-<base64>` of the page-statistics table file: the collector writes it beside the file, with the
   * table's own name in `page-stats.current.json` (`{ file, integrity, day }`) and in `page-stats.json.integrity`.
   */
  pageStatsIntegrity?: string
}

/** Everything `createCapture()` needs from the rest of Seglet. */
export interface CaptureDependencies {
  /** Receives every validated, stamped event. Must be cheap: called on the caller's stack. */
  enqueue: (event: StoredEvent) => void
  /** Receives failures of autocapture (`autocapture_failed`) and the bridges (`bridge_invalid`). */
  onError: ErrorReporter
  options?: CaptureOptions
}

/**
 * The capture stage: direct tracking, autocapture and the Shopify bridge.
 *
 * @example
 * const capture = createCapture({ enqueue: store.add, onError: report, options: {} })
 * capture.start()
 * capture.track({ type: 'search', query: 'red shoes' })
 */
export interface Capture {
  /**
   * Validates, stamps `id` and `ts`, and queues one event; `undefined` for a page view of the address whose page
   * view this page recorded last (the same page view, not queued again). Throws `ValidationError` for bad input.
   */
  track(event: unknown): StoredEvent | undefined
  /** Starts autocapture (idempotent). Does nothing without a `window`. */
  start(): void
  /** Flushes engagement, removes every listener and restores `history` and `dataLayer.push` (idempotent). */
  stop(): void
  /**
   * Emits the current page view's engagement so far, when it changed: an update of the page view's one
   * record. With `hide` (idempotent), when the page is hidden or left: first takes a page view that still
   * waits for the bridges' code, without it, then stops the clock until the page is visible again. The capture
   * has no hide listener of its own: the store calls it before each write, with `hide` at its hide-time write,
   * so every write carries the page's time so far.
   */
  engagement(hide: boolean): void
  /** Maps one Shopify Web Pixels event object, handed over by code in the page. Never throws. */
  shopifyEvent(event: unknown): void
}
