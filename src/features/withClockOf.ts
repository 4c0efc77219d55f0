import type { SessionAggregate } from './types'

/**
 * Gives an empty session (no events yet) the month and hour of `now`, in local time, so the calendar
 * features describe the visit that is starting rather than January 1970.
 *
 * @example
 * if (current.length === 0) withClockOf(session, Date.now())
 */
export function withClockOf(session: SessionAggregate, now: number): SessionAggregate {
  const date = new Date(now)
  session.month = date.getMonth()
  session.hour = date.getHours()
  return session
}
