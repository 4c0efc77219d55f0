import { readdir, rename, stat, unlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { syncFolder } from './syncFolder'
import { writeTemporary } from './writeTemporary'

/**
 * Writes `file` whole or not at all: the data goes to a temporary file beside it, which is synced to disk and
 * then renamed over it, and the folder is synced after the rename; so a run killed half-way, a full disk or a
 * power cut leaves the previous file as it was or the new one whole, never part of the new one or an empty
 * file under its name. The temporary file is removed when the write fails, and the error names `file` when
 * the system's names none. The new file gets `mode` (less the process's umask), never the mode of the file it
 * replaces, and has it from its creation: a private key is never readable by others, not even before a chmod.
 *
 * @example
 * await writeFileAtomic('.seglet-collector/retrained/session.json', text)
 * await writeFileAtomic('.seglet-collector/keys/pack-signing.key', pem, { mode: 0o600 })
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, { mode = 0o666 }: { mode?: number } = {}): Promise<void> {
  const temporary = await writeTemporary(file, data, mode)
  try {
    await rename(temporary, file)
  } catch (error) {
    await unlink(temporary).catch(() => undefined)
    if (error instanceof Error && (error as NodeJS.ErrnoException).path === undefined) (error as NodeJS.ErrnoException).path = file
    throw error
  }
  await syncFolder(dirname(file))
}

/** A temporary file untouched this long is left by a write that died: a write under way takes seconds at most. */
export const STALE_TEMPORARY_MS = 3_600_000

/**
 * Deletes the temporary files {@link writeFileAtomic} left in `dir` when the process writing one of its files died
 * half-way (killed, a host cut off), untouched for more than {@link STALE_TEMPORARY_MS}: only the names it writes
 * (`<name>.<pid>-<8 hex>.tmp`) beside a file `isOwn(name)` says is written so, so a write under way, or another
 * program's files, are left alone. A folder that cannot be read, or a file that cannot be deleted, is left as it is.
 *
 * @example
 * await removeStaleTemporaries('.seglet-collector/public', (name) => name === 'packs.manifest')
 */
export async function removeStaleTemporaries(dir: string, isOwn: (name: string) => boolean, now: number = Date.now()): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[])
  for (const name of names) {
    const match = /^(.+)\.\d+-[0-9a-f]{8}\.tmp$/.exec(name)
    if (!match || !isOwn(match[1]!)) continue
    const info = await stat(join(dir, name)).catch(() => undefined)
    if (info && now - info.mtimeMs > STALE_TEMPORARY_MS) await unlink(join(dir, name)).catch(() => undefined)
  }
}
