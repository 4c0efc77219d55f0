import { SegletError } from '../errors'
import { MAX_PRICE, MAX_STRING_LENGTH, PAGE_KEY_PATTERN } from '../events/limits'
import type { PageStats } from '../events/types'
import { isReportDay } from './lib/isReportDay'
import { checkValuePages } from './lib/checkValuePages'
import { MAX_VALUE_PAGES } from './schema'

/** `format` of a page-statistics table. */
export const PAGE_STATS_TABLE_FORMAT = 'seglet-page-stats'

/** Version of the page-statistics table format this SDK reads. */
export const PAGE_STATS_TABLE_VERSION = 1

/** Largest page-statistics table Seglet loads, in bytes (about 20,000 pages). */
export const MAX_PAGE_STATS_TABLE_BYTES = 2 * 1024 * 1024

/** Most pages a page-statistics table may list. */
export const MAX_PAGE_STATS_TABLE_PAGES = 20_000

/** One page of the table: its statistics as the collector estimated them from private reports. */
export interface PageStatsRow extends PageStats {
  /** Estimated page views behind the statistics. */
  views?: number
}

/**
 * The page-statistics table the collector writes from private reports and the SDK reads by page key
 * (`capture: { pageStatsUrl, pageStatsIntegrity }`). A statistic the collector could not yet estimate well
 * enough is left out (or `null`).
 *
 * @example
 * {
 *   format: 'seglet-page-stats', version: 1, generated: 'written by the Seglet collector — do not edit',
 *   day: '2026-11-29', epsilon: 2, reports: 123456,
 *   pages: { 'product/mug': { bounceRate: 0.21, exitRate: 0.33, pageValue: 12.5, views: 4100 } },
 * }
 */
export interface PageStatsTable {
  format: typeof PAGE_STATS_TABLE_FORMAT
  version: typeof PAGE_STATS_TABLE_VERSION
  /** Says who wrote the file (generated, never edited by hand). */
  generated: string
  /** UTC day of the newest reports behind the table, `YYYY-MM-DD`. */
  day: string
  /** ε of the reports behind the table. */
  epsilon: number
  /** Number of reports behind the table. */
  reports: number
  /** Statistics by page key. */
  pages: Record<string, PageStatsRow>
  /**
   * The page keys the page-value question of private reports asks about: a report that draws that question
   * picks one of them uniformly (README, "Private reports"). Absent in tables of older collectors.
   */
  valuePages?: string[]
}

const RANGES: Record<keyof PageStatsRow, number> = { bounceRate: 1, exitRate: 1, pageValue: MAX_PRICE, views: Number.MAX_SAFE_INTEGER }

const fail = (message: string, field?: string) => new SegletError('table_invalid', `Invalid page-statistics table: ${message}.`, { field })

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Checks an untrusted page-statistics table and returns a clean copy: only the known fields, every page key
 * a valid page key (`PAGE_KEY_PATTERN`), every rate in 0–1, page values and views ≥ 0, missing or `null`
 * statistics left out. Throws a `SegletError` with code `table_invalid` naming the first bad field.
 *
 * @example
 * const table = validatePageStatsTable(JSON.parse(text))
 * table.pages['product/mug']?.pageValue // 12.5
 */
export function validatePageStatsTable(value: unknown): PageStatsTable {
  if (!isObject(value)) throw fail('not an object')
  if (value.format !== PAGE_STATS_TABLE_FORMAT) throw fail(`format must be "${PAGE_STATS_TABLE_FORMAT}"`, 'format')
  if (value.version !== PAGE_STATS_TABLE_VERSION) throw fail(`version ${String(value.version)} is not ${PAGE_STATS_TABLE_VERSION}, the version this SDK reads`, 'version')
  if (typeof value.generated !== 'string') throw fail('generated must be a string', 'generated')
  if (!isReportDay(value.day)) throw fail('day must be a day written YYYY-MM-DD', 'day')
  if (typeof value.epsilon !== 'number' || !(value.epsilon > 0) || !Number.isFinite(value.epsilon)) throw fail('epsilon must be a positive number', 'epsilon')
  if (!Number.isSafeInteger(value.reports) || (value.reports as number) < 0) throw fail('reports must be a whole number ≥ 0', 'reports')
  if (!isObject(value.pages)) throw fail('pages must be an object keyed by page key', 'pages')
  const keys = Object.keys(value.pages)
  if (keys.length > MAX_PAGE_STATS_TABLE_PAGES) throw fail(`more than ${MAX_PAGE_STATS_TABLE_PAGES} pages`, 'pages')
  // No prototype: a page key such as "constructor" must not find anything but its own row.
  const pages: Record<string, PageStatsRow> = Object.create(null)
  for (const key of keys) {
    const at = `pages[${JSON.stringify(key.slice(0, 40))}]`
    if (key.length > MAX_STRING_LENGTH.pageKey || !PAGE_KEY_PATTERN.test(key)) throw fail(`${at} is not a page key`, at)
    const source = value.pages[key]
    if (!isObject(source)) throw fail(`${at} must be an object`, at)
    const row: PageStatsRow = {}
    for (const name of Object.keys(RANGES) as (keyof PageStatsRow)[]) {
      const stat = source[name]
      if (stat === undefined || stat === null) continue
      if (typeof stat !== 'number' || !(stat >= 0 && stat <= RANGES[name])) throw fail(`${at}.${name} must be a number from 0 to ${RANGES[name]}`, `${at}.${name}`)
      row[name] = stat
    }
    pages[key] = row
  }
  const valuePages = value.valuePages === undefined ? undefined : checkValuePages(value.valuePages)
  if (typeof valuePages === 'number')
    throw valuePages < 0 ? fail(`valuePages must be a list of at most ${MAX_VALUE_PAGES} page keys`, 'valuePages') : fail(`valuePages[${valuePages}] is not a page key`, `valuePages[${valuePages}]`)
  return {
    format: PAGE_STATS_TABLE_FORMAT,
    version: PAGE_STATS_TABLE_VERSION,
    generated: value.generated,
    day: value.day,
    epsilon: value.epsilon,
    reports: value.reports as number,
    pages,
    ...(valuePages ? { valuePages } : {}),
  }
}

/**
 * Parses the text of a page-statistics table file (see {@link validatePageStatsTable}).
 * @example
 * const table = parsePageStatsTable(await response.text())
 */
export function parsePageStatsTable(text: string): PageStatsTable {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new SegletError('table_invalid', `Invalid page-statistics table: not JSON (${String(error)}).`, { cause: error })
  }
  return validatePageStatsTable(value)
}

/**
 * The statistics of one page from the table, as a page view carries them (`views` left out), or
 * `undefined` when the table has none for that key.
 * @example
 * pageStatsOf(table, 'product/mug') // { bounceRate: 0.21, exitRate: 0.33, pageValue: 12.5 }
 */
export function pageStatsOf(table: PageStatsTable, key: string | undefined): PageStats | undefined {
  const row = key === undefined ? undefined : table.pages[key]
  if (!row) return undefined
  const { views: _views, ...stats } = row
  return stats.bounceRate === undefined && stats.exitRate === undefined && stats.pageValue === undefined ? undefined : stats
}
