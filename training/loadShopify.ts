import { createHash } from 'node:crypto'
import type { ShopperEvent, StoredEvent } from '../src/events/types'
import { validateEvent } from '../src/events/validateEvent'
import { parseCsv, separatorProblem } from './data'
import { DataError } from './dataError'
import { isCalendarDay } from './isCalendarDay'
import type { LoadedEvents } from './loadedEvents'

/** Columns of Shopify's admin "Export orders" CSV that Seglet reads (the export has many more). */
export const SHOPIFY_COLUMNS = ['Name', 'Email', 'Financial Status', 'Paid at', 'Currency', 'Total', 'Created at', 'Lineitem quantity', 'Lineitem name', 'Lineitem price', 'Lineitem sku', 'Refunded Amount', 'Cancelled at'] as const
const REQUIRED = ['Name', 'Email', 'Total', 'Created at', 'Lineitem quantity', 'Lineitem name', 'Lineitem price'] as const
/** The number columns, and whether every line item's row carries one (else the order's first row only). */
const AMOUNTS: ReadonlyArray<[string, boolean]> = [['Total', false], ['Refunded Amount', false], ['Lineitem quantity', true], ['Lineitem price', true]]

/** What became of an order of an export: whether its purchase was read, and what of it was skipped, why. */
export interface ShopifyOrderRead { purchase: boolean; skipped: string[] }

/** The largest offset from UTC a time zone has (Kiribati's +14:00), in minutes: one beyond ±14:00 is no time zone's. */
const MAX_OFFSET_MINUTES = 14 * 60

/**
 * `2024-03-05 14:02:11 +0100` (Shopify's export), also as ISO 8601 (`2024-03-05T14:02:11Z`, `+01:00`, seconds
 * optional) → epoch ms; NaN when empty or written otherwise. `05/03/2024 14:02`, as a spreadsheet re-saves it, is
 * not guessed at: day and month could be either way round, and its time zone is not said. Nor is a date Shopify
 * never writes: a day its month does not have (`2024-02-31`, `2023-02-29`, `2024-04-31`: NaN, not moved into the
 * next month) or an offset no time zone has (beyond ±14:00, or 60 minutes or more: `+2500`, `+0160`).
 *
 * @example
 * parseShopifyDate('2024-03-05 14:02:11 +0100') // Date.UTC(2024, 2, 5, 13, 2, 11)
 * parseShopifyDate('2024-02-31 10:00:00 +0100') // NaN
 */
export function parseShopifyDate(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:\s*([+-])(\d{2}):?(\d{2})|\s*Z)?$/.exec(text.trim())
  if (!m) return Number.NaN
  const [, y, mo, d, h, mi, s = '0', sign, oh = '0', om = '0'] = m
  if (!isCalendarDay(+y, +mo, +d) || +h > 23 || +mi > 59 || +s > 59) return Number.NaN
  const offsetMinutes = +oh * 60 + +om
  if (+om > 59 || offsetMinutes > MAX_OFFSET_MINUTES) return Number.NaN
  const utc = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s)
  return utc - (sign === '-' ? -1 : 1) * offsetMinutes * 60_000
}

/**
 * Reads a Shopify orders export (admin → Orders → Export, CSV; one row per line item, the order's totals on
 * its first row) into Seglet `purchase` and `refund` events per customer. Leading lines starting with `#` are
 * skipped; column names are read in any case.
 *
 * - Customer: the `Email`, hashed (sha256) at once, so the address is never kept; orders without one are skipped.
 * - Order: `purchase` at `Paid at` (else `Created at`), order id `Name`, value `Total`, `Currency` (default
 *   `options.currency`, else USD), items from `Lineitem sku` (else `Lineitem name`), quantity and price. Orders whose
 *   `Financial Status` is `pending`, `authorized`, `voided` or `expired`, or that were cancelled without a
 *   refund, are not purchases and are skipped.
 * - Refund: `Refunded Amount` > 0 becomes a `refund` of that value, at `Cancelled at` when there is one, else at
 *   the order's time (the export has no refund date).
 * - Amounts are plain numbers (`1030.00`), as Shopify writes them; an order with one that is not (`$30.00`,
 *   `1,030.00`) is skipped, counted as `<column> not a plain number`.
 *
 * Orders carry no browsing, so this format trains and scores the lifetime (value) pack only.
 */
export function parseShopifyOrdersCsv(text: string, options: { currency?: string; orders?: Map<string, ShopifyOrderRead> } = {}): LoadedEvents {
  // Leading `#` lines become blank lines (skipped below), so that a line number in an error is the file's; a
  // byte-order mark before them (a file saved as "CSV UTF-8") goes with them, as format detection reads past it.
  const body = text.replace(/^\uFEFF?(?:#[^\n]*\n)+/, (lines) => '\n'.repeat(lines.split('\n').length - 1))
  const lines: number[] = []
  const lineOf = new Map<string[], number>()
  const table = parseCsv(body, lines).filter((row, i) => (lineOf.set(row, lines[i]), row.length > 1 || row[0] !== ''))
  if (table.length === 0) throw new DataError('Shopify orders CSV: the file is empty')
  // Column names in any case: a spreadsheet or script that re-saved the export may have changed it.
  const header = table[0].map((h) => h.trim().toLowerCase())
  const missing = REQUIRED.filter((c) => !header.includes(c.toLowerCase()))
  const separated = missing.length > 0 ? separatorProblem(table[0], REQUIRED) : undefined
  if (separated) throw new DataError(`Shopify orders CSV: ${separated} (a spreadsheet saved it in another language's format); export the orders again from the Shopify admin, not re-saved from a spreadsheet`)
  if (missing.length > 0) throw new DataError(`Shopify orders CSV: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (expected the admin "Export orders" CSV)`)
  // A file that ends inside a line short of the header's fields was cut short (a download or a copy that stopped):
  // read on, its last order would take a price cut to "8." as 8, or a date cut short for a spreadsheet's.
  const last = table[table.length - 1]
  if (table.length > 1 && !/[\r\n]$/.test(body) && last.length < table[0].length) {
    throw new DataError(`Shopify orders CSV line ${lineOf.get(last)}: the file ends inside this line, after ${last.length} of the header's ${table[0].length} fields: it was cut short; export the orders again`)
  }
  const col = (name: string) => header.indexOf(name.toLowerCase())
  const get = (row: string[], name: string) => (col(name) >= 0 ? (row[col(name)] ?? '').trim() : '')

  interface Order { name: string; rows: string[][] }
  const orders = new Map<string, Order>()
  for (const row of table.slice(1)) {
    const name = get(row, 'Name')
    if (!name) continue
    const order = orders.get(name)
    if (order) order.rows.push(row)
    else orders.set(name, { name, rows: [row] })
  }

  const byShopper = new Map<string, StoredEvent[]>()
  const skipped: Record<string, number> = {}
  // What became of each order (`options.orders`), for exports of overlapping periods read together.
  let read: ShopifyOrderRead = { purchase: false, skipped: [] }
  const skip = (why: string) => {
    skipped[why] = (skipped[why] ?? 0) + 1
    read.skipped.push(why)
  }
  let n = 0
  const add = (shopper: string, ts: number, input: Record<string, unknown>) => {
    let event: ShopperEvent
    try {
      event = validateEvent(input)
    } catch {
      skip(`invalid ${String(input.type)}`)
      return undefined
    }
    const stored = { ...event, id: `shopify-${++n}`, ts } as StoredEvent
    if (stored.type === 'purchase') read.purchase = true
    const list = byShopper.get(shopper)
    if (list) list.push(stored)
    else byShopper.set(shopper, [stored])
  }
  for (const { name, rows } of orders.values()) {
    read = { purchase: false, skipped: [] }
    options.orders?.set(name, read)
    const first = rows[0]
    const email = get(first, 'Email').toLowerCase()
    if (!email) {
      skip('no email')
      continue
    }
    // An amount with a currency symbol or a thousands separator ($30.00, 1,030.00) is not guessed at: the order
    // is skipped, naming the column, rather than read without its refund or refused as an invalid purchase.
    const unreadable = AMOUNTS.find(([name, allRows]) => (allRows ? rows : [first]).some((row) => get(row, name) !== '' && !Number.isFinite(Number(get(row, name)))))
    if (unreadable) {
      skip(`${unreadable[0]} not a plain number`)
      continue
    }
    // A date written otherwise than Shopify writes it would be guessed at, or the order dropped without a word.
    for (const column of ['Paid at', 'Created at', 'Cancelled at']) {
      const text = get(first, column)
      if (text !== '' && !Number.isFinite(parseShopifyDate(text))) {
        throw new DataError(`Shopify orders CSV line ${lineOf.get(first)}, ${column}: ${JSON.stringify(text)} is not a date as Shopify writes them (2024-03-05 14:02:11 +0100); export the orders again from the Shopify admin, not re-saved from a spreadsheet`)
      }
    }
    const status = get(first, 'Financial Status').toLowerCase()
    const refunded = Number(get(first, 'Refunded Amount') || 0)
    const cancelledAt = parseShopifyDate(get(first, 'Cancelled at'))
    if (['pending', 'authorized', 'voided', 'expired'].includes(status) || (Number.isFinite(cancelledAt) && !(refunded > 0))) {
      skip(`not paid (${status || 'cancelled'})`)
      continue
    }
    const ts = [get(first, 'Paid at'), get(first, 'Created at')].map(parseShopifyDate).find(Number.isFinite)
    if (ts === undefined) {
      skip('no date')
      continue
    }
    const shopper = createHash('sha256').update(email).digest('hex').slice(0, 16)
    const currency = get(first, 'Currency') || options.currency || 'USD'
    const items = rows.map((row) => ({
      productId: get(row, 'Lineitem sku') || get(row, 'Lineitem name'),
      quantity: Number(get(row, 'Lineitem quantity')),
      price: Number(get(row, 'Lineitem price')),
    }))
    add(shopper, ts, { type: 'purchase', orderId: name, value: Number(get(first, 'Total')), currency, items })
    if (refunded > 0) add(shopper, Number.isFinite(cancelledAt) ? cancelledAt : ts, { type: 'refund', orderId: name, value: refunded, currency })
  }
  for (const list of byShopper.values()) list.sort((a, b) => a.ts - b.ts)
  return { format: 'shopify', byShopper, rows: orders.size, skipped }
}
