/**
 * A problem with the data or the command line that the user can fix (a missing file, a wrong format).
 * `npm run train` / `npm run evaluate` print its message on one line, without a stack trace.
 */
export class DataError extends Error {
  override name = 'DataError'
}

/** The one line printed for a failure the user can fix, or undefined for a bug (whose stack is printed). */
export function describeFailure(error: unknown): string | undefined {
  if (error instanceof DataError) return error.message
  const e = error as NodeJS.ErrnoException
  if (e && (e.code === 'ENOENT' || e.code === 'EISDIR' || e.code === 'EACCES') && typeof e.path === 'string') {
    const what = e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'a folder, not a file' : 'not readable'
    return `${e.path}: ${what}`
  }
  return undefined
}
