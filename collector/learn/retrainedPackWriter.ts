import { readFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { ModelPack } from '../../src/pack/types'
import { publishPacks, readPublishedManifest } from '../packs/publishPacks'
import type { PackSigningKey } from '../packs/signingKey'
import { CollectorError } from '../lib/CollectorError'
import { removeStaleTemporaries, writeFileAtomic } from '../lib/writeFileAtomic'
import { fileProblem } from '../lib/fileProblem'
import { makeFolder } from '../lib/makeFolder'

/** Where and how an accepted retrain is written. */
export interface RetrainedPackTarget {
  /**
   * The folder the shop serves at `/seglet/` (the manifest's location). With `key`, the pack is published
   * there, signed, with a new signed manifest; the last published session pack is the one in use.
   */
  publishDir: string
  /** The pack-signing key (`npm run collector -- keygen`): a key file or a read key. Without it, `out` is written. */
  key?: string | PackSigningKey
  /** Without a key: the file the accepted pack is written to (the shop pins its hash in the page itself). */
  out: string
  /**
   * With a key: the least version the new manifest takes, as `publish-pack --min-version` (after the publish
   * folder was lost, one above any version browsers stored).
   * @default 1
   */
  minVersion?: number
}

/**
 * The `writePack` of `retrain()` for a target: with a signing key, `publishPacks` signs the pack and a new
 * manifest (browsers that pin the key pick it up at their next daily check, without a change to the page);
 * without one, the pack file is written to `out` (through a temporary file, so never in part). Returns what was written.
 *
 * @example
 * await retrain(db, { pack, epsilon: 2, writePack: retrainedPackWriter({ publishDir: '.seglet-collector/public', key: 'keys/pack-signing.key', out: 'session.json' }) })
 */
export function retrainedPackWriter(target: RetrainedPackTarget): (text: string) => Promise<string> {
  return async (text) => {
    if (target.key !== undefined) {
      const published = await publishPacks({ outDir: target.publishDir, key: target.key, packs: { session: JSON.parse(text) as ModelPack }, minVersion: target.minVersion })
      return `${published.packFiles.session} (manifest version ${published.version}, key ${published.keyId})`
    }
    try {
      await makeFolder(dirname(target.out))
      // Whole or not at all: a retrain killed while writing leaves the pack the shop serves as it was.
      await writeFileAtomic(target.out, text)
    } catch (error) {
      // One line for the command to print, as a publish says it (a folder not writable, a full disk).
      throw new CollectorError('collector_pack', `cannot write ${target.out}: ${fileProblem(error)}`, undefined, error)
    }
    // And what a retrain killed while it wrote `out` left beside it.
    await removeStaleTemporaries(dirname(target.out), (name) => name === basename(target.out))
    return target.out
  }
}

/**
 * The session pack last published in `publishDir` (what browsers that pin the key run now), or `undefined`
 * when nothing was published there yet.
 *
 * @example
 * const inUse = (await publishedSessionPack('.seglet-collector/public')) ?? shippedPack
 */
export async function publishedSessionPack(publishDir: string): Promise<{ file: string; text: string } | undefined> {
  const manifest = await readPublishedManifest(publishDir)
  const entry = manifest?.packs.session
  if (!entry) return undefined
  const file = join(publishDir, entry.url)
  return { file, text: await readFile(file, 'utf8') }
}
