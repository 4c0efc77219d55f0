import { DataError } from './dataError'

/**
 * Sets the time zone the session features are computed in when training on a shop's own events. The browser
 * computes the hour, weekend, month and special-day features in the shopper's local time; exported events
 * carry only UTC times, so training must run in the shop's time zone (`--time-zone Europe/Berlin`, or the
 * `TZ` environment variable), or a pack would read those features shifted by the UTC offset.
 * Returns the time zone in use; throws a `DataError` for a name that is not an IANA time zone, or when
 * `required` (training on events: `true`; on a shop's orders: the option that needs it, `'--lifetime-events'`)
 * and none is given; `events` names what needs it for sessions (`--events`, or the file `evaluate` scores).
 *
 * @example
 * useTimeZone('Europe/Berlin', true) // 'Europe/Berlin'
 */
export function useTimeZone(timeZone: string | undefined, required: boolean | string, events = '--events'): string | undefined {
  if (timeZone !== undefined) process.env.TZ = checkTimeZone(timeZone)

  const inUse = process.env.TZ || undefined
  if (required === true && !inUse) {
    throw new DataError(
      `${events} needs the shop's time zone: --time-zone <IANA name> (or TZ=…). The browser computes the hour, weekday and month features in local time, and the export holds UTC times`,
    )
  }
  if (typeof required === 'string' && !inUse) {
    throw new DataError(
      `${required} needs the shop's time zone: --time-zone <IANA name> (or TZ=…). The browser counts a customer's active days by local date, and the export holds UTC times`,
    )
  }
  return inUse
}

/** `timeZone` when it is an IANA time zone name; else throws the one-line `DataError` of `--time-zone`. */
export function checkTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone })
  } catch {
    throw new DataError(`--time-zone ${timeZone}: not an IANA time zone name (such as Europe/Berlin or America/New_York)`)
  }
  return timeZone
}
