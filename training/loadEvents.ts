import type { StoredEvent } from '../src/events/types'
import { aggregateLifetime } from '../src/features/aggregateLifetime'
import { computeFeatures } from '../src/features/computeFeatures'
import { DEFAULT_SESSION_GAP_MS, sessionize } from '../src/features/sessionize'
import type { FeatureOptions, LifetimeAggregate, SessionAggregate } from '../src/features/types'
import { applyRetention } from '../src/privacy/applyRetention'
import { isLongLivedType } from '../src/privacy/isLongLivedType'
import { DAY_MS, DEFAULT_MAX_EVENTS, DEFAULT_PURCHASE_RETENTION_DAYS, DEFAULT_RETENTION_DAYS, type RetentionPolicy } from '../src/privacy/retention'
import { dataLines, textOf } from './data'
import { DataError } from './dataError'

/** One line of a Seglet NDJSON export: a stored event, optionally tagged with the shopper it belongs to. */
export type ExportedEvent = StoredEvent & { shopper?: string }

/** An `exportData()` document: everything one browser kept (`SegletExport`). */
const isExportDocument = (value: unknown): value is { format: 'seglet-export'; events: unknown[] } =>
  (value as { format?: unknown } | null)?.format === 'seglet-export' && Array.isArray((value as { events?: unknown }).events)

/**
 * Parses a Seglet events file and groups it by shopper: NDJSON of stored events (one JSON `StoredEvent` per
 * line; blank lines and lines starting with `#` ignored), each tagged `shopper` or all of one browser (`''`),
 * and/or `exportData()` documents, one per line (each one browser: `browser-<line>`), or one document as
 * `exportData()` gave it, indented or not (one browser, `''`). With `options.browser` (a file's name, when several
 * are read together) the browsers not tagged are `<browser>browser-<line>` and `<browser>`; `options.browsers` collects the names of these browsers.
 */
export function parseEventsNdjson(text: string | Buffer, options: { browser?: string; browsers?: Set<string> } = {}): Map<string, StoredEvent[]> {
  // Browsers known only by where they are in the file are named after it (`options.browser`) when files are read together.
  const browser = options.browser ?? ''
  const byShopper = new Map<string, StoredEvent[]>()
  // A shop's ids may come as numbers (`"shopper": 42`) from one tool and as strings from another: one shopper.
  const tag = (value: ExportedEvent) => (typeof value?.shopper === 'number' ? String(value.shopper) : value?.shopper)
  const add = (value: ExportedEvent, where: string, shopper = tag(value) ?? browser) => {
    if (value?.shopper === undefined) options.browsers?.add(shopper)
    if (!value || typeof value.type !== 'string' || typeof value.ts !== 'number') {
      throw new DataError(`${where}: expected a stored event with "type" and "ts"`)
    }
    // Stored events are timed in milliseconds; seconds would put every event in January 1970.
    if (value.ts < 1e11) throw new DataError(`${where}: ts ${value.ts} is not in milliseconds since 1970 (it would be ${new Date(value.ts).toISOString()})`)
    const { shopper: _, ...event } = value
    const list = byShopper.get(shopper)
    if (list) list.push(event as StoredEvent)
    else byShopper.set(shopper, [event as StoredEvent])
  }
  const addDocument = (value: { events: unknown[] }, where: string, shopper: string) =>
    value.events.forEach((event, i) => add(event as ExportedEvent, `${where}, events[${i}]`, shopper))
  for (const [number, line] of dataLines(text)) {
    const trimmed = line.trim()
    if (trimmed === '' || trimmed.startsWith('#')) continue
    // One exportData() document, indented (JSON.stringify(doc, null, 2)): the whole file is one JSON value.
    if (trimmed === '{' && byShopper.size === 0) {
      let value: unknown
      try {
        // A byte-order mark (Windows tools save one) is dropped, as trim() drops it from an NDJSON line.
        value = JSON.parse((typeof text === 'string' ? text : textOf(text)).replace(/^\uFEFF/, ''))
      } catch (error) {
        throw new DataError(`events file: not NDJSON, nor one exportData() document: ${(error as Error).message}`)
      }
      if (!isExportDocument(value)) throw new DataError('events file: one JSON value that is not an exportData() document (format "seglet-export" with its events)')
      addDocument(value, 'exportData() document', browser)
      break
    }
    let value: ExportedEvent
    try {
      value = JSON.parse(trimmed)
    } catch (error) {
      throw new DataError(`events NDJSON line ${number}: ${(error as Error).message}`)
    }
    if (isExportDocument(value)) addDocument(value, `events NDJSON line ${number}`, `${browser}browser-${number}`)
    else add(value, `events NDJSON line ${number}`)
  }
  return byShopper
}

/**
 * The histories of `byShopper` with each stored event once: a browser exported twice (`exportData()` documents
 * overlapping in time) holds the same events, with the ids the browser stored them with. Browsers known only by
 * where they are in the files (`browsers`, not tagged `shopper`) that share an event id are one browser, named
 * by the first; within each history an id seen again is the same event, and the record kept is the newest (the
 * latest `ts`: the browser rewrites a page's engagement record under its id as the page is read on). Events
 * without an id are all kept: none is made up for them. Gives the histories, in time order, and how many
 * records were left out.
 */
export function joinRepeatedEvents(byShopper: Map<string, StoredEvent[]>, browsers: ReadonlySet<string>): { byShopper: Map<string, StoredEvent[]>; repeated: number } {
  const hasId = (e: StoredEvent) => typeof e.id === 'string' && e.id !== ''
  // Browsers sharing an event id, joined under the first of them.
  const order = new Map([...byShopper.keys()].map((key, i) => [key, i]))
  const parent = new Map<string, string>()
  const find = (key: string): string => {
    let root = key
    while (parent.has(root)) root = parent.get(root)!
    return root
  }
  const owner = new Map<string, string>()
  for (const [key, list] of byShopper) {
    if (!browsers.has(key)) continue
    for (const e of list) {
      if (!hasId(e)) continue
      const other = owner.get(e.id)
      if (other === undefined) owner.set(e.id, key)
      else {
        const [a, b] = [find(other), find(key)]
        if (a !== b) order.get(a)! < order.get(b)! ? parent.set(b, a) : parent.set(a, b)
      }
    }
  }
  const joined = new Map<string, StoredEvent[]>()
  for (const [key, list] of byShopper) {
    const root = browsers.has(key) ? find(key) : key
    joined.set(root, [...(joined.get(root) ?? []), ...list])
  }
  let repeated = 0
  for (const [key, list] of joined) {
    const at = new Map<string, number>()
    const kept: StoredEvent[] = []
    for (const e of list) {
      const i = hasId(e) ? at.get(e.id) : undefined
      if (i === undefined) {
        if (hasId(e)) at.set(e.id, kept.length)
        kept.push(e)
        continue
      }
      repeated++
      if (e.ts >= kept[i].ts) kept[i] = e
    }
    joined.set(key, kept.sort((a, b) => a.ts - b.ts))
  }
  return { byShopper: joined, repeated }
}

/** A labelled session for the intent model. */
export interface EventSession { shopper: string; aggregate: SessionAggregate; label: number }

/** The browser's own retention defaults (`storage.retentionDays`, `purchaseRetentionDays`, `maxEvents`). */
export const BROWSER_RETENTION: RetentionPolicy = {
  retentionDays: DEFAULT_RETENTION_DAYS,
  purchaseRetentionDays: DEFAULT_PURCHASE_RETENTION_DAYS,
  maxEvents: DEFAULT_MAX_EVENTS,
}

/** The first of `indices` (ascending, into `sorted`, which is in time order) from `lo` to `hi` whose event is at or after `ts`. */
function firstAtOrAfter(sorted: readonly StoredEvent[], indices: readonly number[], ts: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[indices[mid]].ts < ts) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * Sessions of every shopper for training the session pack. A session's label is whether it contains a
 * `purchase`; the aggregate is folded from the events before the first purchase, because the model must
 * predict the purchase before it happens (otherwise checkout pages leak the label).
 *
 * Each session's features are those the shopper's browser computes at its last event before the order: from
 * the history the browser still holds then (`applyRetention()` with the shop's `retention`, the browser's
 * defaults unless given), by `computeFeatures()`. A shopper back after 40 days is new there, as here.
 */
export function eventSessions(byShopper: Map<string, StoredEvent[]>, options: FeatureOptions = {}, retention: RetentionPolicy = BROWSER_RETENTION): EventSession[] {
  const out: EventSession[] = []
  const rawDays = retention.retentionDays * DAY_MS
  const longDays = retention.purchaseRetentionDays * DAY_MS
  const gap = options.sessionGapMs ?? DEFAULT_SESSION_GAP_MS
  for (const [shopper, events] of byShopper) {
    const sessions = sessionize(events, gap)
    // Raw events, and purchases and refunds, each in time order (indices into `sorted`): what the browser holds at
    // `now` is a run of each (the newest `maxEvents` raw ones at most), found without going through the whole history.
    const sorted = sessions.flat()
    const raw: number[] = []
    const long: number[] = []
    sorted.forEach((e, i) => (isLongLivedType(e.type) ? long : raw).push(i))
    let rawEnd = 0
    let longEnd = 0
    let first = 0
    sessions.forEach((session) => {
      const start = first
      first += session.length
      const cut = session.findIndex((e) => e.type === 'purchase')
      const before = cut < 0 ? session : session.slice(0, cut)
      if (before.length === 0) return
      // Everything up to the session's last event before its order, as the browser has it stored then.
      const upTo = start + before.length - 1
      const now = sorted[upTo].ts
      while (rawEnd < raw.length && raw[rawEnd] <= upTo) rawEnd++
      while (longEnd < long.length && long[longEnd] <= upTo) longEnd++
      let rawStart = firstAtOrAfter(sorted, raw, now - rawDays, 0, rawEnd)
      if (Number.isFinite(retention.maxEvents)) rawStart = Math.max(rawStart, rawEnd - retention.maxEvents)
      const longStart = firstAtOrAfter(sorted, long, now - longDays, 0, longEnd)
      const held = [...raw.slice(rawStart, rawEnd), ...long.slice(longStart, longEnd)].sort((x, y) => x - y).map((i) => sorted[i])
      const kept = applyRetention(held, retention, now)
      // The session features read the last two sessions only: the rest is not folded again for each session.
      let tail = kept.length - 1
      for (let gaps = 0; tail > 0; tail--) if (kept[tail].ts - kept[tail - 1].ts > gap && ++gaps === 2) break
      out.push({
        shopper,
        aggregate: computeFeatures(kept.slice(Math.max(0, tail)), now, options).session,
        label: cut < 0 ? 0 : 1,
      })
    })
  }
  return out
}

/** A labelled shopper for the lifetime pack: RFM at `cutoff`, label = an order in the `days` after it. */
export interface EventCustomer { shopper: string; aggregate: LifetimeAggregate; label: number }

/**
 * Customers with an order before `cutoff`, for the lifetime pack: the RFM view of the orders and refunds their
 * browser still holds at `cutoff` (those of the last `retention.purchaseRetentionDays`, as `applyRetention()`
 * keeps them), and whether they order in the `days` after it.
 */
export function eventCustomers(byShopper: Map<string, StoredEvent[]>, cutoff: number, days = 90, retention: RetentionPolicy = BROWSER_RETENTION): EventCustomer[] {
  const out: EventCustomer[] = []
  const end = cutoff + days * 86_400_000
  for (const [shopper, events] of byShopper) {
    const before = applyRetention(events.filter((e) => e.ts < cutoff), retention, cutoff)
    if (!before.some((e) => e.type === 'purchase')) continue
    const label = events.some((e) => e.type === 'purchase' && e.ts >= cutoff && e.ts < end) ? 1 : 0
    out.push({ shopper, aggregate: aggregateLifetime(before, cutoff), label })
  }
  return out
}
