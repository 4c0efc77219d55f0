import type { StoredEvent } from '../src/events/types'
import { aggregateLifetime } from '../src/features/aggregateLifetime'
import type { LifetimeAggregate } from '../src/features/types'
import { DataError } from './dataError'
import { csvRow } from './csvRow'
import { parseCsv, readDataFile, separatorProblem } from './data'
import { isCalendarDay } from './isCalendarDay'

/**
 * The fixed split of DESIGN.md: features before 2011-09-01 (the data set's own clock, read as UTC), label = an
 * order in the 90 days after.
 */
export const RETAIL_CUTOFF = Date.UTC(2011, 8, 1)
export const RETAIL_LABEL_DAYS = 90

export interface RetailCustomer {
  customerId: number
  /** Purchase and refund events of the customer, all dates. */
  events: StoredEvent[]
  /** Lifetime aggregate at the cutoff (events before it only). */
  aggregate: LifetimeAggregate
  /** 1 when the customer ordered within 90 days from the cutoff. */
  label: number
  /** `customerId % 5 === 0`. */
  test: boolean
}

function parseDate(text: string): number {
  // `YYYY-MM-DD HH:MM:SS`, UK local time without zone: read as UTC, like the cutoff, so that the public packs are
  // the same on a machine in any time zone, and whatever --time-zone a shop gives for its own data. Any other
  // form (`12/1/2010 8:26`, as a spreadsheet saves the data set), or a day no month has (2010-02-31), is NaN:
  // never guessed at, nor moved into the next month.
  const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text.trim())
  if (!m) return Number.NaN
  const [, y, mo, day, hh = '0', mm = '0', ss = '0'] = m
  if (!isCalendarDay(+y, +mo, +day) || +hh > 23 || +mm > 59 || +ss > 59) return Number.NaN
  return Date.UTC(+y, +mo - 1, +day, +hh, +mm, +ss)
}

/** `fold()` run in UTC (the local dates of the browser's feature code are then the data set's own), the time zone in use restored after. */
function inUtc<T>(fold: () => T): T {
  const saved = process.env.TZ
  process.env.TZ = 'UTC'
  try {
    return fold()
  } finally {
    if (saved === undefined) delete process.env.TZ
    else process.env.TZ = saved
  }
}

/** The columns of the data set that `retailEvents` reads. */
const RETAIL_COLUMNS = ['InvoiceNo', 'StockCode', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID']

/** One invoice line as the data set writes it; `customer` undefined for a line without a CustomerID. */
interface RetailLine { invoiceNo: string; stockCode: string; quantity: number; ts: number; price: number; customer?: number }

/**
 * The invoice line in `cells` (CSV line `line`): a value it cannot read (a Quantity of `six`, a UnitPrice of
 * `3.3x`, an InvoiceDate of `2010-02-31 08:26:00`, a line cut short) is a one-line DataError naming the line and
 * the column, never a line skipped or a number made up.
 */
function readRetailLine(line: number | undefined, header: readonly string[], cells: readonly string[]): RetailLine {
  const { cell, number, problem } = csvRow('Online Retail CSV', line, header, cells)
  // Read in the data set's column order: a line cut short names its first missing column.
  const invoiceNo = cell('InvoiceNo')
  const stockCode = cell('StockCode')
  const quantity = number('Quantity')
  const ts = parseDate(cell('InvoiceDate'))
  if (!Number.isFinite(ts)) throw problem('InvoiceDate', `${JSON.stringify(cell('InvoiceDate'))} is not a date as the data set writes them (2010-12-01 08:26:00)`)
  const price = number('UnitPrice')
  const customer = cell('CustomerID')
  // The data set's customers are whole numbers (17850); the fixed test split is CustomerID % 5 == 0.
  if (customer !== '' && !Number.isInteger(Number(customer))) throw problem('CustomerID', `${JSON.stringify(customer)} is not a customer number (17850)`)
  return { invoiceNo, stockCode, quantity, ts, price, customer: customer === '' ? undefined : Number(customer) }
}

/**
 * Turns Online Retail invoice lines into Seglet events per customer: an invoice becomes a `purchase` (lines
 * with quantity > 0 and price > 0; value = Σ quantity × price) and a `C…` cancellation invoice a `refund`
 * (value = Σ |quantity| × price). Lines without a CustomerID cannot belong to a shopper and are dropped; a value
 * that cannot be read, in any line, is a one-line DataError naming its line and column.
 */
export function retailEvents(text: string): Map<number, StoredEvent[]> {
  const lines: number[] = []
  const lineOf = new Map<string[], number>()
  const table = parseCsv(text, lines).filter((row, i) => (lineOf.set(row, lines[i]), row.length > 1 || row[0].trim() !== ''))
  if (table.length === 0) throw new DataError('Online Retail CSV: the file is empty')
  const header = table[0].map((h) => h.trim())
  const missing = RETAIL_COLUMNS.filter((name) => !header.includes(name))
  const separated = missing.length > 0 ? separatorProblem(table[0], RETAIL_COLUMNS) : undefined
  if (separated) throw new DataError(`Online Retail CSV: ${separated} (a spreadsheet saved it in another language's format); give the data set's file as published`)
  if (missing.length > 0) throw new DataError(`Online Retail CSV: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`)
  const invoices = new Map<string, { customer: number; ts: number; refund: boolean; value: number; items: Map<string, { quantity: number; price: number }> }>()
  for (let r = 1; r < table.length; r++) {
    const { invoiceNo, stockCode, quantity, ts, price, customer } = readRetailLine(lineOf.get(table[r]), header, table[r])
    if (customer === undefined) continue
    const refund = invoiceNo.startsWith('C')
    if (!(price > 0) || quantity === 0 || (!refund && quantity < 0)) continue
    let inv = invoices.get(invoiceNo)
    if (!inv) {
      inv = { customer, ts, refund, value: 0, items: new Map() }
      invoices.set(invoiceNo, inv)
    }
    const q = Math.abs(quantity)
    inv.value += q * price
    const item = inv.items.get(stockCode)
    if (item) item.quantity += q
    else inv.items.set(stockCode, { quantity: q, price })
  }
  const byCustomer = new Map<number, StoredEvent[]>()
  let seq = 0
  for (const [orderId, inv] of invoices) {
    const items = [...inv.items].map(([productId, { quantity, price }]) => ({ productId, quantity, price }))
    const base = { id: `retail${(seq++).toString(16).padStart(8, '0')}`, ts: inv.ts, orderId, value: Math.round(inv.value * 100) / 100, currency: 'GBP' }
    const event = (inv.refund ? { type: 'refund', ...base, items } : { type: 'purchase', ...base, items }) as StoredEvent
    const list = byCustomer.get(inv.customer)
    if (list) list.push(event)
    else byCustomer.set(inv.customer, [event])
  }
  for (const list of byCustomer.values()) list.sort((a, b) => a.ts - b.ts)
  return byCustomer
}

/**
 * Customers with at least one order before the cutoff, their lifetime aggregate at the cutoff (folded by
 * `aggregateLifetime` from src/features) and the repeat-purchase label.
 */
export function retailCustomers(byCustomer: Map<number, StoredEvent[]>, cutoff = RETAIL_CUTOFF): RetailCustomer[] {
  const end = cutoff + RETAIL_LABEL_DAYS * 86_400_000
  const out: RetailCustomer[] = []
  // Active days are the dates the data set records, whatever time zone the machine or --time-zone sets.
  return inUtc(() => {
    for (const [customerId, events] of [...byCustomer].sort((a, b) => a[0] - b[0])) {
      const before = events.filter((e) => e.ts < cutoff)
      if (!before.some((e) => e.type === 'purchase')) continue
      const label = events.some((e) => e.type === 'purchase' && e.ts >= cutoff && e.ts < end) ? 1 : 0
      out.push({ customerId, events, aggregate: aggregateLifetime(before, cutoff), label, test: customerId % 5 === 0 })
    }
    return out
  })
}

export function loadRetail(path: string): { customers: RetailCustomer[]; sha256: string; verified?: boolean; lines: number } {
  const file = readDataFile(path)
  const byCustomer = retailEvents(file.text)
  let lines = 0
  for (let i = 0; i < file.text.length; i++) if (file.text.charCodeAt(i) === 10) lines++
  return { customers: retailCustomers(byCustomer), sha256: file.sha256, verified: file.verified, lines: lines - 1 }
}
