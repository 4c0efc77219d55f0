import type { StoredEvent } from '../src/events/types'
import { specialDayCloseness } from '../src/features/specialDayCloseness'
import type { SessionAggregate } from '../src/features/types'
import { parseCsv, readDataFile, separatorProblem } from './data'
import { csvRow } from './csvRow'
import { DataError } from './dataError'

/** One row of UCI Online Shoppers (only the columns a browser can reproduce, plus the label). */
export interface ShoppersRow {
  /** 0-based data row index (the fixed split uses `index % 5 === 0` for test). */
  index: number
  administrative: number
  administrativeDuration: number
  informational: number
  informationalDuration: number
  productRelated: number
  productRelatedDuration: number
  bounceRates: number
  exitRates: number
  pageValues: number
  specialDay: number
  /** 0 = January. */
  month: number
  visitorType: 'Returning_Visitor' | 'New_Visitor' | 'Other'
  weekend: boolean
  revenue: boolean
}

const MONTHS: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, June: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
}

const REQUIRED = [
  'Administrative', 'Administrative_Duration', 'Informational', 'Informational_Duration', 'ProductRelated',
  'ProductRelated_Duration', 'BounceRates', 'ExitRates', 'PageValues', 'SpecialDay', 'Month', 'VisitorType',
  'Weekend', 'Revenue',
]

/** Parses the UCI Online Shoppers CSV text. Throws on a missing column or an unparsable value. */
export function parseShoppers(text: string): ShoppersRow[] {
  const lines: number[] = []
  const lineOf = new Map<string[], number>()
  const table = parseCsv(text, lines).filter((r, i) => (lineOf.set(r, lines[i]), r.length > 1 || r[0] !== ''))
  if (table.length === 0) throw new DataError('Online Shoppers CSV: the file is empty')
  const header = table[0].map((h) => h.trim())
  const missing = REQUIRED.filter((name) => !header.includes(name))
  const separated = missing.length > 0 ? separatorProblem(table[0], REQUIRED) : undefined
  if (separated) throw new DataError(`Online Shoppers CSV: ${separated} (a spreadsheet saved it in another language's format); give the data set's file as published`)
  if (missing.length > 0) throw new DataError(`Online Shoppers CSV: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`)
  const rows: ShoppersRow[] = []
  for (let r = 1; r < table.length; r++) {
    const { cell, number: num, problem } = csvRow('Online Shoppers CSV', lineOf.get(table[r]), header, table[r])
    const month = MONTHS[cell('Month')]
    if (month === undefined) throw problem('Month', `unknown month ${JSON.stringify(cell('Month'))} (Jan … Dec)`)
    for (const name of ['Weekend', 'Revenue']) {
      if (!/^(true|false)$/i.test(cell(name))) throw problem(name, `${JSON.stringify(cell(name))} is not TRUE or FALSE`)
    }
    const visitor = cell('VisitorType')
    rows.push({
      index: r - 1,
      administrative: num('Administrative'),
      administrativeDuration: num('Administrative_Duration'),
      informational: num('Informational'),
      informationalDuration: num('Informational_Duration'),
      productRelated: num('ProductRelated'),
      productRelatedDuration: num('ProductRelated_Duration'),
      bounceRates: num('BounceRates'),
      exitRates: num('ExitRates'),
      pageValues: num('PageValues'),
      specialDay: num('SpecialDay'),
      month,
      visitorType: visitor === 'Returning_Visitor' || visitor === 'New_Visitor' ? visitor : 'Other',
      weekend: cell('Weekend').toUpperCase() === 'TRUE',
      revenue: cell('Revenue').toUpperCase() === 'TRUE',
    })
  }
  return rows
}

/** Reads and parses the CSV file, with its sha256. */
export function loadShoppers(path: string): { rows: ShoppersRow[]; sha256: string; verified?: boolean } {
  const file = readDataFile(path)
  return { rows: parseShoppers(file.text), sha256: file.sha256, verified: file.verified }
}

/** Seconds rounded to whole milliseconds, the precision of `engagement.visibleMs`. */
function seconds(value: number): number {
  return Math.round(value * 1000) / 1000
}

/**
 * The `SessionAggregate` a browser would build for this row. `VisitorType` Other counts as not returning
 * (a browser only knows whether earlier sessions are stored). With `withStats: false` the page statistics are
 * treated as missing, as for a shop that does not supply them.
 */
export function rowToAggregate(row: ShoppersRow, options: { withStats?: boolean } = {}): SessionAggregate {
  const pages = row.administrative + row.informational + row.productRelated
  return {
    administrativePages: row.administrative,
    administrativeSeconds: seconds(row.administrativeDuration),
    informationalPages: row.informational,
    informationalSeconds: seconds(row.informationalDuration),
    productPages: row.productRelated,
    productSeconds: seconds(row.productRelatedDuration),
    // UCI sessions with no page in any group still visited a page (they carry page statistics): an `other` page.
    pageViews: Math.max(1, pages),
    productViews: 0,
    searches: 0,
    cartReached: false,
    checkoutReached: false,
    // UCI has no cart, product-view, scroll or clock columns: these read as "none" and the shipped pack,
    // trained on UCI, does not read them (PUBLIC_SESSION_FEATURE_NAMES).
    productsAdded: 0,
    productsRemoved: 0,
    cartValue: 0,
    viewedPriceLevel: 0,
    distinctCategories: 0,
    scrollDepth: 0,
    daysSincePreviousSession: 0,
    hour: 0,
    month: row.month,
    weekend: row.weekend,
    specialDay: row.specialDay,
    returning: row.visitorType === 'Returning_Visitor',
    stats: options.withStats === false ? null : { bounceRate: row.bounceRates, exitRate: row.exitRates, pageValue: row.pageValues },
  }
}

const dateCache = new Map<string, number>()

/**
 * A local-time day (10:00) in the row's month whose weekend flag and special-day closeness (default calendar)
 * match the row. Years 2016–2043 are searched so every combination that exists can be found.
 */
export function sessionStartFor(month: number, weekend: boolean, specialDay: number): number {
  const key = `${month}|${weekend}|${specialDay}`
  const hit = dateCache.get(key)
  if (hit !== undefined) return hit
  for (let year = 2016; year < 2044; year++) {
    for (let day = 1; day <= 31; day++) {
      const date = new Date(year, month, day, 10, 0, 0)
      if (date.getMonth() !== month) break
      const isWeekend = date.getDay() === 0 || date.getDay() === 6
      if (isWeekend === weekend && Math.abs(specialDayCloseness(date.getTime()) - specialDay) < 1e-9) {
        dateCache.set(key, date.getTime())
        return date.getTime()
      }
    }
  }
  throw new Error(`no date in month ${month + 1} with weekend=${weekend} and specialDay=${specialDay}`)
}

/**
 * Replays a UCI row as the Seglet events a browser would have stored: one `page_view` (with the row's page
 * statistics) and one `engagement` per page, the group's duration split over its pages in whole milliseconds.
 * A returning visitor gets an earlier session the day before. Events are one second apart (visible time is a
 * field of the engagement event, so long pages do not open inactivity gaps).
 *
 * @example
 * const { sessionRaw } = computeFeatures(rowToEvents(row), Infinity)
 */
export function rowToEvents(row: ShoppersRow, options: { withStats?: boolean } = {}): StoredEvent[] {
  const start = sessionStartFor(row.month, row.weekend, row.specialDay)
  const events: StoredEvent[] = []
  let seq = 0
  const push = (event: Record<string, unknown>, ts: number): void => {
    events.push({ ...event, id: `r${row.index.toString(16).padStart(8, '0')}${(seq++).toString(16).padStart(8, '0')}`, ts } as StoredEvent)
  }
  if (row.visitorType === 'Returning_Visitor') push({ type: 'page_view', url: '/', pageType: 'home' }, start - 86_400_000)
  const stats = options.withStats === false ? undefined : { bounceRate: row.bounceRates, exitRate: row.exitRates, pageValue: row.pageValues }
  let t = start
  const groups: Array<[number, number, 'account' | 'informational' | 'product', string]> = [
    [row.administrative, row.administrativeDuration, 'account', '/account'],
    [row.informational, row.informationalDuration, 'informational', '/about'],
    [row.productRelated, row.productRelatedDuration, 'product', '/p'],
  ]
  if (row.administrative + row.informational + row.productRelated === 0) {
    push({ type: 'page_view', url: '/landing', pageType: 'other', ...(stats ? { stats } : {}) }, t)
    t += 1000
  }
  for (const [pages, duration, pageType, path] of groups) {
    const totalMs = Math.round(duration * 1000)
    const views = Math.max(pages, totalMs > 0 ? 1 : 0)
    const base = views > 0 ? Math.floor(totalMs / views) : 0
    for (let i = 0; i < views; i++) {
      const url = `${path}/${i}`
      if (i < pages) push({ type: 'page_view', url, pageType, ...(stats ? { stats } : {}) }, t)
      t += 1000
      const visibleMs = base + (i === 0 ? totalMs - base * views : 0)
      push({ type: 'engagement', url, pageType, visibleMs, scrollDepth: 0.5 }, t)
      t += 1000
    }
  }
  return events
}
