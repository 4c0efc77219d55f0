import { closeSync, fsyncSync, openSync } from 'node:fs'
import { open } from 'node:fs/promises'

// Where a folder cannot be synced (Windows; file systems that refuse fsync on a folder), its entries go to disk
// with the system's own flush: nothing to do. Also when this process may write into the folder but not read it.
const CANNOT_SYNC_FOLDER = ['EINVAL', 'ENOTSUP', 'EISDIR', 'EPERM', 'EBADF']

/** Throws `error` (naming `dir` when the system names nothing) unless it says the folder cannot be synced here. */
function unlessCannotSync(error: unknown, dir: string): void {
  const failure = error as NodeJS.ErrnoException
  if (CANNOT_SYNC_FOLDER.includes(failure.code ?? '')) return
  failure.path ??= dir
  throw failure
}

/**
 * Puts a folder's entries (a rename) on disk, where the system can sync a folder.
 *
 * @example
 * await rename(temporary, file); await syncFolder(dirname(file))
 */
export async function syncFolder(dir: string): Promise<void> {
  if (process.platform === 'win32') return
  const handle = await open(dir, 'r').catch(() => undefined)
  if (!handle) return
  try {
    await handle.sync()
  } catch (error) {
    unlessCannotSync(error, dir)
  } finally {
    await handle.close()
  }
}

/**
 * {@link syncFolder} for a command that writes synchronously (a training run's files).
 *
 * @example
 * renameSync(temporary, file); syncFolderSync(dirname(file))
 */
export function syncFolderSync(dir: string): void {
  if (process.platform === 'win32') return
  let fd: number
  try {
    fd = openSync(dir, 'r')
  } catch {
    return
  }
  try {
    fsyncSync(fd)
  } catch (error) {
    unlessCannotSync(error, dir)
  } finally {
    closeSync(fd)
  }
}
