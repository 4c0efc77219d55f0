import type { StoredEvent } from '../events/types'
import { aggregateLifetime } from './aggregateLifetime'
import { countSessionEvent, emptySessionCounts, toSessionAggregate, type SessionCounts } from './sessionCounts'
import { DEFAULT_SESSION_GAP_MS, sessionize } from './sessionize'
import { withClockOf } from './withClockOf'
import type { FeatureOptions, Features } from './types'
import { lifetimeVector, sessionVector } from './vectors'

/**
 * Most events of the current session a fold holds once it sweeps (at twice as many): the newest ones, which a
 * write may still give a newer version of (the store's copy of what the page just wrote, a checkout record
 * completed by the bridges), and the newest engagement record. Older ones live on in the running sums only.
 */
export const HELD_EVENTS = 100

/** Features kept up to date event by event, instead of folding the whole history again. */
export interface FeatureFold {
  /**
   * Adds events: new ones, or newer versions of ones added before (same `id`, such as the page's engagement
   * record). Returns `false` when they cannot be taken incrementally (an event just before the current
   * session, which may join it to an earlier one the fold no longer holds; an event no newer than one the fold let
   * go, which may be a version of it): build a new fold from a full read. A newer version of an event keeps its
   * time, except the newest engagement record's, which may come at any later time.
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
 * Starts a fold from stored events (the same ones `computeFeatures()` would get). Only the orders and refunds,
 * and the newest of the current session's events (`held`, see `HELD_EVENTS`) are held, so a page open for hours
 * holds no more of a long session than of a short one; the session's running sums move with each event.
 *
 * @example
 * const fold = createFeatureFold(await readDecisionEvents(store, Date.now()))
 * store.onFlush((batch) => fold.add(batch) || rebuild())
 * const features = fold.features(Date.now())
 */
export function createFeatureFold(events: readonly StoredEvent[], options: FeatureOptions = {}, held = HELD_EVENTS): FeatureFold {
  const gap = options.sessionGapMs ?? DEFAULT_SESSION_GAP_MS
  const orders = new Map<string, StoredEvent>()
  // The newest of the current session's events, by id (all of them until the first sweep).
  let session = new Map<string, StoredEvent>()
  // The time of the newest event the fold let go (of any session), and whether the current and the previous
  // session have such events: their shares stay in the sums, but a newer version of one cannot be taken out.
  let released = -Infinity
  let partial = false
  let previousPartial = false
  // With `previousPartial`: the time of the newest event let go when that session ended.
  let previousFloor = -Infinity
  let counts: SessionCounts = emptySessionCounts()
  let start = Infinity
  let end = -Infinity
  let latest = -Infinity
  let returning = false
  // Time of each event of the previous session, by id: its end gives daysSincePreviousSession, and a newer
  // version of one of them (an engagement record written again later) can be taken back out.
  let previous = new Map<string, number>()
  const previousEnd = () => (previous.size || previousPartial ? Math.max(previousPartial ? previousFloor : -Infinity, ...previous.values()) : undefined)
  /** No event in the current session: none held, none let go. */
  const empty = () => session.size === 0 && !partial
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

  /** Lets go of all but the newest `held` events of the session, and of its newest engagement record. */
  const sweep = () => {
    if (session.size <= 2 * held) return
    const sorted = [...session.values()].sort((a, b) => b.ts - a.ts)
    const record = sorted.find((e) => e.type === 'engagement')
    for (const event of sorted.slice(held)) {
      if (event === record) continue
      session.delete(event.id)
      if (event.ts > released) released = event.ts
      partial = true
    }
  }

  /** Takes `old` out; `false` when what the fold let go decides what is left (the session's start, a split). */
  const remove = (old: StoredEvent): boolean => {
    if (partial && old.ts <= released) return false
    session.delete(old.id)
    countSessionEvent(counts, old, -1)
    // Without it, the session may have shrunk or split in two: keep the part after the last gap. What the fold let
    // go comes first, as one event at the newest such time.
    const sorted = [...session.values(), ...(partial ? [{ ts: released } as StoredEvent] : [])].sort((a, b) => a.ts - b.ts)
    let from = 0
    for (let i = 1; i < sorted.length; i++) if (sorted[i].ts - sorted[i - 1].ts > gap) from = i
    if (from > 0 && partial) return false
    if (from > 0) {
      returning = true
      previous = lastSession(sorted.slice(0, from))
      previousPartial = false
      reset(sorted.slice(from))
    } else {
      if (!partial) start = sorted.length ? sorted[0].ts : Infinity
      end = sorted.length ? sorted[sorted.length - 1].ts : -Infinity
    }
    return true
  }

  const insert = (event: StoredEvent): boolean => {
    const { ts } = event
    if (empty() || ts > end + gap) {
      if (!empty()) {
        returning = true
        previous = new Map([...session.values()].map((e) => [e.id, e.ts]))
        previousPartial = partial
        previousFloor = partial ? released : -Infinity
      }
      partial = false
      reset([event])
      return true
    }
    if (ts < start - gap) {
      // When the previous session began is not known: whether this event joins it, neither.
      if (previousPartial) return false
      returning = true
      // A session between the previous one and this, or part of the previous one; older ones do not matter.
      const last = previousEnd()
      if (last === undefined || ts > last + gap) {
        previous = new Map([[event.id, ts]])
        previousPartial = false
      } else if (ts >= previousStart() - gap) previous.set(event.id, ts)
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
    if (returning) {
      // Its newest events only: what a newer version of one of them may move.
      const last = sessions[sessions.length - 2]
      const from = Math.max(0, last.length - 2 * held)
      previous = new Map(last.slice(from).map((e) => [e.id, e.ts]))
      if (from > 0) {
        previousPartial = true
        released = last[from - 1].ts
      }
    }
    reset(sessions[sessions.length - 1] ?? [])
    for (const event of events) keep(event)
    sweep()
  }

  return {
    add(batch) {
      for (const event of batch) {
        keep(event)
        const old = session.get(event.id)
        if (old) {
          if (!remove(old)) return false
        } else if (previous.delete(event.id) && (previous.size === 0 || previousPartial)) {
          // The previous session's only event moved: whether an earlier session exists is not known here. Nor,
          // when the fold let go of some of that session, when it began or ended.
          return false
        } else if (event.ts <= released) {
          // A version of an event the fold let go, or a late one among them: which, it cannot tell.
          return false
        }
        if (!insert(event)) return false
      }
      sweep()
      return true
    },
    features(now) {
      if (latest > now) return undefined
      const aggregate = toSessionAggregate(counts, start, { returning, previousEnd: previousEnd(), specialDays: options.specialDays })
      if (empty()) withClockOf(aggregate, now)
      const lifetime = aggregateLifetime([...orders.values()], now)
      return { session: aggregate, lifetime, sessionRaw: sessionVector(aggregate), lifetimeRaw: lifetimeVector(lifetime) }
    },
    sessionStart: () => (empty() ? undefined : start),
  }
}
