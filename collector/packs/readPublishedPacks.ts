import { readFile, readdir, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { readPublishedManifest } from './publishPacks'

/** A pack file `publish-pack` writes (`session-v3.json`): each publish writes its new packs under a new name. */
const PACK_FILE = /^(?:session|lifetime)-v\d+\.json$/

/** Pack files read before, by path: each is written once under its own name, so only a changed one is read again. */
const read = new Map<string, { mtimeMs: number; size: number; pack: unknown }>()

/**
 * The packs `publish-pack` published in `dir` (parsed JSON; none when there is no readable manifest or pack): the
 * ones the manifest lists last, after those of earlier publishes still in the folder (a retrain replaces the
 * session pack weekly, and browsers that took the earlier one keep reporting under its pack id until they take the
 * new one: the estimates follow it, with its names, while it has the most reports).
 *
 * @example
 * packContexts([...shippedPacks, ...(await readPublishedPacks('.seglet-collector/public'))])
 */
export async function readPublishedPacks(dir: string): Promise<unknown[]> {
  const manifest = await readPublishedManifest(dir).catch(() => undefined)
  const current = Object.values(manifest?.packs ?? {}).map((entry) => basename(entry.url))
  const earlier = ((await readdir(dir).catch(() => [])) as string[]).filter((name) => PACK_FILE.test(name) && !current.includes(name))
    .sort((a, b) => publishOf(a) - publishOf(b))
  const packs = await Promise.allSettled([...earlier, ...current].map((name) => readPack(join(dir, name))))
  return packs.flatMap((pack) => (pack.status === 'fulfilled' ? [pack.value] : []))
}

/** The manifest version a pack file was published with (`session-v12.json`: 12). */
const publishOf = (name: string) => Number(/-v(\d+)\.json$/.exec(name)?.[1])

async function readPack(path: string): Promise<unknown> {
  const { mtimeMs, size } = await stat(path)
  const known = read.get(path)
  if (known && known.mtimeMs === mtimeMs && known.size === size) return known.pack
  const pack = JSON.parse(await readFile(path, 'utf8')) as unknown
  read.set(path, { mtimeMs, size, pack })
  return pack
}
