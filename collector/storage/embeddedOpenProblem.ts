import { accessSync, constants } from 'node:fs'
import { userInfo } from 'node:os'
import { dirname, join } from 'node:path'
import { fileProblem } from '../lib/fileProblem'

/** Where PGlite shows the store's folder to PostgreSQL: its messages name files under it. */
const DATA_FOLDER = '/pglite/data'

/**
 * The errors of PGlite's file layer (Emscripten's, numbered its own way, with no message) a store's folder meets most
 * often: their system code and plain words (as `fileProblem` says them).
 */
const FILE_LAYER_ERRORS: Record<number, [code: string, words: string]> = {
  2: ['EACCES', 'permission denied'],
  63: ['EPERM', 'permission denied'],
  69: ['EROFS', 'read-only file system'],
  51: ['ENOSPC', 'no space left on device'],
  44: ['ENOENT', 'no such file'],
  54: ['ENOTDIR', 'a file on this path is not a folder'],
  31: ['EISDIR', 'a folder, not a file'],
  29: ['EIO', 'input/output error'],
}

/**
 * Why the embedded store in `location` could not be opened, and what to check, as the rest of one line after
 * "cannot open the embedded store in …: ". The cause is PostgreSQL's own (`said`: what it wrote on its standard
 * error while it started, its FATAL line and that line's DETAIL, file names under the folder as they are on disk),
 * else the file system's, in plain words (`fileProblem`) with the path it failed on; PGlite's own error says only
 * that it "failed to initialize properly". What to check follows from the cause: the permissions of the folder and
 * its files for the user the collector runs as, free disk space, a database it cannot read, else all of them and
 * another program using the folder.
 *
 * @example
 * embeddedOpenProblem('/srv/db', error, ['… FATAL:  could not create lock file "postmaster.pid": Permission denied'])
 * // 'could not create lock file "/srv/db/postmaster.pid": Permission denied; the collector runs as user seglet: check that it may write /srv/db and every file in it …'
 */
export function embeddedOpenProblem(location: string, error: unknown, said: readonly string[]): string {
  const { cause, code, folder } = causeOf(location, error, said)
  const runsAs = `the collector runs as user ${userName()}`
  // The store's own folder, or the one above it (where its lock goes, or a folder on the way to it is made).
  const what = folder === location ? `${folder} and every file in it (their owner and mode: ls -la ${folder})` : `${folder} (its owner and mode: ls -ld ${folder})`
  let check: string
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || /permission denied|read-only file system|operation not permitted/i.test(cause))
    check = `${runsAs}: check that it may write ${what}, and that ${folder} is not on a read-only mount`
  else if (code === 'ENOSPC' || /no space left/i.test(cause)) check = `free space on the disk that holds ${folder} (df -h ${folder})`
  else if (/incompatible with server|invalid checkpoint|invalid data|could not read file|checksum|corrupt|not a directory|is a directory/i.test(cause))
    check = 'the folder holds a database this collector cannot read (made by another version of its embedded PostgreSQL, or damaged); leave it as it is, and restore the store from a backup or give --database a new folder'
  else check = `${runsAs}: check that it may write ${what}, that its disk has free space (df -h ${folder}), and that no other program uses the folder`
  // One line: PostgreSQL's and the system's words never hold a line break of their own, but nothing promises it.
  return `${cause.replace(/\s+/g, ' ')}; ${check}`
}

function causeOf(location: string, error: unknown, said: readonly string[]): { cause: string; code?: string; folder: string } {
  const errno = error as { name?: string; errno?: number; code?: string; path?: string } | undefined
  if (typeof errno?.code === 'string' && /^E[A-Z]+$/.test(errno.code)) {
    // The system's, through Node: the lock beside the folder, or a folder on the way to it, in the folder above.
    const path = typeof errno.path === 'string' && errno.path !== location ? errno.path : undefined
    return { cause: `${path ? `${path}: ` : ''}${fileProblem(error)}`, code: errno.code, folder: path ? dirname(path) : location }
  }
  // A folder this user may not write, asked of the system itself: PGlite's file layer says some of it in other words
  // ("could not create lock file …: File exists", for a lock file that is not there).
  const denied = writeProblem(location)
  if (denied) return { cause: fileProblem(denied), code: denied.code, folder: location }
  // "2026-12-06 20:06:43.057 UTC [42] FATAL:  could not create lock file …", then its "… DETAIL:  …" line.
  const lines = said.map((line) => /^(?:\S+ \S+ \S+ \[\d+\] )?([A-Z]+):\s+(.*)$/.exec(line)).filter((m) => m !== null)
  const fatal = lines.findIndex((m) => m[1] === 'FATAL' || m[1] === 'PANIC')
  if (fatal >= 0) {
    const detail = lines[fatal + 1]?.[1] === 'DETAIL' ? ` (${lines[fatal + 1]![2]!.replace(/\.$/, '')})` : ''
    const cause = `${lines[fatal]![2]!}${detail}`.replace(/"([^"]*)"/g, (_, path: string) => `"${onDisk(location, path)}"`)
    return { cause, folder: location }
  }
  if (errno?.name === 'ErrnoError' && typeof errno.errno === 'number') {
    const [code, words] = FILE_LAYER_ERRORS[errno.errno] ?? [undefined, `file error ${errno.errno}`]
    return { cause: words, code, folder: location }
  }
  return { cause: error instanceof Error ? error.message : String(error), folder: location }
}

/** Why this user may not write the folder `location`, when the system says so; `undefined` otherwise (a folder not there too). */
function writeProblem(location: string): NodeJS.ErrnoException | undefined {
  try {
    accessSync(location, constants.W_OK)
    return undefined
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? (error as NodeJS.ErrnoException) : undefined
  }
}

/** A file PostgreSQL names, as it is on disk: relative to the store's folder, or under PGlite's name for it. */
function onDisk(location: string, path: string): string {
  if (path === DATA_FOLDER || path.startsWith(`${DATA_FOLDER}/`)) return join(location, path.slice(DATA_FOLDER.length))
  // Only what looks like a file of the store, not a setting or value quoted in a message.
  return /^[\w.-]+(\/[\w.-]+)*$/.test(path) && /[/.]|^(base|global|pg_\w+|postmaster\.pid|PG_VERSION)$/.test(path) ? join(location, path) : path
}

function userName(): string {
  try {
    return userInfo().username
  } catch {
    // A container's user with no entry in /etc/passwd.
    return `id ${process.getuid?.() ?? '?'}`
  }
}
