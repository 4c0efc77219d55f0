import { fileProblem } from '../collector/lib/fileProblem'
import { shortenPaths } from './userPath'

/**
 * A problem with the data or the command line that the user can fix (a missing file, a wrong format).
 * `npm run train` / `npm run evaluate` print its message on one line, without a stack trace.
 */
export class DataError extends Error {
  override name = 'DataError'
}

/**
 * The one line printed for a failure the user can fix, or undefined for a bug (whose stack is printed); its paths
 * are named as typed, relative to the folder the command was typed in (see `shortenPaths`).
 */
export function describeFailure(error: unknown, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const line = failureLine(error)
  return line === undefined ? undefined : shortenPaths(line, env)
}

function failureLine(error: unknown): string | undefined {
  if (error instanceof DataError) return error.message
  const e = error as NodeJS.ErrnoException
  if (e && (e.code === 'ENOENT' || e.code === 'EISDIR' || e.code === 'EACCES' || e.code === 'ENOTDIR') && typeof e.path === 'string') return `${e.path}: ${fileProblem(e)}`
  return undefined
}
