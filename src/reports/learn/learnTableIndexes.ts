import { LEARN_TABLES } from './schema'

/** Indexes of every training table: the tables a browser answers when its pack lists none. */
export const ALL_LEARN_TABLES: readonly number[] = LEARN_TABLES.map((_, t) => t)

/**
 * The indexes (in `LEARN_TABLES`) of the training tables a pack's `learnTables` names, in table order, or
 * `null` when the list is not 1 or more distinct table ids (`withStats.product_pages`, …). Absent
 * (`undefined`), every table.
 *
 * @example
 * learnTableIndexes(['withStats.month', 'withoutStats.month']) // [1, 5]
 */
export function learnTableIndexes(ids: unknown): readonly number[] | null {
  if (ids === undefined) return ALL_LEARN_TABLES
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > LEARN_TABLES.length) return null
  const seen = new Set<number>()
  for (const id of ids) {
    const t = LEARN_TABLES.findIndex((table) => table.id === id)
    if (t < 0 || seen.has(t)) return null
    seen.add(t)
  }
  return ALL_LEARN_TABLES.filter((t) => seen.has(t))
}
