import type { SpecialDayRule } from './types'
import { DAY_MS } from '../lib/time'

/**
 * Valentine's Day and Mother's Day (second Sunday of May), the special days of UCI Online Shoppers.
 * Valentine's peaks 6 days before (8 February, as Sakar et al. describe); Mother's Day peaks 7 days before, on
 * the Sunday a week ahead, because UCI's Mother's Day sessions with closeness 1 fall on weekends.
 */
export const DEFAULT_SPECIAL_DAYS: readonly SpecialDayRule[] = [
  { name: "Valentine's Day", month: 2, day: 14 },
  { name: "Mother's Day", month: 5, weekday: 0, nth: 2, peakDaysBefore: 7 },
]

/** Default days before a special day at which closeness peaks (shoppers order ahead of delivery). */
export const SPECIAL_DAY_PEAK_DAYS = 6

function dayNumber(year: number, month0: number, day: number): number {
  // Calendar days are counted in UTC so daylight-saving shifts never make a day 23 or 25 hours long.
  return Math.round(Date.UTC(year, month0, day) / DAY_MS)
}

function ruleDay(rule: SpecialDayRule, year: number): number {
  const month0 = rule.month - 1
  if (rule.day !== undefined) return dayNumber(year, month0, rule.day)
  const weekday = rule.weekday ?? 0
  const firstWeekday = new Date(Date.UTC(year, month0, 1)).getUTCDay()
  const first = 1 + ((weekday - firstWeekday + 7) % 7)
  return dayNumber(year, month0, first + 7 * ((rule.nth ?? 1) - 1))
}

/**
 * Closeness of a local calendar date to the next special day, following UCI's `SpecialDay`: it peaks at 1
 * `p` days before the special day (`peakDaysBefore`, default `SPECIAL_DAY_PEAK_DAYS` = 6) and falls by 0.2 per
 * day on either side:
 *
 *   closeness = max(0, 1 − 0.2 · |d − p|), d = days until the special day (d ≥ 0),
 *
 * so with p = 6 it is non-zero from 10 to 2 days before (Valentine's: 4–12 February, peak 8 February).
 * The maximum over all special days of this and the next year is returned.
 *
 * @example
 * specialDayCloseness(new Date(2018, 1, 8).getTime()) // 1
 */
export function specialDayCloseness(
  ts: number,
  specialDays: readonly SpecialDayRule[] = DEFAULT_SPECIAL_DAYS,
): number {
  return nearestSpecialDay(ts, specialDays).closeness
}

/**
 * {@link specialDayCloseness} with the name of the special day it is the closeness to (the first rule to reach it),
 * when the closeness is above 0 and the rule's name is a non-empty string.
 *
 * @example
 * nearestSpecialDay(new Date(2018, 1, 8).getTime()) // { closeness: 1, name: "Valentine's Day" }
 */
export function nearestSpecialDay(
  ts: number,
  specialDays: readonly SpecialDayRule[] = DEFAULT_SPECIAL_DAYS,
): { closeness: number; name?: string } {
  const date = new Date(ts)
  const year = date.getFullYear()
  const today = dayNumber(year, date.getMonth(), date.getDate())
  let best = 0
  let name: unknown
  for (const rule of specialDays) {
    for (const y of [year, year + 1]) {
      const d = ruleDay(rule, y) - today
      if (d < 0) continue
      // Integer steps keep the result exactly one of 0, 0.2, …, 1.
      const steps = Math.max(0, 5 - Math.abs(d - (rule.peakDaysBefore ?? SPECIAL_DAY_PEAK_DAYS)))
      if (steps / 5 > best) name = rule.name
      // Math.max: a rule the code cannot read (no month) makes the closeness NaN, as it always has.
      best = Math.max(best, steps / 5)
    }
  }
  return typeof name === 'string' && name ? { closeness: best, name } : { closeness: best }
}
