import type { StoredEvent } from '../src/events/types'
import { validateEvent } from '../src/events/validateEvent'
import { dataLines, readDataFile, sha256, textOf, type DataFile } from './data'
import { DataError } from './dataError'
import { joinRepeatedEvents, parseEventsNdjson } from './loadEvents'
import type { EventsFormat, LoadedEvents } from './loadedEvents'
import { parseGa4Ndjson } from './loadGa4'
import { parseShopifyOrdersCsv, type ShopifyOrderRead } from './loadShopify'

export const EVENTS_FORMATS: readonly EventsFormat[] = ['seglet', 'ga4', 'shopify']

/** Why a Seglet event is left out when it was read before (`joinRepeatedEvents`). */
const REPEATED = 'repeated event (same id)'

/**
 * The format of an events file from its first data line: a GA4 BigQuery row (`event_name`), a Seglet stored
 * event (`type` and `ts`) or `exportData()` document (`"format": "seglet-export"`, also indented), or a Shopify
 * orders CSV header (`Name` … `Lineitem quantity`, in any case).
 */
export function detectFormat(text: string | Buffer): EventsFormat | undefined {
  let first: string | undefined
  for (const [, line] of dataLines(text)) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue
    first = line.trim()
    break
  }
  if (!first) return undefined
  if (first.startsWith('{')) {
    try {
      const value = JSON.parse(first)
      if (typeof value?.event_name === 'string') return 'ga4'
      if (typeof value?.type === 'string' && typeof value?.ts === 'number') return 'seglet'
      if (value?.format === 'seglet-export') return 'seglet'
    } catch {
      // An indented exportData() document opens with a line of its own.
      return first === '{' && /"format"\s*:\s*"seglet-export"/.test(String(typeof text === 'string' ? text.slice(0, 4096) : text.toString('utf8', 0, 4096))) ? 'seglet' : undefined
    }
    return undefined
  }
  // Split at semicolons and tabs too: a spreadsheet's re-save is then named as such by the Shopify reader.
  const header = first.replace(/^\uFEFF/, '').split(/[,;\t]/).map((h) => h.replace(/^"|"$/g, '').trim().toLowerCase())
  return header.includes('name') && header.includes('lineitem quantity') ? 'shopify' : undefined
}

/** The option that gives a file's format when it is not detected: `--format` (train's `--events`, evaluate's `--data`), `--lifetime-format`. */
export type FormatOption = '--format' | '--lifetime-format'

/**
 * `format` when given (one of `EVENTS_FORMATS`), else the format detected in `text`; a one-line DataError naming
 * `source` when neither, saying which option (`formatOption`, the one of the file being read) would give it.
 */
function resolveFormat(text: string | Buffer, format: string | undefined, source: string, formatOption: FormatOption = '--format'): EventsFormat {
  if (format !== undefined && !(EVENTS_FORMATS as readonly string[]).includes(format)) {
    throw new DataError(`${formatOption} must be one of ${EVENTS_FORMATS.join(', ')}, got ${JSON.stringify(format)}`)
  }
  const resolved = (format as EventsFormat | undefined) ?? detectFormat(text)
  if (!resolved) {
    // An empty file has no format to tell: saying "pass --format" would send the shop the wrong way.
    if (isEmpty(typeof text === 'string' ? Buffer.from(text) : text)) throw new DataError(`${source}: the file is empty (no data line); export the events or orders again`)
    // BigQuery's console saves query results as one JSON array, which no format here is.
    const start = (typeof text === 'string' ? text.slice(0, 64) : text.toString('utf8', 0, 64)).replace(/^\uFEFF/, '').trimStart()
    if (start.startsWith('[')) throw new DataError(`${source}: one JSON array; export the rows as newline-delimited JSON (one row per line; BigQuery: EXPORT DATA … format = \'JSON\', or "JSONL (newline delimited)" when saving results)`)
    throw new DataError(`${source}: cannot tell its format; pass ${formatOption} ga4, shopify or seglet`)
  }
  return resolved
}

/** `parse()`, its one-line problem (a line of the file) named after the file `source` it is in, when there is one. */
function namingFile<T>(source: string | undefined, parse: () => T): T {
  try {
    return parse()
  } catch (error) {
    if (source === undefined || !(error instanceof DataError) || error.message.startsWith(`${source}: `)) throw error
    throw new DataError(`${source}: ${error.message}`)
  }
}

/** Options of {@link loadTrainingEvents} and {@link loadTrainingEventsFiles}. */
export interface TrainingEventsOptions {
  /** The currency of orders that do not say theirs (Shopify). */
  currency?: string
  /** The option that sets these files' format, named when it cannot be told: `--lifetime-format` for train's `--lifetime-events`. @default '--format' */
  formatOption?: FormatOption
}

/**
 * Parses `text` in `format` (detected when undefined); NDJSON formats read a Buffer line by line.
 *
 * @example
 * const loaded = parseTrainingEvents(bytes, undefined, { source: 'orders.csv', formatOption: '--lifetime-format' })
 */
export function parseTrainingEvents(text: string | Buffer, format?: string, options: TrainingEventsOptions & { source?: string; browser?: string; browsers?: Set<string>; orders?: Map<string, ShopifyOrderRead> } = {}): LoadedEvents {
  const source = options.source ?? 'the events file'
  const resolved = resolveFormat(text, format, source, options.formatOption)
  switch (resolved) {
    case 'ga4':
      return parseGa4Ndjson(options.source === undefined ? text : [{ data: text, source }])
    case 'shopify':
      return namingFile(options.source, () => parseShopifyOrdersCsv(typeof text === 'string' ? text : textOf(text, source), options))
    case 'seglet': {
      const browsers = options.browsers ?? new Set<string>()
      return segletEvents(namingFile(options.source, () => parseEventsNdjson(text, { browser: options.browser, browsers })), browsers)
    }
  }
}

/**
 * The Seglet events `parsed` (of one file, or of several brought together) as the browser stores them: each event
 * once (a browser exported twice holds the same events, `joinRepeatedEvents`), then checked by validateEvent
 * (defaults filled in), or left out and counted, once however many exports held it.
 */
function segletEvents(parsed: Map<string, StoredEvent[]>, browsers: ReadonlySet<string>): LoadedEvents {
  let rows = 0
  for (const list of parsed.values()) rows += list.length
  const { byShopper, repeated } = joinRepeatedEvents(parsed, browsers)
  const skipped: Record<string, number> = repeated > 0 ? { [REPEATED]: repeated } : {}
  for (const [shopper, list] of byShopper) {
    const kept = list.flatMap((e) => {
      try {
        return [{ ...validateEvent(e), id: e.id, ts: e.ts } as StoredEvent]
      } catch {
        skipped[`invalid ${String(e.type)}`] = (skipped[`invalid ${String(e.type)}`] ?? 0) + 1
        return []
      }
    })
    byShopper.set(shopper, kept.sort((a, b) => a.ts - b.ts))
  }
  return { format: 'seglet', byShopper, rows, skipped }
}

/** Whether `data` holds no data line (only blank lines and `#` comments, or nothing). */
function isEmpty(data: Buffer): boolean {
  for (const [, line] of dataLines(data)) if (line.trim() !== '' && !line.trim().startsWith('#')) return false
  return true
}

/** An events file read (`.gz` gunzipped); a missing file is a one-line DataError. */
function readEventsFile(path: string): DataFile {
  try {
    return readDataFile(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new DataError(`${path}: no such file (the events to train or score on)`)
    throw error
  }
}

/**
 * A customer's events from several Shopify exports, each order once: exports of overlapping periods hold the
 * same order (`Name`), with its purchase and the refunds made to date (`Refunded Amount` is the order's total
 * refunded, so the largest is the newest). Keeps the order's first purchase and its largest refund.
 */
function onceEachOrder(events: readonly StoredEvent[]): StoredEvent[] {
  const at = new Map<string, number>()
  const kept: StoredEvent[] = []
  for (const e of events) {
    if (e.type !== 'purchase' && e.type !== 'refund') {
      kept.push(e)
      continue
    }
    const key = `${e.type} ${e.orderId}`
    const i = at.get(key)
    if (i === undefined) {
      at.set(key, kept.length)
      kept.push(e)
    } else if (e.type === 'refund' && e.value > (kept[i] as typeof e).value) kept[i] = e
  }
  return kept
}

/** Reads an events file (`.gz` is gunzipped) in any training format; a missing file is a one-line DataError. */
export function loadTrainingEvents(path: string, format?: string, options: TrainingEventsOptions = {}): LoadedEvents & { file: DataFile } {
  const file = readEventsFile(path)
  return { ...parseTrainingEvents(file.bytes, format, { ...options, source: path }), file }
}

/**
 * Reads the events of several files of one format as one export (BigQuery writes a large export as several
 * files): each file read and checked as `loadTrainingEvents` reads one, its problems named after it, and each
 * shopper's events from every file brought together in time order. A GA4 export's files are read as one (a page
 * view and its engagement may be in different files). Browsers known only by where they are in a Seglet file
 * (not tagged `shopper`) are that file's own: `<file>:browser-<line>`, or `<file>:` for a file of one browser.
 */
export function loadTrainingEventsFiles(paths: readonly string[], format?: string, options: TrainingEventsOptions = {}): LoadedEvents & { files: DataFile[] } {
  if (paths.length === 1) {
    const { file, ...loaded } = loadTrainingEvents(paths[0], format, options)
    return { ...loaded, files: [file] }
  }
  const files = paths.map(readEventsFile)
  // A file given twice (or downloaded twice under another name, or kept beside its gzipped copy) would count each
  // of its rows twice: files are compared by what they hold once gunzipped.
  const contents = files.map((file, i) => (paths[i].endsWith('.gz') ? sha256(file.bytes) : file.sha256))
  // A file without a data line (BigQuery may write an empty one among an export's files) has no rows to count twice,
  // and takes the format of the files beside it.
  const empty = files.map((file) => isEmpty(file.bytes))
  files.forEach((file, i) => {
    const first = contents.indexOf(contents[i])
    if (first === i || empty[i]) return
    if (file.sha256 === files[first].sha256) throw new DataError(`${paths[i]}: the same file as ${paths[first]} (sha256 ${file.sha256}); give each file once`)
    throw new DataError(`${paths[i]}: the same file as ${paths[first]} once gunzipped (sha256 ${contents[i]} of its content); give each file once`)
  })
  const known = empty.indexOf(false)
  const first = resolveFormat(files[Math.max(0, known)].bytes, format, paths[Math.max(0, known)], options.formatOption)
  const formats = files.map((file, i) => (empty[i] ? first : resolveFormat(file.bytes, format, paths[i], options.formatOption)))
  const odd = formats.findIndex((f) => f !== formats[0])
  if (odd >= 0) throw new DataError(`${paths[odd]}: a ${formats[odd]} file among ${formats[0]} files (${paths[0]}); give files of one export, in one format`)
  if (formats[0] === 'ga4') return { ...parseGa4Ndjson(files.map((file, i) => ({ data: file.bytes, source: paths[i] }))), files }
  if (formats[0] === 'seglet') {
    // One browser's exports in several files (or one shopper's events given twice): the files' events brought
    // together first, so that each event is taken once, and checked (and counted when refused) once.
    const parsed = new Map<string, StoredEvent[]>()
    const browsers = new Set<string>()
    files.forEach((file, i) => {
      const events = namingFile(paths[i], () => parseEventsNdjson(file.bytes, { browser: `${paths[i]}:`, browsers }))
      for (const [shopper, list] of events) parsed.set(shopper, [...(parsed.get(shopper) ?? []), ...list])
    })
    return { ...segletEvents(parsed, browsers), files }
  }
  const merged: LoadedEvents = { format: formats[0], byShopper: new Map(), rows: 0, skipped: {} }
  // Each order once (exports of overlapping periods hold the same orders): as read from the last export that has
  // its purchase, else from the last that has it (an order pending in March's export may be paid in April's).
  const orders = new Map<string, ShopifyOrderRead>()
  files.forEach((file, i) => {
    const inFile = new Map<string, ShopifyOrderRead>()
    const loaded = parseTrainingEvents(file.bytes, formats[0], { ...options, source: paths[i], orders: inFile })
    for (const [name, read] of inFile) if (read.purchase || !orders.get(name)?.purchase) orders.set(name, read)
    for (const [shopper, list] of loaded.byShopper) {
      // Ids the loader made up (`shopify-1`, …) are unique within a file only.
      const events = list.map((e) => ({ ...e, id: `${i + 1}:${e.id}` }))
      merged.byShopper.set(shopper, [...(merged.byShopper.get(shopper) ?? []), ...events])
    }
  })
  merged.rows = orders.size
  for (const { skipped } of orders.values()) for (const why of skipped) merged.skipped[why] = (merged.skipped[why] ?? 0) + 1
  for (const [shopper, list] of merged.byShopper) {
    merged.byShopper.set(shopper, (formats[0] === 'shopify' ? onceEachOrder(list) : list).sort((a, b) => a.ts - b.ts))
  }
  return { ...merged, files }
}
