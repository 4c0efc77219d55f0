import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { MANIFEST_FILE } from './publishPacks'

/** Names of the files `publishPacks()` writes: the manifest and `<kind>-v<version>.json`. */
export const PUBLISHED_FILE = /^(?:packs\.manifest|(?:session|lifetime)-v[1-9][0-9]{0,15}\.json)$/

/**
 * A file `publishPacks()` wrote to `dir`, for the collector to serve at `/seglet/<name>`; `undefined` for any
 * other name or a file that is not there. Only the names above are ever read, so no path leaves `dir`.
 *
 * @example
 * await readPublishedFile('.seglet-collector/public', 'packs.manifest')
 */
export async function readPublishedFile(dir: string, name: string): Promise<{ body: Uint8Array<ArrayBuffer>; type: string } | undefined> {
  if (!PUBLISHED_FILE.test(name)) return undefined
  try {
    const body = new Uint8Array(await readFile(join(dir, name)))
    return { body, type: name === MANIFEST_FILE ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8' }
  } catch {
    return undefined
  }
}
