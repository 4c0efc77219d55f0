import { pageKeyListId } from '../estimates/pageKeyListId'
import { readSettings, writeSetting } from '../storage/settings'
import type { Queryable } from '../storage/types'

const PREFIX = 'pageKeyList.'

/** Records a candidate page-key list under its `pageKeyListId`, so sums decoded against it can be read later. */
export async function registerPageKeyList(db: Queryable, keys: readonly string[]): Promise<void> {
  await writeSetting(db, `${PREFIX}${pageKeyListId(keys)}`, JSON.stringify(keys))
}

/** Every recorded candidate page-key list, by id, with `current` (this process's list) among them. */
export async function readPageKeyLists(db: Queryable, current: readonly string[]): Promise<Record<string, readonly string[]>> {
  const lists: Record<string, readonly string[]> = {}
  for (const [key, value] of Object.entries(await readSettings(db, PREFIX))) lists[key.slice(PREFIX.length)] = JSON.parse(value)
  lists[pageKeyListId(current)] = current
  return lists
}
