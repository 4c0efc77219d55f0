import { mkdir, stat } from 'node:fs/promises'
import { dirname } from 'node:path'

/**
 * Makes a folder and the folders above it that are missing, as `mkdir(path, { recursive: true })` does, with the
 * errors that call gives (EEXIST for a file where the folder should be, ENOTDIR for a file above it). Unlike it, a
 * folder refused with ENOENT although its parent is there (anything under `/proc`) is that error, not a call that
 * never returns: Node.js's recursive mkdir makes the parent and tries again, for ever.
 *
 * @example
 * await makeFolder('reports/page-stats') // made, or already a folder
 */
export async function makeFolder(path: string, mode?: number): Promise<void> {
  try {
    await mkdir(path, { mode })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const parent = dirname(path)
    // Already there: done if a folder (another writer's too), else mkdir's EEXIST.
    if (code === 'EEXIST' && (await stat(path).then((s) => s.isDirectory(), () => false))) return
    if (code !== 'ENOENT' || parent === path || (await stat(parent).then(() => true, () => false))) throw error
    // The parent is missing: it first, then this folder once more (its parent there now, an ENOENT is final).
    await makeFolder(parent, mode)
    await makeFolder(path, mode)
  }
}
