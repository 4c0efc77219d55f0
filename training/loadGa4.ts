import { createHash } from 'node:crypto'
import type { PageType, ShopperEvent, StoredEvent } from '../src/events/types'
import { validateEvent } from '../src/events/validateEvent'
import { matchPageType } from '../src/capture/lib/matchPageType'
import { mapGa4Items } from '../src/capture/lib/mapGa4Items'
import { sumItems } from '../src/capture/lib/sumItems'
import { DEFAULT_PAGE_TYPE_PATTERNS } from '../src/capture/pageTypePatterns'
import { normalizeUrl } from '../src/events/lib/normalizeUrl'
import { dataLines } from './data'
import { DataError } from './dataError'
import type { LoadedEvents } from './loadedEvents'

/** One row of the GA4 BigQuery export (`events_YYYYMMDD` tables) as exported to NDJSON; the fields Seglet reads. */
export interface Ga4Row {
  /** The day of the `events_YYYYMMDD` table the row is from (`YYYYMMDD`). */
  event_date?: string | null
  event_name: string
  /** Microseconds since the epoch (BigQuery INT64; a string in some exports). */
  event_timestamp: number | string
  /** The device: the shopper training groups by. */
  user_pseudo_id?: string | null
  /** The shop's login; not read (see `parseGa4Ndjson`). */
  user_id?: string | null
  event_params?: Array<{ key: string; value: { string_value?: string | null; int_value?: number | string | null; float_value?: number | null; double_value?: number | null } }> | null
  items?: Array<Record<string, unknown>> | null
  ecommerce?: { transaction_id?: string | null; purchase_revenue?: number | null; refund_value?: number | null; total_item_quantity?: number | null } | null
}

/** Event names that become Seglet events; everything else only adds its engagement time to the page it was on. */
export const GA4_EVENT_NAMES = ['page_view', 'view_item', 'add_to_cart', 'remove_from_cart', 'begin_checkout', 'purchase', 'refund', 'view_search_results', 'search', 'scroll', 'user_engagement'] as const

/** 1973-03-03 in microseconds: smaller values are milliseconds or seconds (GA4 began in 2020). */
const MIN_MICROS = 1e14

/** The `event_params` read here; the others are dropped as each row is read. */
const READ_PARAMS: ReadonlyArray<string | undefined> = ['page_location', 'engagement_time_msec', 'percent_scrolled', 'currency', 'value', 'transaction_id', 'search_term']

/** A GA4 `event_params` value of any type, as a string or number (BigQuery keeps each type in its own field). */
export function ga4Param(row: Ga4Row, key: string): string | number | undefined {
  const found = row.event_params?.find((p) => p.key === key)?.value
  if (!found) return undefined
  if (found.string_value !== null && found.string_value !== undefined) return found.string_value
  // INT64 values come as strings in JSON exports.
  for (const v of [found.int_value, found.double_value, found.float_value]) if (v !== null && v !== undefined) return Number(v)
  return undefined
}

const num = (v: unknown): number | undefined => {
  const n = typeof v === 'string' ? Number(v) : v
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined
}

/**
 * Reads a GA4 BigQuery export as NDJSON (one `events_*` row per line; blank lines and lines starting with
 * `#` are skipped; a Buffer is read line by line, so an export of any size can be read) into Seglet events per
 * shopper, in time order. A shopper is a device (`user_pseudo_id`), never `user_id`: each browser holds only its
 * own device's history, so a shop's login joining a phone and a laptop would train on histories no browser has
 * (a first visit on the laptop counted as returning). Rows without a `user_pseudo_id` (consent mode's cookieless
 * pings) are skipped.
 *
 * Mapping: `page_view` → `page_view` (URL from `page_location`, page type from Seglet's URL rules) plus one
 * `engagement` per page view, summing the `engagement_time_msec` of that page's events and the deepest `scroll`
 * (`percent_scrolled`); `view_item` → `product_view` of its first item; `add_to_cart` / `remove_from_cart` → one event per item;
 * `begin_checkout`, `purchase` (order id from `ecommerce.transaction_id` or the `transaction_id` param, value
 * from `ecommerce.purchase_revenue` or the `value` param, else the sum of the items, as the browser's bridge), `refund`; `view_search_results` / `search` → `search`.
 * Every event goes through the SDK's own `validateEvent`: a row it refuses is counted in `skipped`, never guessed.
 */
export function parseGa4Ndjson(input: string | Buffer | ReadonlyArray<{ data: string | Buffer; source: string }>): LoadedEvents {
  // An export BigQuery wrote as several files is read as one: a shopper's rows come together wherever they are.
  const inputs = typeof input === 'string' || Buffer.isBuffer(input) ? [{ data: input, source: '' }] : input
  const byShopper = new Map<string, StoredEvent[]>()
  const skipped: Record<string, number> = {}
  const skip = (why: string) => {
    skipped[why] = (skipped[why] ?? 0) + 1
  }
  const rows: Array<{ row: Ga4Row; micros: number; ts: number; shopper: string; day?: string }> = []
  // With several files: each day's rows in each file, as a count of each row (by its text's hash), and the days
  // (`<file> <day>`) of the rows without a user_pseudo_id; see `repeatedDays`.
  const days = new Map<string, Map<number, Map<string, number>>>()
  const anonymous: string[] = []
  for (const [file, { data, source }] of inputs.entries()) for (const [number, line] of dataLines(data)) {
    const trimmed = line.trim()
    if (trimmed === '' || trimmed.startsWith('#')) continue
    const where = `${source === '' ? '' : `${source}: `}GA4 NDJSON line ${number}`
    let row: Ga4Row
    try {
      row = JSON.parse(trimmed)
    } catch (error) {
      throw new DataError(`${where}: ${(error as Error).message}`)
    }
    const micros = num(row?.event_timestamp)
    const shopper = row?.user_pseudo_id
    if (typeof row?.event_name !== 'string' || micros === undefined) throw new DataError(`${where}: expected an events_* row with event_name and event_timestamp`)
    // GA4 writes microseconds; milliseconds or seconds (a converted export) would put every event in 1970.
    if (micros < MIN_MICROS) throw new DataError(`${where}: event_timestamp ${row.event_timestamp} is not in microseconds since 1970 (it would be ${new Date(micros / 1000).toISOString()}); export the column as GA4 writes it`)
    let day: string | undefined
    if (inputs.length > 1) {
      // The daily table the row is from (`event_date`), else its UTC date.
      const date = row.event_date
      const table = typeof date === 'string' ? date : new Date(micros / 1000).toISOString().slice(0, 10)
      day = `${file} ${table}`
      const byFile = days.get(table) ?? new Map<number, Map<string, number>>()
      days.set(table, byFile)
      const counts = byFile.get(file) ?? new Map<string, number>()
      byFile.set(file, counts)
      // 128 bits of the row's hash: a short key, as an export may hold millions of rows.
      const key = createHash('sha256').update(trimmed).digest().toString('latin1', 0, 16)
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
    if (typeof shopper !== 'string' || shopper === '') {
      if (day === undefined) skip('no user_pseudo_id')
      else anonymous.push(day)
      continue
    }
    // A tool that flattens nested fields (event_params as a JSON string) gives rows this loader cannot read.
    if (row.event_params != null && !Array.isArray(row.event_params)) throw new DataError(`${where}: event_params must be a list of { key, value } as BigQuery exports it, not ${typeof row.event_params === 'string' ? 'a string' : typeof row.event_params}`)
    // Only what is read below is kept: an export row carries far more (device, geo, traffic source, …).
    const params = row.event_params?.filter((p) => READ_PARAMS.includes(p?.key))
    rows.push({ row: { event_name: row.event_name, event_timestamp: micros, event_params: params, items: itemsAsPushed(row.items), ecommerce: row.ecommerce }, micros, ts: Math.floor(micros / 1000), shopper, day })
  }
  let read = 0
  if (inputs.length > 1) {
    // A day exported twice, in two files of overlapping periods, is read from one of them.
    const repeated = repeatedDays(days)
    let kept = 0
    for (const entry of rows) if (!repeated.has(entry.day!)) rows[kept++] = entry
    read = rows.length - kept
    rows.length = kept
    let dropped = read
    for (const day of anonymous) {
      if (repeated.has(day)) dropped++
      else skip('no user_pseudo_id')
    }
    if (dropped > 0) skipped[REPEATED_DAY] = dropped
  }
  // In the order of the microseconds GA4 records (a page view and the scroll on it may share a millisecond);
  // rows of one microsecond in the order they were read (the files' order, then their lines').
  rows.sort((a, b) => a.micros - b.micros)

  // Per shopper: the open page view's engagement, written out when the next page view starts.
  const open = new Map<string, { event: StoredEvent & { type: 'engagement' } }>()
  let n = 0
  const add = (shopper: string, ts: number, input: Record<string, unknown>) => {
    let event: ShopperEvent
    try {
      event = validateEvent(input)
    } catch {
      skip(`invalid ${String(input.type)}`)
      return undefined
    }
    const stored = { ...event, id: `ga4-${++n}`, ts } as StoredEvent
    const list = byShopper.get(shopper)
    if (list) list.push(stored)
    else byShopper.set(shopper, [stored])
    return stored
  }
  for (const { row, ts, shopper } of rows) {
    const currency = ga4Param(row, 'currency')
    const url = normalizeUrl(String(ga4Param(row, 'page_location') ?? '')) ?? '/'
    const engagementMs = num(ga4Param(row, 'engagement_time_msec')) ?? 0
    const items = (mapGa4Items(row.items ?? []) as Array<Record<string, unknown>>) ?? []
    if (row.event_name === 'page_view') {
      const pageType: PageType = matchPageType(url, DEFAULT_PAGE_TYPE_PATTERNS)
      add(shopper, ts, { type: 'page_view', url, pageType })
      const engagement = add(shopper, ts, { type: 'engagement', url, pageType, visibleMs: 0, scrollDepth: 0 })
      if (engagement?.type === 'engagement') open.set(shopper, { event: engagement })
    }
    const page = open.get(shopper)
    if (page && page.event.url === url) {
      page.event.visibleMs = Math.min(86_400_000, page.event.visibleMs + Math.max(0, engagementMs))
      // The record holds the time seen up to this row, as the browser's record does when it is written.
      if (engagementMs > 0) page.event.ts = ts
      if (row.event_name === 'scroll') page.event.scrollDepth = Math.max(page.event.scrollDepth, Math.min(1, (num(ga4Param(row, 'percent_scrolled')) ?? 90) / 100))
    }
    switch (row.event_name) {
      case 'view_item':
        // One product view, of the first item, as the browser's dataLayer bridge records it.
        for (const item of items.slice(0, 1)) add(shopper, ts, { type: 'product_view', productId: item.productId, price: item.price, currency, category: item.category })
        break
      case 'add_to_cart':
      case 'remove_from_cart':
        for (const item of items) add(shopper, ts, { type: row.event_name, productId: item.productId, quantity: item.quantity ?? 1, price: item.price, currency })
        break
      case 'begin_checkout':
        add(shopper, ts, { type: 'begin_checkout', value: num(ga4Param(row, 'value')), currency, items: items.map(lineItem) })
        break
      case 'purchase':
        add(shopper, ts, {
          type: 'purchase',
          orderId: transactionId(row),
          value: num(row.ecommerce?.purchase_revenue) ?? num(ga4Param(row, 'value')) ?? sumItems(items),
          currency,
          items: items.map(lineItem),
        })
        break
      case 'refund':
        add(shopper, ts, {
          type: 'refund',
          orderId: transactionId(row),
          value: num(row.ecommerce?.refund_value) ?? num(ga4Param(row, 'value')) ?? sumItems(items),
          currency,
        })
        break
      case 'view_search_results':
      case 'search':
        add(shopper, ts, { type: 'search', query: ga4Param(row, 'search_term') })
        break
      default:
        if (!(GA4_EVENT_NAMES as readonly string[]).includes(row.event_name)) skip(`ignored ${row.event_name}`)
    }
  }
  // Engagement records with no time of their own carry nothing; drop them as the browser would not write them.
  for (const [shopper, list] of byShopper) {
    byShopper.set(shopper, list.filter((e) => e.type !== 'engagement' || e.visibleMs > 0 || e.scrollDepth > 0).sort((a, b) => a.ts - b.ts))
  }
  return { format: 'ga4', byShopper, rows: rows.length + read, skipped }
}

/** Why a file's rows of a day are left out: another file holds that day's rows (exports of overlapping periods). */
const REPEATED_DAY = 'repeated row (its day in another file)'

/**
 * The days of files (`<file> <day>`) that another file holds again: when a file's rows of a day are all in another
 * file's rows of that day (the same rows, as often), that day was exported twice, in two files of overlapping
 * periods (or once more after GA4 added late rows to its table). The day is read from the file holding the most
 * rows of it (of equal ones, the first given). The files BigQuery writes one export as each hold a share of a
 * day's rows, none all of another's.
 */
function repeatedDays(days: Map<string, Map<number, Map<string, number>>>): Set<string> {
  const repeated = new Set<string>()
  const total = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0)
  const within = (a: Map<string, number>, b: Map<string, number>) => a.size <= b.size && [...a].every(([key, n]) => n <= (b.get(key) ?? 0))
  for (const [day, byFile] of days) {
    if (byFile.size < 2) continue
    for (const [x, a] of byFile) {
      for (const [y, b] of byFile) {
        if (y === x || repeated.has(`${y} ${day}`) || !within(a, b) || (total(b) === total(a) && y > x)) continue
        repeated.add(`${x} ${day}`)
        break
      }
    }
  }
  return repeated
}

/**
 * The export's items as the page pushed them: GA4 writes "(not set)" for an item field the page left out
 * (`item_id`, `item_category`, …), which the browser never sees; it is dropped, so that an item without an
 * id is named by its `item_name` and one without a category counts in no category, as in the browser.
 */
function itemsAsPushed(items: Ga4Row['items']): Ga4Row['items'] {
  if (!Array.isArray(items)) return items
  return items.map((item) => (typeof item === 'object' && item !== null ? Object.fromEntries(Object.entries(item).filter(([, v]) => v !== NOT_SET)) : item))
}

const NOT_SET = '(not set)'

/**
 * The order id: `ecommerce.transaction_id`, else the `transaction_id` parameter. The export writes
 * "(not set)" for a purchase sent without one: that is no id (the browser refuses such an order), not one
 * order id shared by all of them.
 */
function transactionId(row: Ga4Row): string | number | undefined {
  for (const id of [row.ecommerce?.transaction_id, ga4Param(row, 'transaction_id')]) if (id !== null && id !== undefined && id !== '' && id !== NOT_SET) return id
  return undefined
}

/** Items with a default quantity of 1 (GA4 leaves it out for single items). */
function lineItem(item: Record<string, unknown>): Record<string, unknown> {
  return { ...item, quantity: item.quantity ?? 1, price: item.price ?? 0 }
}
