import type { StoredEvent } from '../src/events/types'
import { validateEvent } from '../src/events/validateEvent'
import { dataLines, readDataFile, textOf, type DataFile } from './data'
import { DataError } from './dataError'
import { parseEventsNdjson } from './loadEvents'
import type { EventsFormat, LoadedEvents } from './loadedEvents'
import { parseGa4Ndjson } from './loadGa4'
import { parseShopifyOrdersCsv } from './loadShopify'

export const EVENTS_FORMATS: readonly EventsFormat[] = ['seglet', 'ga4', 'shopify']

/**
 * The format of an events file from its first data line: a GA4 BigQuery row (`event_name`), a Seglet stored
 * event (`type` and `ts`) or `exportData()` document (`"format": "seglet-export"`, also indented), or a Shopify
 * orders CSV header (`Name` … `Lineitem quantity`).
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
  const header = first.replace(/^\uFEFF/, '').split(',').map((h) => h.replace(/^"|"$/g, '').trim())
  return header.includes('Name') && header.includes('Lineitem quantity') ? 'shopify' : undefined
}

/** Parses `text` in `format` (detected when undefined); NDJSON formats read a Buffer line by line. */
export function parseTrainingEvents(text: string | Buffer, format?: string, options: { currency?: string; source?: string } = {}): LoadedEvents {
  const source = options.source ?? 'the events file'
  if (format !== undefined && !(EVENTS_FORMATS as readonly string[]).includes(format)) {
    throw new DataError(`--format must be one of ${EVENTS_FORMATS.join(', ')}, got ${JSON.stringify(format)}`)
  }
  const resolved = (format as EventsFormat | undefined) ?? detectFormat(text)
  if (!resolved) {
    // BigQuery's console saves query results as one JSON array, which no format here is.
    const start = (typeof text === 'string' ? text.slice(0, 64) : text.toString('utf8', 0, 64)).replace(/^\uFEFF/, '').trimStart()
    if (start.startsWith('[')) throw new DataError(`${source}: one JSON array; export the rows as newline-delimited JSON (one row per line; BigQuery: EXPORT DATA … format = \'JSON\', or "JSONL (newline delimited)" when saving results)`)
    throw new DataError(`${source}: cannot tell its format; pass --format ga4, shopify or seglet`)
  }
  switch (resolved) {
    case 'ga4':
      return parseGa4Ndjson(text)
    case 'shopify':
      return parseShopifyOrdersCsv(typeof text === 'string' ? text : textOf(text, source), options)
    case 'seglet': {
      const byShopper = parseEventsNdjson(text)
      const skipped: Record<string, number> = {}
      let rows = 0
      for (const [shopper, list] of byShopper) {
        rows += list.length
        // As the browser stores them: checked by validateEvent (defaults filled in), or left out and counted.
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
  }
}

/** Reads an events file (`.gz` is gunzipped) in any training format; a missing file is a one-line DataError. */
export function loadTrainingEvents(path: string, format?: string, options: { currency?: string } = {}): LoadedEvents & { file: DataFile } {
  let file: DataFile
  try {
    file = readDataFile(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new DataError(`${path}: no such file (the events to train or score on)`)
    throw error
  }
  return { ...parseTrainingEvents(file.bytes, format, { ...options, source: path }), file }
}
