import type { StoredEvent } from '../events/types'

/** Inactivity gap that ends a session: 30 minutes. */
export const DEFAULT_SESSION_GAP_MS = 30 * 60 * 1000

/**
 * Splits events into sessions: sorted by `ts`, a new session starts after `gapMs` without events.
 *
 * @example
 * const sessions = sessionize(events)
 * const current = sessions[sessions.length - 1] ?? []
 */
export function sessionize(events: readonly StoredEvent[], gapMs: number = DEFAULT_SESSION_GAP_MS): StoredEvent[][] {
  const sorted = isSorted(events) ? events.slice() : events.slice().sort((a, b) => a.ts - b.ts)
  const sessions: StoredEvent[][] = []
  let current: StoredEvent[] = []
  let last = -Infinity
  for (const event of sorted) {
    if (current.length > 0 && event.ts - last > gapMs) {
      sessions.push(current)
      current = []
    }
    current.push(event)
    last = event.ts
  }
  if (current.length > 0) sessions.push(current)
  return sessions
}

function isSorted(events: readonly StoredEvent[]): boolean {
  // Stored events almost always arrive in order; skipping the sort keeps a decision well under a millisecond.
  for (let i = 1; i < events.length; i++) if (events[i].ts < events[i - 1].ts) return false
  return true
}
