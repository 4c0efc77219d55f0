import { randomBytes } from 'node:crypto'
import { rename, unlink, writeFile } from 'node:fs/promises'

/**
 * Writes `file` whole or not at all: the data goes to a temporary file beside it, which is then renamed over
 * it, so a run killed half-way (or a full disk) leaves the previous file as it was, never part of the new one.
 * The temporary file is removed when the write fails.
 *
 * @example
 * await writeFileAtomic('.seglet-collector/public/models/session.json', text)
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`
  try {
    await writeFile(temporary, data)
    await rename(temporary, file)
  } catch (error) {
    await unlink(temporary).catch(() => undefined)
    throw error
  }
}
