import { DEFAULT_SESSION_GAP_MS } from '../features/sessionize'
import type { StoredEvent } from '../events/types'
import type { EventStore } from '../store'

/** How far back a decision reads every stored event (6 hours); older history is read through indexes. */
export const DECISION_WINDOW_MS = 6 * 3_600_000

/** Start of the window that {@link readDecisionEvents} reads whole. */
export const decisionWindowStart = (now: number, sessionGapMs = DEFAULT_SESSION_GAP_MS): number =>
  now - Math.max(DECISION_WINDOW_MS, 4 * sessionGapMs)

/**
 * The stored events a decision needs, without reading the whole history: the events of the last
 * `DECISION_WINDOW_MS`, every purchase and refund, and the latest older event (`store.getFeatureEvents()`).
 * Features computed from them equal those computed from `store.getEvents()` as long as the current session
 * began more than one session gap after the window's start; when it did not (a session of many hours), or
 * when the window holds nothing yet, the whole history is read instead.
 *
 * @example
 * const features = computeFeatures(await readDecisionEvents(store, Date.now()), Date.now())
 */
export async function readDecisionEvents(store: EventStore, now: number, sessionGapMs = DEFAULT_SESSION_GAP_MS): Promise<StoredEvent[]> {
  const since = decisionWindowStart(now, sessionGapMs)
  return completeDecisionEvents(store, await store.getFeatureEvents(since), since, now, sessionGapMs)
}

/**
 * The second half of {@link readDecisionEvents}, for a caller that started `store.getFeatureEvents(since)`
 * itself: `events` when they are enough, else the whole history.
 */
export function completeDecisionEvents(
  store: EventStore,
  events: StoredEvent[],
  since: number,
  now: number,
  sessionGapMs = DEFAULT_SESSION_GAP_MS,
): StoredEvent[] | Promise<StoredEvent[]> {
  // The current session: the run of events up to `now` whose gaps are at most one session gap.
  let last = -1
  for (let i = events.length - 1; i >= 0; i--) {
    if (events[i].ts <= now) {
      last = i
      break
    }
  }
  if (last < 0 || events[last].ts < since) return store.getEvents()
  let start = events[last].ts
  for (let i = last - 1; i >= 0 && start - events[i].ts <= sessionGapMs; i--) start = events[i].ts
  return start - sessionGapMs > since ? events : store.getEvents()
}
