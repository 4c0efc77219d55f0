// What the system's own message says after its code, before the call and path it repeats: "ENOSPC: no space left
// on device, write" → "no space left on device".
const SYSTEM_MESSAGE = /^[A-Z][A-Z0-9_]+: (.*?)(?:, \w+(?: '[^']*')*)?$/s

/** Plain words for the codes a file named on a command line most often fails with. */
const PROBLEMS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'a folder, not a file',
  ENOTDIR: 'a file on this path is not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
}

/**
 * Why a file could not be read or written, in plain words and without the path the system's message repeats (the
 * message around it names the file once): `no such file`, not `ENOENT: no such file or directory, open '/x/y'`.
 * Used by the collector's commands and by training.
 *
 * @example
 * `cannot read the signing key ${file}: ${fileProblem(error)}` // 'cannot read the signing key keys/x.key: no such file'
 */
export function fileProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code !== undefined && PROBLEMS[code] !== undefined) return PROBLEMS[code]
  // A folder's own mkdir finding a file where the folder should be: not "file already exists".
  if (code === 'EEXIST' && (error as NodeJS.ErrnoException).syscall === 'mkdir') return 'it is a file, not a folder'
  const message = error instanceof Error ? error.message : String(error)
  return (SYSTEM_MESSAGE.exec(message)?.[1] ?? message).replace(/\s+/g, ' ')
}
