import type { StoredEvent } from '../src/events/types'
import { aggregateLifetime } from '../src/features/aggregateLifetime'
import { aggregateSession } from '../src/features/aggregateSession'
import { DEFAULT_SESSION_GAP_MS, sessionize } from '../src/features/sessionize'
import type { FeatureOptions, LifetimeAggregate, SessionAggregate } from '../src/features/types'
import { DataError } from './dataError'

/** One line of a Seglet NDJSON export: a stored event, optionally tagged with the shopper it belongs to. */
export type ExportedEvent = StoredEvent & { shopper?: string }

/**
 * Parses an NDJSON export (one JSON `StoredEvent` per line; blank lines and lines starting with `#` ignored) and groups it by `shopper`
 * (one shopper, `''`, when lines carry none: the export of a single browser).
 */
export function parseEventsNdjson(text: string): Map<string, StoredEvent[]> {
  const byShopper = new Map<string, StoredEvent[]>()
  text.split('\n').forEach((line, i) => {
    const trimmed = line.trim()
    if (trimmed === '' || trimmed.startsWith('#')) return
    let value: ExportedEvent
    try {
      value = JSON.parse(trimmed)
    } catch (error) {
      throw new DataError(`events NDJSON line ${i + 1}: ${(error as Error).message}`)
    }
    if (!value || typeof value.type !== 'string' || typeof value.ts !== 'number') {
      throw new DataError(`events NDJSON line ${i + 1}: expected a stored event with "type" and "ts"`)
    }
    const { shopper = '', ...event } = value
    const list = byShopper.get(shopper)
    if (list) list.push(event as StoredEvent)
    else byShopper.set(shopper, [event as StoredEvent])
  })
  return byShopper
}

/** A labelled session for the intent model. */
export interface EventSession { shopper: string; aggregate: SessionAggregate; label: number }

/**
 * Sessions of every shopper for training the session pack. A session's label is whether it contains a
 * `purchase`; the aggregate is folded from the events before the first purchase, because the model must
 * predict the purchase before it happens (otherwise checkout pages leak the label).
 */
export function eventSessions(byShopper: Map<string, StoredEvent[]>, options: FeatureOptions = {}): EventSession[] {
  const out: EventSession[] = []
  for (const [shopper, events] of byShopper) {
    const sessions = sessionize(events, options.sessionGapMs ?? DEFAULT_SESSION_GAP_MS)
    sessions.forEach((session, i) => {
      const cut = session.findIndex((e) => e.type === 'purchase')
      const before = cut < 0 ? session : session.slice(0, cut)
      if (before.length === 0) return
      out.push({
        shopper,
        aggregate: aggregateSession(before, {
          returning: i > 0,
          previousEnd: i > 0 ? sessions[i - 1][sessions[i - 1].length - 1].ts : undefined,
          specialDays: options.specialDays,
        }),
        label: cut < 0 ? 0 : 1,
      })
    })
  }
  return out
}

/** A labelled shopper for the lifetime pack: RFM at `cutoff`, label = an order in the `days` after it. */
export interface EventCustomer { shopper: string; aggregate: LifetimeAggregate; label: number }

export function eventCustomers(byShopper: Map<string, StoredEvent[]>, cutoff: number, days = 90): EventCustomer[] {
  const out: EventCustomer[] = []
  const end = cutoff + days * 86_400_000
  for (const [shopper, events] of byShopper) {
    const before = events.filter((e) => e.ts < cutoff)
    if (!before.some((e) => e.type === 'purchase')) continue
    const label = events.some((e) => e.type === 'purchase' && e.ts >= cutoff && e.ts < end) ? 1 : 0
    out.push({ shopper, aggregate: aggregateLifetime(before, cutoff), label })
  }
  return out
}
