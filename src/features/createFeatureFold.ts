import type { StoredEvent } from '../events/types'
import { aggregateLifetime } from './aggregateLifetime'
import { countSessionEvent, emptySessionCounts, toSessionAggregate, type SessionCounts } from './sessionCounts'
import { DEFAULT_SESSION_GAP_MS, sessionize } from './sessionize'
import { withClockOf } from './withClockOf'
import type { FeatureOptions, Features } from './types'
import { lifetimeVector, sessionVector } from './vectors'

/** Features kept up to date event by event, instead of folding the whole history again. */
export interface FeatureFold {
  /**
   * Adds events: new ones, or newer versions of ones added before (same `id`, such as the page's engagement
   * record). Returns `false` when they cannot be taken incrementally (an event just before the current
   * session, which may join it to an earlier one the fold no longer holds): build a new fold from a full read.
   */
  add(events: Iterable<StoredEvent>): boolean
  /**
   * The features at `now`, equal to `computeFeatures(events, now)` over every event added (newest version of
   * each); `undefined` when an event lies after `now` (build a new fold then).
   */
  features(now: number): Features | undefined
  /** When the current (last) session began, in ms; `undefined` before any event. */
  sessionStart(): number | undefined
}

/**
 * Starts a fold from stored events (the same ones `computeFeatures()` would get). Only the current session's
 * events and the orders and refunds are held; the session's running sums move with each event.
 *
 * @example
 * const fold = createFeatureFold(await readDecisionEvents(store, Date.now()))
 * store.onFlush((batch) => fold.add(batch) || rebuild())
 * const features = fold.features(Date.now())
 */
export function createFeatureFold(events: readonly StoredEvent[], options: FeatureOptions = {}): FeatureFold {
  const gap = options.sessionGapMs ?? DEFAULT_SESSION_GAP_MS
  const orders = new Map<string, StoredEvent>()
  let session = new Map<string, StoredEvent>()
  let counts: SessionCounts = emptySessionCounts()
  let start = Infinity
  let end = -Infinity
  let latest = -Infinity
  let returning = false
  // Time of each event of the previous session, by id: its end gives daysSincePreviousSession, and a newer
  // version of one of them (an engagement record written again later) can be taken back out.
  let previous = new Map<string, number>()
  const previousEnd = () => (previous.size ? Math.max(...previous.values()) : undefined)
  const previousStart = () => (previous.size ? Math.min(...previous.values()) : Infinity)
  /** The last session among sorted events: the part after the last gap. */
  const lastSession = (sorted: readonly StoredEvent[]) => {
    let from = sorted.length - 1
    while (from > 0 && sorted[from].ts - sorted[from - 1].ts <= gap) from--
    return new Map(sorted.slice(Math.max(0, from)).map((e) => [e.id, e.ts]))
  }

  const keep = (event: StoredEvent) => {
    if (event.type === 'purchase' || event.type === 'refund') orders.set(event.id, event)
    if (event.ts > latest) latest = event.ts
  }

  /** Takes the session as the given events (sorted), with fresh sums. */
  const reset = (current: readonly StoredEvent[]) => {
    session = new Map(current.map((e) => [e.id, e]))
    counts = emptySessionCounts()
    for (const event of current) countSessionEvent(counts, event, 1)
    start = current.length ? current[0].ts : Infinity
    end = current.length ? current[current.length - 1].ts : -Infinity
  }

  const remove = (old: StoredEvent) => {
    session.delete(old.id)
    countSessionEvent(counts, old, -1)
    // Without it, the session may have shrunk or split in two: keep the part after the last gap.
    const sorted = [...session.values()].sort((a, b) => a.ts - b.ts)
    let from = 0
    for (let i = 1; i < sorted.length; i++) if (sorted[i].ts - sorted[i - 1].ts > gap) from = i
    if (from > 0) {
      returning = true
      previous = lastSession(sorted.slice(0, from))
      reset(sorted.slice(from))
    } else {
      start = sorted.length ? sorted[0].ts : Infinity
      end = sorted.length ? sorted[sorted.length - 1].ts : -Infinity
    }
  }

  const insert = (event: StoredEvent): boolean => {
    const { ts } = event
    if (session.size === 0 || ts > end + gap) {
      if (session.size > 0) {
        returning = true
        previous = new Map([...session.values()].map((e) => [e.id, e.ts]))
      }
      reset([event])
      return true
    }
    if (ts < start - gap) {
      returning = true
      // A session between the previous one and this, or part of the previous one; older ones do not matter.
      const last = previousEnd()
      if (last === undefined || ts > last + gap) previous = new Map([[event.id, ts]])
      else if (ts >= previousStart() - gap) previous.set(event.id, ts)
      return true
    }
    if (ts < start) return false
    session.set(event.id, event)
    countSessionEvent(counts, event, 1)
    if (ts > end) end = ts
    return true
  }

  {
    const sessions = sessionize(events, gap)
    returning = sessions.length > 1
    if (returning) previous = new Map(sessions[sessions.length - 2].map((e) => [e.id, e.ts]))
    reset(sessions[sessions.length - 1] ?? [])
    for (const event of events) keep(event)
  }

  return {
    add(batch) {
      for (const event of batch) {
        keep(event)
        const old = session.get(event.id)
        if (old) remove(old)
        else if (previous.delete(event.id) && previous.size === 0) {
          // The previous session's only event moved: whether an earlier session exists is not known here.
          return false
        }
        if (!insert(event)) return false
      }
      return true
    },
    features(now) {
      if (latest > now) return undefined
      const aggregate = toSessionAggregate(counts, start, { returning, previousEnd: previousEnd(), specialDays: options.specialDays })
      if (session.size === 0) withClockOf(aggregate, now)
      const lifetime = aggregateLifetime([...orders.values()], now)
      return { session: aggregate, lifetime, sessionRaw: sessionVector(aggregate), lifetimeRaw: lifetimeVector(lifetime) }
    },
    sessionStart: () => (session.size ? start : undefined),
  }
}
