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
  // Every id known and none twice: exactly as many tables match as the list names.
  const listed = ALL_LEARN_TABLES.filter((t) => Array.isArray(ids) && ids.includes(LEARN_TABLES[t].id))
  return listed[0] !== undefined && listed.length === (ids as unknown[]).length ? listed : null
}
