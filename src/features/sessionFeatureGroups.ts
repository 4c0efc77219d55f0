import { MONTH_KEYS, SESSION_FEATURES } from './sessionFeatures'
import type { SessionAggregate } from './types'

/** Session features that say one thing together, under the name and value whose words say it. */
export interface SessionFeatureGroup {
  /** The feature whose words say what the group says (`month_nov`: "visiting in November"). */
  name: string
  /** Its value. */
  raw: number
  /** The features the group stands for. */
  members: readonly string[]
  /** Its words, where the name's feature cannot say them from `raw` alone. */
  says?: string
}

const SEASON = SESSION_FEATURES.map((f) => f.name).filter((name) => name.startsWith('month_'))
const TIME_OF_DAY = ['hour_sin', 'hour_cos']
const PAGE_STATISTICS = ['has_stats', 'bounce_rate', 'exit_rate', 'page_value', 'page_value_positive']
const RATES = ['bounce_rate', 'exit_rate']
const RATE_KEYS = ['bounceRate', 'exitRate'] as const

/**
 * The session features an explanation gives as one line each, since they say one thing only together: the
 * season (`month_sin`, `month_cos` and the twelve one-hot months: "the time of year" twice and "not visiting in
 * March" say less than the month itself), named by the session's month; the time of day (`hour_sin`,
 * `hour_cos`); in a session without the shop's page statistics, the statistics' features, whose zeros then
 * stand for none ("no page statistics from the shop"), not for "pages with a 0% exit rate"; and in a session
 * whose pages carried a page value but no bounce or exit rate, those rates with the page value ("average page
 * value 12.5"), as their zeros stand for none too. A session close to a special day of the calendar gets that
 * day by its name ("close to Mother's Day").
 *
 * @example
 * sessionFeatureGroups(session) // a November session at 14:00, without page statistics:
 * // [{ name: 'month_nov', raw: 1, members: ['month_sin', 'month_cos', 'month_jan', …, 'month_dec'] },
 * //  { name: 'hour_cos', raw: -0.87, members: ['hour_sin', 'hour_cos'] },
 * //  { name: 'has_stats', raw: 0, members: ['has_stats', 'bounce_rate', 'exit_rate', 'page_value', 'page_value_positive'] }]
 */
export function sessionFeatureGroups(session: SessionAggregate): SessionFeatureGroup[] {
  // The larger of the two components: a value of 0 reads as "nothing counted" to the panel.
  const [sin, cos] = TIME_OF_DAY.map((name) => ({ name, raw: SESSION_FEATURES.find((f) => f.name === name)!.read(session) }))
  const hour = Math.abs(sin.raw) > Math.abs(cos.raw) ? sin : cos
  const groups: SessionFeatureGroup[] = [
    { name: `month_${MONTH_KEYS[session.month]}`, raw: 1, members: SEASON },
    { ...hour, members: TIME_OF_DAY },
  ]
  const stats = session.stats
  if (!stats) groups.push({ name: 'has_stats', raw: 0, members: PAGE_STATISTICS })
  else {
    // Rates no page view carried read 0 for none: they go with the page value, which the statistics stand on.
    const missing = RATES.filter((_, i) => stats[RATE_KEYS[i]] === undefined)
    if (missing.length) groups.push({ name: 'page_value', raw: stats.pageValue, members: ['page_value', ...missing] })
  }
  // The special day by its name, which the closeness alone does not give.
  if (session.specialDay > 0 && session.specialDayName) groups.push({ name: 'special_day', raw: session.specialDay, members: ['special_day'], says: `close to ${session.specialDayName}` })
  return groups
}
