import * as tf from '@tensorflow/tfjs'
import { userPath } from './userPath'
import { lifetimeVector, sessionVector } from '../src/features/vectors'
import type { ModelPack, ProbabilityHead } from '../src/pack/types'
import { checkPack } from '../src/pack/checkPack'
import { expectedFeatures } from '../src/features/featureNames'
import { ModelPackError } from '../src/errors'
import { readDataFile } from './data'
import { evaluatePack, type PackEvaluation } from './evaluatePack'
import { NOT_MEASURED } from './buildPack'
import { retailCustomers, retailEvents } from './loadRetail'
import { parseShoppers, rowToAggregate } from './loadShoppers'
import { DataError } from './dataError'
import { featureOptions } from './featureOptions'
import { retentionOptions } from './retentionOptions'
import { eventCustomers, eventSessions } from './loadEvents'
import { detectFormat, EVENTS_FORMATS, loadTrainingEventsFiles, parseTrainingEvents } from './loadTrainingEvents'
import { noCustomersMessage, skippedNote } from './loadedEvents'
import { checkOptions, dateOption, dayStart, localDate, oneOfOption, readOptions } from './options'
import { smallDataWarnings } from './smallData'
import { plural } from '../src/lib/plural'
import { log } from './progress'
import { checkTimeZone, useTimeZone } from './timeZone'

const USAGE = `usage: npm run evaluate -- --pack src/models/session.json --data ../shared/data/online_shoppers_intention.csv [--split test|all] [--json]
       npm run evaluate -- --pack src/models/lifetime.json --data ../shared/data/online_retail.csv.gz [--split test|all] [--json]
       npm run evaluate -- --pack <pack> --data <events file> [--data <events file> …] [--format ga4|shopify|seglet] [--time-zone <IANA name>] [--session-gap-ms <ms>] [--special-days <JSON>]
         [--retention-days <days>] [--max-events <n>] [--purchase-retention-days <days>] [--cutoff YYYY-MM-DD] [--split test|all] [--json]
A session pack is scored on a CSV in the UCI Online Shoppers format (with and without page statistics), a lifetime
pack on a file in the UCI Online Retail format, either pack on a shop's own events: a GA4 BigQuery export (NDJSON),
a Shopify orders export (CSV; lifetime packs only) or a Seglet events export (NDJSON), detected unless --format says.
--split test (default) keeps the fixed held-out rows (row index % 5 == 0, CustomerID % 5 == 0, session or customer
index % 5 == 0); --split all scores every row (for a shop's own new data). A session pack on events needs the
shop's time zone (--time-zone or TZ), as training does, and the shop's features.sessionGapMs and
features.specialDays options when it sets them (--session-gap-ms, --special-days), and its storage.retentionDays,
storage.maxEvents and storage.purchaseRetentionDays (--retention-days, --max-events, --purchase-retention-days): each
session and customer is scored on the history its browser still holds, as training computes it.`

/** What each block of the UCI session figures is scored on (the JSON keeps the bare names). */
const BLOCK_WORDS: Record<string, string> = {
  withStats: " (with page statistics, as on pages that load the collector's table)",
  withoutStats: ' (the same rows without them, as on pages with no table)',
}

/** A figure as `--json` writes it: the number, or `not measured` as a pack's `metrics` write it (JSON has no NaN). */
type Figure = number | typeof NOT_MEASURED
const measured = (v: number): Figure => (Number.isFinite(v) ? v : NOT_MEASURED)

function summary(e: PackEvaluation) {
  const b = e.binary
  return {
    rows: b.rows, positives: b.positives, rocAuc: measured(b.auc), averagePrecision: measured(b.averagePrecision),
    threshold: b.threshold, accuracy: measured(b.accuracy), f1: measured(b.f1), confusion: b.confusion,
    bestF1Threshold: measured(b.bestF1Threshold), bestF1: measured(b.bestF1),
    bestAccuracyThreshold: measured(b.bestAccuracyThreshold), bestAccuracy: measured(b.bestAccuracy), brier: measured(b.brier),
    segmentAgreement: measured(e.segmentAgreement),
  }
}

/**
 * Which public data set a CSV's header is, by a column only it has: a file given with the other kind of pack is
 * then refused by naming the pack to give, not by listing the columns the pack's own data set would have.
 */
function publicDataSet(text: string): 'shoppers' | 'retail' | undefined {
  const header = text.slice(0, text.search(/\r?\n|$/)).replace(/^\ufeff/, '').split(',').map((h) => h.trim().replace(/^"|"$/g, ''))
  return header.includes('InvoiceNo') ? 'retail' : header.includes('ProductRelated') && header.includes('Revenue') ? 'shoppers' : undefined
}

/** `read()`, its one-line problem named after the file `source` it is in. */
function naming<T>(source: string, read: () => T): T {
  try {
    return read()
  } catch (error) {
    throw error instanceof DataError ? new DataError(`${source}: ${error.message}`) : error
  }
}

/**
 * The pack in the file `path`, checked as the browser checks it (its shape, then its features against this SDK's):
 * a file that is not one, or a pack this SDK cannot run, is a one-line `DataError` naming it, before any data is read.
 */
function readPack(path: string): ModelPack {
  const file = readDataFile(path)
  let value: unknown
  try {
    value = JSON.parse(file.text)
  } catch (error) {
    throw new DataError(`${path}: not a model pack (not JSON: ${(error as Error).message.replace(/\s+/g, ' ')})`)
  }
  try {
    // The shape first: it says which kind of pack this is, whose feature table the pack must then match.
    const pack = checkPack(value)
    return checkPack(pack, expectedFeatures(pack.kind))
  } catch (error) {
    throw error instanceof ModelPackError ? new DataError(`${path}: ${error.message}`) : error
  }
}

/** `npm run evaluate`: scores a pack on a data file and prints the metrics (or JSON with --json). */
export async function main(argv: string[]): Promise<number> {
  // Every option is checked before the pack or the data is read.
  const text = { type: 'string' } as const
  const checked = checkOptions('evaluate', USAGE, argv, () => {
    const values = readOptions(argv, {
      // --data once per file of a shop's events (BigQuery writes a large export as several files).
      pack: text, data: { type: 'string', multiple: true }, split: text, json: { type: 'boolean' }, format: text, 'time-zone': text, 'session-gap-ms': text, 'special-days': text, cutoff: text,
      'retention-days': text, 'purchase-retention-days': text, 'max-events': text,
    })
    if (values.pack === undefined || values.data === undefined) throw new DataError('--pack <file> and --data <file> are required')
    if (typeof values['time-zone'] === 'string') checkTimeZone(values['time-zone'])
    return {
      args: values as typeof values & { pack: string; data: string[] },
      all: oneOfOption(values, 'split', ['test', 'all'] as const) === 'all',
      format: oneOfOption(values, 'format', EVENTS_FORMATS),
      cutoff: dateOption(values, 'cutoff'),
      // Sessions split, and close to special days, as the shop's browsers compute them (and training did).
      features: featureOptions(values),
      // The history each shopper's browser still holds (the shop's `storage` options), as training keeps it.
      retention: retentionOptions(values),
    }
  })
  if (typeof checked === 'number') return checked
  const { args, all, features, retention, cutoff: cutoffOption } = checked
  // Production mode before the backend starts: skips debug checks and the "install tfjs-node" banner.
  tf.enableProdMode()
  await tf.setBackend('cpu')
  // Paths typed are read from the folder they were typed in (npm runs the script from the project root).
  const pack = readPack(userPath(args.pack))
  const dataFiles = args.data.map((path) => userPath(path))
  // Options the pack's kind has no use for would be ignored without a word: refused before the data is read.
  if (pack.kind !== 'session' && (args['session-gap-ms'] !== undefined || args['special-days'] !== undefined)) throw new DataError(`${args.pack}: a ${pack.kind} pack reads no sessions; --session-gap-ms and --special-days apply to a session pack`)
  if (pack.kind !== 'session' && (args['retention-days'] !== undefined || args['max-events'] !== undefined)) throw new DataError(`${args.pack}: a ${pack.kind} pack reads no sessions; --retention-days and --max-events apply to a session pack`)
  if (pack.kind === 'session' && args.cutoff !== undefined) throw new DataError(`${args.pack}: --cutoff applies to a lifetime pack (the day its customers' orders are counted up to)`)
  // Several files are one export of a shop's events; the public data sets come in one file each.
  const several = args.data.length > 1
  const data = args.data.join(', ')
  const file = several ? undefined : readDataFile(dataFiles[0])
  const results: Record<string, ReturnType<typeof summary>> = {}
  const warnings: string[] = []
  // A shop's own events: what was read, and what was left out and why.
  let read: string | undefined
  let skipped: Record<string, number> | undefined
  const files = several ? loadTrainingEventsFiles(dataFiles, checked.format) : undefined
  const format = files?.format ?? checked.format ?? detectFormat(file!.bytes)
  if (format !== undefined) {
    // A shop's own events: sessions or customers in file order, every 5th held out (as training splits them).
    const loaded = files ?? parseTrainingEvents(file!.bytes, format, { source: args.data[0] })
    read = `${loaded.format} format, ${plural(loaded.rows, 'row')}${skippedNote(loaded.skipped)}`
    skipped = loaded.skipped
    const held = <T>(list: T[]) => list.filter((_, i) => all || i % 5 === 0)
    if (pack.kind === 'session') {
      if (loaded.format === 'shopify') throw new DataError(`${data}: a Shopify orders export has no browsing sessions; score a lifetime pack on it`)
      // The local-time features in the shop's time zone, as its shoppers' browsers and training compute them.
      useTimeZone(typeof args['time-zone'] === 'string' ? args['time-zone'] : undefined, true, `${data}, a shop's events,`)
      const every = eventSessions(loaded.byShopper, features, retention)
      if (every.length === 0) throw new DataError(`${data}: nothing to evaluate: no session in ${plural(loaded.rows, `${loaded.format} row`)}${skippedNote(loaded.skipped)}`)
      const sessions = held(every)
      warnings.push(...smallDataWarnings('session', [], sessions.map((s) => s.label)).filter((w) => !w.includes('to train on')))
      results.sessions = summary(evaluatePack(pack, sessions.map((s) => sessionVector(s.aggregate)), sessions.map((s) => s.label), 'intent'))
    } else {
      // Active days are local dates: in the shop's time zone, as training computes them.
      const timeZone = useTimeZone(typeof args['time-zone'] === 'string' ? args['time-zone'] : undefined, `${data}, a shop's orders,`)
      let last = -Infinity
      for (const list of loaded.byShopper.values()) for (const e of list) last = Math.max(last, e.ts)
      // The cutoff day starts at midnight in the shop's time zone, as training counts it.
      const cutoff = cutoffOption === undefined ? last - 90 * 86_400_000 : dayStart(String(args.cutoff), timeZone)
      const everyCustomer = eventCustomers(loaded.byShopper, cutoff, 90, retention)
      if (everyCustomer.length === 0) throw new DataError(noCustomersMessage(data, loaded, () => localDate(cutoff, timeZone), cutoffOption !== undefined))
      const customers = held(everyCustomer)
      warnings.push(...smallDataWarnings('lifetime', [], customers.map((c) => c.label)).filter((w) => !w.includes('to train on')))
      results.customers = summary(evaluatePack(pack, customers.map((c) => lifetimeVector(c.aggregate)), customers.map((c) => c.label), 'repeat'))
    }
  } else if (pack.kind === 'session') {
    if (args['session-gap-ms'] !== undefined || args['special-days'] !== undefined) throw new DataError(`${data}: UCI rows come as sessions, with their special-day closeness; --session-gap-ms and --special-days apply to a shop's events`)
    if (args['retention-days'] !== undefined || args['max-events'] !== undefined || args['purchase-retention-days'] !== undefined) throw new DataError(`${data}: UCI rows come as sessions, with no history to keep; --retention-days, --max-events and --purchase-retention-days apply to a shop's events`)
    if (publicDataSet(file!.text) === 'retail') throw new DataError(`${data}: UCI Online Retail orders, which a lifetime pack scores, and ${args.pack} is a session pack: give --pack src/models/lifetime.json, or a session pack's data (UCI Online Shoppers sessions or a shop's events)`)
    const every = naming(data, () => parseShoppers(file!.text))
    if (every.length === 0) throw new DataError(`${data}: nothing to evaluate: no data row (a header only, or an empty file)`)
    const rows = every.filter((r) => all || r.index % 5 === 0)
    const labels = rows.map((r) => (r.revenue ? 1 : 0))
    results.withStats = summary(evaluatePack(pack, rows.map((r) => sessionVector(rowToAggregate(r))), labels, 'intent'))
    results.withoutStats = summary(evaluatePack(pack, rows.map((r) => sessionVector(rowToAggregate(r, { withStats: false }))), labels, 'intent'))
  } else {
    if (args['purchase-retention-days'] !== undefined) throw new DataError(`${data}: UCI Online Retail customers are counted from the orders of the data set's 9 months before its cutoff; --purchase-retention-days applies to a shop's orders`)
    if (cutoffOption !== undefined) throw new DataError(`${data}: UCI Online Retail customers are counted up to the data set's own cutoff, 2011-09-01; --cutoff applies to a shop's orders`)
    if (publicDataSet(file!.text) === 'shoppers') throw new DataError(`${data}: UCI Online Shoppers sessions, which a session pack scores, and ${args.pack} is a lifetime pack: give --pack src/models/session.json, or a lifetime pack's data (UCI Online Retail orders or a shop's orders)`)
    const every = retailCustomers(naming(data, () => retailEvents(file!.text)))
    if (every.length === 0) throw new DataError(`${data}: nothing to evaluate: no customer with an order before 2011-09-01, the data set's cutoff`)
    const customers = every.filter((c) => all || c.test)
    // The fixed test split is the customers whose CustomerID is a multiple of 5: a file may hold none of them.
    if (customers.length === 0) throw new DataError(`${data}: nothing to evaluate: none of the ${plural(every.length, 'customer')} with an order before 2011-09-01 is in the fixed test split (CustomerID % 5 == 0); pass --split all to score every one`)
    results.customers = summary(evaluatePack(pack, customers.map((c) => lifetimeVector(c.aggregate)), customers.map((c) => c.label), 'repeat'))
  }
  const head = (pack.kind === 'session' ? pack.heads.intent : pack.heads.repeat) as ProbabilityHead
  const out = {
    pack: args.pack, kind: pack.kind, data: file?.path ?? data, format: format ?? 'uci', sha256: file?.sha256 ?? files!.files.map((f) => f.sha256).join(' '), split: all ? 'all rows' : 'fixed test split',
    head: head.description, ...(skipped && { skipped }), results, warnings,
  }
  if (args.json === true) {
    process.stdout.write(JSON.stringify(out, null, 2) + '\n')
    return 0
  }
  const f = (v: Figure, digits = 4) => (typeof v === 'number' ? v.toFixed(digits) : v)
  const lines = [`${pack.kind} pack ${args.pack} on ${out.data} (${out.split}, sha256 ${out.sha256.split(' ').map((h) => `${h.slice(0, 12)}…`).join(' ')})`, ...(read ? [`read: ${read}`] : []), `head: ${head.description}`]
  for (const [name, r] of Object.entries(results)) {
    lines.push(
      `${name}${BLOCK_WORDS[name] ?? ''}: ${plural(r.rows, 'row')}, ${r.positives} positive`,
      `  ROC AUC            ${f(r.rocAuc)}`,
      `  average precision  ${f(r.averagePrecision)}`,
      `  at pack threshold ${r.threshold.toFixed(3)}: accuracy ${f(r.accuracy)}, F1 ${f(r.f1)} (tp ${r.confusion.tp}, fp ${r.confusion.fp}, tn ${r.confusion.tn}, fn ${r.confusion.fn})`,
      `  at best-F1 threshold ${f(r.bestF1Threshold, 3)}: F1 ${f(r.bestF1)}`,
      `  at best-accuracy threshold ${f(r.bestAccuracyThreshold, 3)}: accuracy ${f(r.bestAccuracy)}`,
      `  Brier score        ${f(r.brier)}`,
      `  segment agreement with k-means ${f(r.segmentAgreement)}`,
    )
  }
  // Figures a shop would otherwise read as the pack's own: the best thresholds are fitted on the rows scored.
  lines.push('the best-F1 and best-accuracy thresholds are picked on the rows scored here, so their figures flatter the pack; the pack threshold was picked on training rows only. Segment agreement: the share of rows the pack places in the segment k-means gives them.')
  log(...lines, ...warnings)
  return 0
}
