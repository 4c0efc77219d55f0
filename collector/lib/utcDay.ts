/** The UTC calendar day of `time` as 'YYYY-MM-DD', the only clock reading a report carries. */
export function utcDay(time: number | Date = Date.now()): string {
  return new Date(time).toISOString().slice(0, 10)
}
