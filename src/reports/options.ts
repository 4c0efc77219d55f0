import { OptionsError, SegletError } from '../errors'
import { sameOriginUrl } from '../lib/sameOriginUrl'
import { isReportEpsilon } from './lib/isReportEpsilon'
import { DEFAULT_DAILY_EPSILON } from './schema'

/**
 * Private reports to the shop's own collector (`reports` of `createSeglet()`). Off unless `endpoint` is set.
 *
 * @example
 * createSeglet({ consent: 'granted', reports: { endpoint: '/seglet/reports' } })
 */
export interface ReportOptions {
  /**
   * Path on the shop's own origin that receives the reports (`'/seglet/reports'`). Another origin, a URL
   * with a user name or password, a relative path (`'seglet/reports'`, `'?r'`: it would carry the page's address),
   * and redirects are refused.
   * @default undefined (no reports)
   */
  endpoint?: string
  /**
   * Privacy budget ε a browser may spend per UTC day, from 0.1 to 8 in hundredths. One report spends it
   * all, so a browser sends at most one report a day.
   * @default DEFAULT_DAILY_EPSILON (2)
   */
  epsilonPerDay?: number
  /**
   * Share of reports, from 0 to 1, that answer the training question (README, "Private training") instead of
   * an insights question; each report still answers one question with the whole daily ε.
   * @default 0 (no training answers)
   */
  learnShare?: number
}

/** {@link ReportOptions} checked: the endpoint's absolute URL and the daily ε; `learnShare` is checked by `encodeReport()`. */
export interface ReportSettings {
  href: string
  epsilonPerDay: number
  learnShare: number
}

/**
 * Checks the report options (`learnShare` is checked where it is used, by `encodeReport()`, before any budget is
 * spent). Throws an `OptionsError` for a malformed value (a relative endpoint among them) and a `SegletError` with code
 * `report_origin` for an endpoint that is not on the page's origin.
 *
 * @example
 * readReportOptions({ endpoint: '/seglet/reports' }) // { href: 'https://shop.example/seglet/reports', epsilonPerDay: 2 }
 */
export function readReportOptions(options: ReportOptions): ReportSettings {
  if (typeof options !== 'object' || options === null) throw new OptionsError('reports must be an object like { endpoint: "/seglet/reports" }', 'reports')
  const { endpoint, epsilonPerDay = DEFAULT_DAILY_EPSILON, learnShare = 0 } = options
  const href = sameOriginUrl(endpoint)
  // Resolved against the page, a relative endpoint ('seglet/reports', '?r') would put the page's address into every
  // report's request: only one that lands where it does from a page far from the root (a path from the root, a full
  // URL) is taken. Not the root itself: from the home page a relative one lands there, and would be taken there only.
  if (typeof endpoint !== 'string' || endpoint.trim() === '' || (href && href !== new URL(endpoint, new URL('/_/_/_/_/_/_/_/_?_', href)).href))
    throw new OptionsError('reports.endpoint must be a path from the root of this origin, like "/seglet/reports"', 'endpoint')
  if (!isReportEpsilon(epsilonPerDay)) throw new OptionsError(`reports.epsilonPerDay must be a number from 0.1 to 8 in hundredths, got ${String(epsilonPerDay)}`, 'epsilonPerDay')
  if (!href) {
    throw new SegletError('report_origin', `The report endpoint ${JSON.stringify(endpoint.slice(0, 200))} is not on this page's origin; Seglet sends reports only to the shop's own origin.`, { field: 'endpoint' })
  }
  return { href, epsilonPerDay, learnShare }
}
