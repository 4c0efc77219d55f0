import { randomBytes } from 'node:crypto'
import { open, unlink, writeFile } from 'node:fs/promises'

/**
 * Writes `data` to a new temporary file beside `file` (`<file>.<pid>-<8 hex>.tmp`, the name
 * `removeStaleTemporaries` knows), synced to disk, and returns its path, for the caller to rename over `file`. The
 * file has `mode` (less the process's umask) from its creation. When the write fails, the temporary file is
 * removed and the error names `file` when the system's names none (a full disk: `ENOSPC …, write`).
 *
 * @example
 * const temporary = await writeTemporary('keys/pack-signing.key', pem, 0o600)
 * await rename(temporary, 'keys/pack-signing.key')
 */
export async function writeTemporary(file: string, data: string | Uint8Array, mode = 0o666): Promise<string> {
  const temporary = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`
  try {
    const handle = await open(temporary, 'w', mode)
    try {
      await writeFile(handle, data)
      // Without it, a file system may put the rename on disk before the data (ext4, XFS): after a power cut the
      // name would hold an empty or partial file.
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch (error) {
    await unlink(temporary).catch(() => undefined)
    if (error instanceof Error && (error as NodeJS.ErrnoException).path === undefined) (error as NodeJS.ErrnoException).path = file
    throw error
  }
  return temporary
}
