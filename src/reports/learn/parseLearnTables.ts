import { LEARN_FEATURES, LEARN_TABLES } from './schema'

/**
 * Reads a training-table list as a shop writes it on a command line (`--learn-tables`): `all`, or a comma-
 * separated list of table ids (`withStats.month`) and feature names (`month`: its table in both views).
 * Returns the ids in table order, `undefined` for `all` (a pack without a list: every table), or `null` when
 * a name is unknown.
 *
 * @example
 * parseLearnTables('product_pages,month') // ['withStats.product_pages', 'withStats.month', 'withoutStats.product_pages', 'withoutStats.month']
 */
export function parseLearnTables(text: string): string[] | undefined | null {
  const names = text.split(',').map((n) => n.trim()).filter((n) => n !== '')
  if (names.length === 0) return null
  if (names.length === 1 && names[0] === 'all') return undefined
  const chosen = new Set<string>()
  for (const name of names) {
    const tables = LEARN_FEATURES.some((f) => f.name === name) ? LEARN_TABLES.filter((t) => t.feature.name === name) : LEARN_TABLES.filter((t) => t.id === name)
    if (tables.length === 0) return null
    for (const t of tables) chosen.add(t.id)
  }
  return LEARN_TABLES.filter((t) => chosen.has(t.id)).map((t) => t.id)
}
