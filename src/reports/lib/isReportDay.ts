let lastValid = ''

/** True for a real calendar day written `YYYY-MM-DD` (years 2000–2999). */
export function isReportDay(value: unknown): value is string {
  // Reports of one day repeat the same string: remember the last one that passed.
  if (value === lastValid) return true
  if (typeof value !== 'string' || !/^2\d{3}-\d{2}-\d{2}$/.test(value)) return false
  const date = new Date(`${value}T00:00:00Z`)
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) return false
  lastValid = value
  return true
}
