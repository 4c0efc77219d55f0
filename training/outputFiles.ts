import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
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

/** Whether a process `pid` runs on this machine (one of another user's counts as running). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH'
  }
}

/**
 * Removes the temporary files (`<name>.<pid>.partial`) a stopped write of `path` left beside it, of processes that
 * no longer run: a killed run (SIGKILL, a power cut) cannot remove its own. Those of a running process (another
 * run writing now) are left to it.
 */
function removeStalePartials(path: string): void {
  let names: string[]
  try {
    names = readdirSync(dirname(path))
  } catch {
    return
  }
  const prefix = `${basename(path)}.`
  for (const name of names) {
    const pid = name.startsWith(prefix) && name.endsWith('.partial') ? name.slice(prefix.length, -'.partial'.length) : ''
    if (!/^[1-9]\d*$/.test(pid) || Number(pid) === process.pid || isRunning(Number(pid))) continue
    rmSync(join(dirname(path), name), { force: true })
  }
}

/**
 * Writes every file whole or leaves it as it was: each is written beside its place under a temporary name (its
 * folder made when missing), then all are renamed into place, so a run stopped part-way (Ctrl-C, a full disk, a power cut)
 * never leaves a half-written pack; a pack of this run beside one of the last only if it stops within the renames
 * themselves (well under a millisecond, all writing done). The temporary files a killed
 * run left beside them (of a process that no longer runs) are removed.
 *
 * @example
 * writeFilesWhole([['/out/session.json', sessionText], ['/out/lifetime.json', lifetimeText]])
 */
export function writeFilesWhole(files: ReadonlyArray<readonly [path: string, text: string]>): void {
  const temporary = files.map(([path]) => `${path}.${process.pid}.partial`)
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
}
