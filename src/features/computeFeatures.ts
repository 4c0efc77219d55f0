import type { StoredEvent } from '../events/types'
import { aggregateLifetime } from './aggregateLifetime'
import { aggregateSession } from './aggregateSession'
import { withClockOf } from './withClockOf'
import { DEFAULT_SESSION_GAP_MS, sessionize } from './sessionize'
import type { FeatureOptions, Features } from './types'
import { lifetimeVector, sessionVector } from './vectors'

/**
 * Everything the models need from the stored history: the current session (the last one when the history is
 * split by the inactivity gap), whether earlier sessions exist, and the lifetime RFM view. Events after `now`
 * are ignored.
 *
 * @example
 * const { sessionRaw, lifetimeRaw } = computeFeatures((await seglet.exportData()).events, Date.now())
 */
export function computeFeatures(events: readonly StoredEvent[], now: number, options: FeatureOptions = {}): Features {
  const past = events.every((e) => e.ts <= now) ? events : events.filter((e) => e.ts <= now)
  const sessions = sessionize(past, options.sessionGapMs ?? DEFAULT_SESSION_GAP_MS)
  const current = sessions.length > 0 ? sessions[sessions.length - 1] : []
  const previous = sessions.length > 1 ? sessions[sessions.length - 2] : undefined
  const session = aggregateSession(current, {
    returning: previous !== undefined,
    previousEnd: previous?.[previous.length - 1].ts,
    specialDays: options.specialDays,
  })
  if (current.length === 0) withClockOf(session, now)
  const lifetime = aggregateLifetime(past, now)
  return { session, lifetime, sessionRaw: sessionVector(session), lifetimeRaw: lifetimeVector(lifetime) }
}
