import { createHash } from 'node:crypto'
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { isRunning } from '../collector/lib/isRunning'
import { syncFolderSync } from '../collector/lib/syncFolder'
import { thisMachine } from '../collector/lib/thisMachine'
import { DataError } from './dataError'

/** What is at `path`: a folder, a file, or nothing. */
function kindAt(path: string): 'folder' | 'file' | undefined {
  try {
    return statSync(path).isDirectory() ? 'folder' : 'file'
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    // ENOTDIR: a file stands where a folder of the path should be; the walk up names it.
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined
    throw error
  }
}

/**
 * Checks, before a run reads its data, that `path` can be written as a `kind` (a file, or a folder of files): a
 * folder where a file goes, a file where a folder goes, or a file among the folders above it is a one-line
 * `DataError` naming `option` and the path, so a long run never ends unable to write what it computed. A folder
 * that does not exist yet is fine: it is made when written.
 *
 * @example
 * checkOutputPath('--report', '/tmp/report.html', 'file')
 */
export function checkOutputPath(option: string, path: string, kind: 'file' | 'folder'): void {
  const found = kindAt(path)
  if (found === 'folder' && kind === 'file') throw new DataError(`${option} ${path}: a folder, not a file; give the file to write`)
  if (found === 'file' && kind === 'folder') throw new DataError(`${option} ${path}: a file, not a folder; give the folder to write into`)
  if (found !== undefined) return
  for (let above = dirname(path); ; above = dirname(above)) {
    const at = kindAt(above)
    if (at === 'file') throw new DataError(`${option} ${path}: ${above} is a file, not a folder`)
    if (at === 'folder' || dirname(above) === above) return
  }
}

/** A temporary file of another machine untouched this long was left by a run that died: a run writes in seconds. */
export const STALE_PARTIAL_MS = 86_400_000

/** This machine (host and process-id namespace, see `thisMachine`) as 8 hex digits, fit for a file name. */
function machineTag(): string {
  return createHash('sha256').update(thisMachine()).digest('hex').slice(0, 8)
}

/**
 * The temporary name a write of `path` by process `pid` of this machine uses: `<name>.<machine>-<pid>.partial`, the
 * machine named so that a run on another host writing to the same shared folder (NFS) is told from a dead one here.
 *
 * @example
 * partialPath('/out/session.json') // '/out/session.json.3f2a9c01-4242.partial'
 */
export function partialPath(path: string, pid: number = process.pid): string {
  return `${path}.${machineTag()}-${pid}.partial`
}

/**
 * Removes the temporary files a stopped write of `path` left beside it: a killed run (SIGKILL, a power cut) cannot
 * remove its own. Those of this machine are removed when their process no longer runs; those of another machine
 * (whose processes cannot be seen from here), or without a machine in their name, only when untouched for
 * {@link STALE_PARTIAL_MS}. A run writing now, here or on another host, keeps its own.
 */
function removeStalePartials(path: string, now = Date.now()): void {
  let names: string[]
  try {
    names = readdirSync(dirname(path))
  } catch {
    return
  }
  const prefix = `${basename(path)}.`
  const machine = machineTag()
  for (const name of names) {
    const match = name.startsWith(prefix) ? /^(?:([0-9a-f]{8})-)?([1-9]\d*)\.partial$/.exec(name.slice(prefix.length)) : null
    if (!match) continue
    const file = join(dirname(path), name)
    const stale = match[1] === machine ? Number(match[2]) !== process.pid && !isRunning(Number(match[2])) : isOlderThan(file, now - STALE_PARTIAL_MS)
    if (stale) rmSync(file, { force: true })
  }
}

/** Whether the file was last written before `time` (false when it is gone). */
function isOlderThan(file: string, time: number): boolean {
  try {
    return statSync(file).mtimeMs < time
  } catch {
    return false
  }
}

/**
 * Writes every file whole or leaves it as it was: each is written beside its place under a temporary name (its
 * folder made when missing) and synced, then all are renamed into place and their folders synced, so a run stopped
 * part-way (Ctrl-C, a full disk, a power cut) never leaves a half-written pack; a pack of this run beside one of the
 * last only if it stops within the renames themselves (well under a millisecond, all writing done). The temporary
 * files a killed run left beside them (of a process of this machine that no longer runs, or a day old) are removed.
 *
 * @example
 * writeFilesWhole([['/out/session.json', sessionText], ['/out/lifetime.json', lifetimeText]])
 */
export function writeFilesWhole(files: ReadonlyArray<readonly [path: string, text: string]>): void {
  const temporary = files.map(([path]) => partialPath(path))
  for (const [path] of files) removeStalePartials(path)
  try {
    files.forEach(([path, text], i) => {
      mkdirSync(dirname(path), { recursive: true })
      const fd = openSync(temporary[i], 'w')
      try {
        writeFileSync(fd, text)
        // On disk before the rename: else a file system may keep the rename and lose the data (ext4, XFS) in a power cut.
        fsyncSync(fd)
      } finally {
        closeSync(fd)
      }
    })
    files.forEach(([path], i) => renameSync(temporary[i], path))
  } catch (error) {
    for (const path of temporary) rmSync(path, { force: true })
    throw error
  }
  for (const folder of new Set(files.map(([path]) => dirname(path)))) syncFolderSync(folder)
}
