import { readFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { readPublishedManifest } from './publishPacks'

/**
 * The packs `publish-pack` last published in `dir` (parsed JSON; none when there is no readable manifest or pack).
 *
 * @example
 * packContexts([...shippedPacks, ...(await readPublishedPacks('.seglet-collector/public'))])
 */
export async function readPublishedPacks(dir: string): Promise<unknown[]> {
  const manifest = await readPublishedManifest(dir).catch(() => undefined)
  const packs = await Promise.allSettled(
    Object.values(manifest?.packs ?? {}).map(async (entry) => JSON.parse(await readFile(join(dir, basename(entry.url)), 'utf8')) as unknown),
  )
  return packs.flatMap((pack) => (pack.status === 'fulfilled' ? [pack.value] : []))
}
