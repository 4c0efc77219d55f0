const DAY_MS = 86_400_000

/** The UTC day `days` after `day` (negative for before), both as 'YYYY-MM-DD'. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)
}
