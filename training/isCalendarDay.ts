/** Days in each month of a common year, January first. */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/**
 * Whether `year`-`month`-`day` (month 1 to 12) is a day of the calendar. `Date.UTC` takes any day up to 31 and moves
 * it into the next month (2024-02-31 is March 2), so a date read from a file is checked here first: a day the
 * exporter could not have written is refused, never shifted.
 *
 * @example
 * isCalendarDay(2024, 2, 29) // true: a leap year
 * isCalendarDay(2023, 2, 29) // false
 * isCalendarDay(2024, 4, 31) // false
 */
export function isCalendarDay(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day) || month < 1 || month > 12 || day < 1) return false
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  return day <= (month === 2 && leap ? 29 : MONTH_DAYS[month - 1])
}
