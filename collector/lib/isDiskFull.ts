/**
 * Whether a database or file error says the disk is full: PostgreSQL's `disk_full` (SQLSTATE 53100, as PGlite says it
 * too), the system's `ENOSPC`, or their words ("could not extend file …: No space left on device").
 *
 * @example
 * if (isDiskFull(error)) console.error('free space on the database\'s disk')
 */
export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code
  if (code === '53100' || code === 'ENOSPC') return true
  // A failure wrapped with its cause: a read that could not sum the reports first.
  if (error instanceof Error && error.cause !== undefined && error.cause !== error && isDiskFull(error.cause)) return true
  return /no space left on device/i.test(error instanceof Error ? error.message : String(error))
}
