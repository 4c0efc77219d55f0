// @vitest-environment node
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { computeFeatures } from '../src/features/computeFeatures'
import { PUBLIC_SESSION_FEATURE_NAMES, SESSION_FEATURE_NAMES } from '../src/features/featureNames'
import { lifetimeVector, sessionVector } from '../src/features/vectors'
import { DataError } from './dataError'
import { DEFAULT_DATA_DIR, parseCsv, readDataFile, RETAIL_FILE, SHOPPERS_FILE } from './data'
import { eventCustomers, eventSessions, parseEventsNdjson } from './loadEvents'
import { RETAIL_CUTOFF, retailCustomers, retailEvents } from './loadRetail'
import { parseShoppers, rowToAggregate, rowToEvents } from './loadShoppers'

const shoppersPath = join(DEFAULT_DATA_DIR, SHOPPERS_FILE)
const retailPath = join(DEFAULT_DATA_DIR, RETAIL_FILE)
const haveShoppers = existsSync(shoppersPath)
const haveRetail = existsSync(retailPath)
if (!haveShoppers) console.warn(`skipping Online Shoppers loader tests: ${shoppersPath} is missing (see ../shared/data/README.md)`)
if (!haveRetail) console.warn(`skipping Online Retail loader tests: ${retailPath} is missing (see ../shared/data/README.md)`)

describe('parseCsv', () => {
  it.each([
    ['a,b\r\n1,2\r\n', [['a', 'b'], ['1', '2']]],
    ['a,"b,c"\n"say ""hi""",2', [['a', 'b,c'], ['say "hi"', '2']]],
    ['x\n"multi\nline",1\n', [['x'], ['multi\nline', '1']]],
    ['a,,b\n', [['a', '', 'b']]],
  ])('%j', (text, rows) => expect(parseCsv(text)).toEqual(rows))

  it('reads a quote inside an unquoted field as a character, not as the start of a field spanning rows', () => {
    expect(parseCsv('Name,Lineitem name,Total\n#1,12" Vinyl,5\n#2,7" Single,6\n')).toEqual([['Name', 'Lineitem name', 'Total'], ['#1', '12" Vinyl', '5'], ['#2', '7" Single', '6']])
    // A quoted field still opens after spaces, and after a byte-order mark at the start of the file.
    expect(parseCsv('\uFEFF"Name", "Lineitem name"\r\n#1, "Mug, blue"\r\n')).toEqual([['Name', ' Lineitem name'], ['#1', ' Mug, blue']])
  })

  it('refuses a quoted field that is never closed, naming its line, rather than reading the rest of the file into it', () => {
    expect(() => parseCsv('a,b\r\n1,2\r\n"3,4\r\n5,6\r\n7,8\r\n')).toThrow(/^CSV line 3: a quoted field is not closed/)
    expect(() => parseCsv('a,b\n1,"x\ny",2\n3,"4\n')).toThrow(/^CSV line 4: /)
  })
})

describe.skipIf(!haveShoppers)('Online Shoppers loader (real file)', () => {
  const file = haveShoppers ? readDataFile(shoppersPath) : undefined
  const rows = file ? parseShoppers(file.text) : []

  it('verifies the published sha256 and reads every row', () => {
    expect(file!.verified).toBe(true)
    expect(rows).toHaveLength(12330)
    expect(rows.filter((r) => r.revenue)).toHaveLength(1908)
    expect(rows.filter((r) => r.visitorType === 'New_Visitor')).toHaveLength(1694)
    expect(rows.filter((r) => r.weekend)).toHaveLength(2868)
  })

  it('maps the first row as documented', () => {
    expect(rows[0]).toMatchObject({ index: 0, administrative: 0, productRelated: 1, bounceRates: 0.2, exitRates: 0.2, month: 1, visitorType: 'Returning_Visitor', weekend: false, revenue: false })
    const agg = rowToAggregate(rows[0])
    expect(agg).toMatchObject({ productPages: 1, productSeconds: 0, month: 1, returning: true, stats: { bounceRate: 0.2, exitRate: 0.2, pageValue: 0 } })
    expect(rowToAggregate(rows[0], { withStats: false }).stats).toBeNull()
  })

  it('parses Excel-style scientific notation', () => {
    expect(rows.some((r) => r.bounceRates > 0 && r.bounceRates < 1e-3)).toBe(true)
  })

  it('the fixed split has 2,466 test rows', () => {
    expect(rows.filter((r) => r.index % 5 === 0)).toHaveLength(2466)
  })
})

describe.skipIf(!haveRetail)('Online Retail loader (real file)', () => {
  const file = haveRetail ? readDataFile(retailPath) : undefined
  const byCustomer = file ? retailEvents(file.text) : new Map()
  const customers = retailCustomers(byCustomer)

  it('verifies the published sha256 and keeps the documented customers', () => {
    expect(file!.verified).toBe(true)
    // 4,372 CustomerIDs; one has only zero-price lines, so it has no events.
    expect(byCustomer.size).toBe(4371)
    // Customers with at least one order before the cutoff; about half of them order again within 90 days.
    expect(customers.length).toBeGreaterThan(3000)
    const rate = customers.filter((c) => c.label).length / customers.length
    expect(rate).toBeGreaterThan(0.4)
    expect(rate).toBeLessThan(0.7)
    expect(customers.every((c) => c.test === (c.customerId % 5 === 0))).toBe(true)
  })

  it('gives the same customers on a machine in any time zone, and after --time-zone changes it', () => {
    const saved = process.env.TZ
    try {
      // The cutoff was taken when the module was loaded; --time-zone (or the machine) sets another zone.
      process.env.TZ = 'America/New_York'
      const elsewhere = retailCustomers(retailEvents(file!.text))
      expect(elsewhere.map((c) => [c.customerId, c.label, c.aggregate])).toEqual(customers.map((c) => [c.customerId, c.label, c.aggregate]))
    } finally {
      if (saved === undefined) delete process.env.TZ
      else process.env.TZ = saved
    }
  })

  it('folds the aggregate with src/features from events before the cutoff only', () => {
    const c = customers.find((x) => x.aggregate.orders > 2)!
    expect(c.aggregate.recencyDays).toBeGreaterThanOrEqual(0)
    expect(c.aggregate.tenureDays).toBeGreaterThanOrEqual(c.aggregate.recencyDays)
    const before = c.events.filter((e) => e.ts < RETAIL_CUTOFF)
    expect(lifetimeVector(c.aggregate)).toEqual(computeFeatures(before, RETAIL_CUTOFF).lifetimeRaw)
    // Order counts are distinct invoices.
    expect(c.aggregate.orders).toBe(new Set(before.filter((e) => e.type === 'purchase').map((e) => (e as { orderId: string }).orderId)).size)
  })
})

describe('the public data sets\' CSVs with odd input', () => {
  const shoppersHeader = 'Administrative,Administrative_Duration,Informational,Informational_Duration,ProductRelated,ProductRelated_Duration,BounceRates,ExitRates,PageValues,SpecialDay,Month,OperatingSystems,Browser,Region,TrafficType,VisitorType,Weekend,Revenue'
  const shoppersRow = (month = 'Feb', revenue = 'FALSE') => `0,0,0,0,1,0,0.2,0.2,0,0,${month},1,1,1,1,Returning_Visitor,FALSE,${revenue}`
  const retailHeader = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country'
  const retailRows = ['536365,85123A,"WHITE MUG,\nLARGE",6,2011-03-01 08:26:00,2.55,17850,United Kingdom', '536366,85123A,MUG,2,2011-10-01 08:26:00,2.55,17850,United Kingdom']
  const failure = (read: () => unknown) => {
    try {
      read()
    } catch (error) {
      return error instanceof DataError ? error.message : `not a DataError: ${String(error)}`
    }
    return 'no failure'
  }

  it('refuses an empty file, and names the missing columns, in one line', () => {
    expect(failure(() => parseShoppers(''))).toBe('Online Shoppers CSV: the file is empty')
    expect(failure(() => parseShoppers('\r\n'))).toBe('Online Shoppers CSV: the file is empty')
    expect(failure(() => retailEvents(''))).toBe('Online Retail CSV: the file is empty')
    expect(failure(() => parseShoppers('Month,Revenue\nFeb,TRUE\n'))).toMatch(/^Online Shoppers CSV: missing columns Administrative, .*, VisitorType, Weekend$/)
    expect(failure(() => retailEvents('InvoiceNo,Quantity\n1,2\n'))).toBe('Online Retail CSV: missing columns StockCode, InvoiceDate, UnitPrice, CustomerID')
  })

  it('reads a header only as no rows, and a byte-order mark, CRLF line ends and quoted fields over several lines as the plain file', () => {
    expect(parseShoppers(shoppersHeader + '\n')).toEqual([])
    expect(retailEvents(retailHeader + '\n').size).toBe(0)
    expect(parseShoppers('\uFEFF' + [shoppersHeader, shoppersRow(), shoppersRow('Nov', 'TRUE')].join('\r\n') + '\r\n')).toEqual(parseShoppers([shoppersHeader, shoppersRow(), shoppersRow('Nov', 'TRUE')].join('\n')))
    const plain = retailEvents([retailHeader, ...retailRows].join('\n'))
    expect(retailEvents('\uFEFF' + [retailHeader, ...retailRows].join('\r\n') + '\r\n')).toEqual(plain)
    expect(plain.get(17850)!.map((e) => e.ts)).toEqual([Date.UTC(2011, 2, 1, 8, 26), Date.UTC(2011, 9, 1, 8, 26)])
  })

  it('says that the columns are separated by semicolons or tabs, as a spreadsheet re-saves CSV in some languages, not which are missing', () => {
    const resave = (lines: string[], separator: string) => lines.map((line) => line.replace(/"[^"]*"|,/g, (cell) => (cell === ',' ? separator : cell.slice(1, -1)))).join('\r\n')
    for (const [separator, name] of [[';', 'semicolons'], ['\t', 'tabs']]) {
      const words = `its columns are separated by ${name}, not commas (a spreadsheet saved it in another language's format); give the data set's file as published`
      expect(failure(() => parseShoppers(resave([shoppersHeader, shoppersRow()], separator)))).toBe(`Online Shoppers CSV: ${words}`)
      expect(failure(() => retailEvents(resave([retailHeader, retailRows[1]], separator)))).toBe(`Online Retail CSV: ${words}`)
    }
    // A header without the columns, whatever separates them, still has them named.
    expect(failure(() => parseShoppers('Month;Revenue\nFeb;TRUE\n'))).toMatch(/^Online Shoppers CSV: missing columns Administrative, /)
  })

  it('names the line and the column of a value it cannot read', () => {
    // Line 4: the header, then a row whose quoted field spans two lines.
    const shoppers = (row: string) => failure(() => parseShoppers([shoppersHeader, shoppersRow().replace('0,0,0,0,1', '0,0,0,0,"1\n"'), row].join('\n')))
    expect(shoppers(shoppersRow('Febr'))).toBe('Online Shoppers CSV line 4, Month: unknown month "Febr" (Jan … Dec)')
    expect(shoppers(shoppersRow().replace('0.2,0.2', '0.2,n/a'))).toBe('Online Shoppers CSV line 4, ExitRates: "n/a" is not a number')
    expect(shoppers(shoppersRow('Feb', 'yes'))).toBe('Online Shoppers CSV line 4, Revenue: "yes" is not TRUE or FALSE')
    expect(shoppers('0,0,0')).toBe('Online Shoppers CSV line 4, Month: missing (the line has 3 of the header\'s 18 fields)')
    // A date as a spreadsheet saves the data set is never guessed at.
    const retail = [retailHeader, ...retailRows, '536367,85123A,MUG,1,12/1/2010 8:26,2.55,17851,United Kingdom'].join('\n')
    expect(failure(() => retailEvents(retail))).toBe('Online Retail CSV line 5, InvoiceDate: "12/1/2010 8:26" is not a date as the data set writes them (2010-12-01 08:26:00)')
  })

  it('names the line and the column of an Online Retail value it cannot read, never skipping the line or shifting the date', () => {
    // Line 5: the header, a row whose quoted field spans two lines, another row, then this one.
    const retail = (row: string) => failure(() => retailEvents([retailHeader, ...retailRows, row].join('\n')))
    const row = '536367,85123A,MUG,2,2011-03-02 08:26:00,2.55,17851,United Kingdom'
    const notDate = (date: string) => `Online Retail CSV line 5, InvoiceDate: "${date}" is not a date as the data set writes them (2010-12-01 08:26:00)`
    expect(retail(row.replace(',2,', ',six,'))).toBe('Online Retail CSV line 5, Quantity: "six" is not a number')
    expect(retail(row.replace(',2,', ',,'))).toBe('Online Retail CSV line 5, Quantity: "" is not a number')
    expect(retail(row.replace('2.55', '3.3x'))).toBe('Online Retail CSV line 5, UnitPrice: "3.3x" is not a number')
    expect(retail('536367,85123A,MUG,2,2011-03-02 08:26:00')).toBe("Online Retail CSV line 5, UnitPrice: missing (the line has 5 of the header's 8 fields)")
    expect(retail(row.replace('2011-03-02', '2010-02-31'))).toBe(notDate('2010-02-31 08:26:00'))
    expect(retail(row.replace('2011-03-02', '2011-02-29'))).toBe(notDate('2011-02-29 08:26:00'))
    expect(retail(row.replace('2011-03-02', '2011-04-31'))).toBe(notDate('2011-04-31 08:26:00'))
    expect(retail(row.replace('17851', 'C17851'))).toBe('Online Retail CSV line 5, CustomerID: "C17851" is not a customer number (17850)')
    // A line without a CustomerID is dropped (it belongs to no shopper), but a value it cannot read is still refused.
    expect(retail(row.replace(',2,', ',six,').replace('17851', ''))).toBe('Online Retail CSV line 5, Quantity: "six" is not a number')
    // What it can read, it reads: February 29 of a leap year, a line without a CustomerID.
    const read = retailEvents([retailHeader, row.replace('2011-03-02', '2012-02-29'), row.replace('17851', '').replace('536367', '536368')].join('\n'))
    expect([...read.keys()]).toEqual([17851])
    expect(read.get(17851)!.map((e) => e.ts)).toEqual([Date.UTC(2012, 1, 29, 8, 26)])
  })
})

describe('events NDJSON loader', () => {
  const rows = [
    { index: 1, administrative: 1, administrativeDuration: 10, informational: 0, informationalDuration: 0, productRelated: 3, productRelatedDuration: 40.5, bounceRates: 0.01, exitRates: 0.02, pageValues: 0, specialDay: 0, month: 10, visitorType: 'New_Visitor', weekend: false, revenue: false },
    { index: 2, administrative: 0, administrativeDuration: 0, informational: 1, informationalDuration: 5, productRelated: 2, productRelatedDuration: 12, bounceRates: 0, exitRates: 0.05, pageValues: 20, specialDay: 0.4, month: 4, visitorType: 'New_Visitor', weekend: false, revenue: true },
  ] as const
  const lines = rows.flatMap((row, i) => {
    const events = rowToEvents(row)
    if (row.revenue) {
      const last = events[events.length - 1].ts
      events.push({ type: 'purchase', orderId: `o${i}`, value: 30, currency: 'EUR', items: [{ productId: 'p', quantity: 1, price: 30 }], id: `buy${i}`, ts: last + 1000 })
    }
    return events.map((e) => JSON.stringify({ shopper: `s${i}`, ...e }))
  })
  const byShopper = parseEventsNdjson(lines.join('\n') + '\n\n')

  it('groups by shopper and labels sessions by purchase, folding only what came before it', () => {
    expect([...byShopper.keys()]).toEqual(['s0', 's1'])
    const sessions = eventSessions(byShopper)
    expect(sessions.map((s) => s.label)).toEqual([0, 1])
    sessions.forEach((s, i) => {
      // The public-data features are equal up to the rounding of a mean of repeated page statistics (the
      // CSV row has no cart, scroll or clock to compare the behaviour features with).
      const b = sessionVector(rowToAggregate(rows[i]))
      const v = sessionVector(s.aggregate)
      for (const name of PUBLIC_SESSION_FEATURE_NAMES) {
        const j = SESSION_FEATURE_NAMES.indexOf(name)
        expect(v[j], name).toBeCloseTo(b[j], 12)
      }
    })
  })

  it('builds lifetime customers at a cutoff', () => {
    const buyer = byShopper.get('s1')!
    const cutoff = buyer[buyer.length - 1].ts + 1
    const customers = eventCustomers(byShopper, cutoff)
    expect(customers).toHaveLength(1)
    expect(customers[0]).toMatchObject({ shopper: 's1', label: 0, aggregate: { orders: 1, monetary: 30 } })
  })

  it('reports the line of malformed JSON', () => {
    expect(() => parseEventsNdjson('{"type":"search","ts":1704067200000,"id":"a","query":""}\n{oops')).toThrow(/line 2/)
  })
})
