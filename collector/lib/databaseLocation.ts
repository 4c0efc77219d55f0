import { CollectorError } from './CollectorError'

/**
 * The store `--database` names (`fallback` when not given): a folder, `memory:` or a `postgres://` URL. A URL of any
 * other scheme (`mysql://`, a misspelt `postgress://`) would be taken for a folder and the embedded store made in
 * `mysql:/…`: it is refused with a `collector_option` error naming its scheme only (the rest may hold a password), as
 * is an empty one.
 *
 * @example
 * databaseLocation('mysql://shop:secret@db/seglet', '.seglet-collector/db') // throws: …, not a mysql:// URL
 */
export function databaseLocation(raw: string | undefined, fallback: string): string {
  if (raw === undefined) return fallback
  if (raw.trim() === '') throw new CollectorError('collector_option', '--database must not be empty', '--database')
  const scheme = /^([a-z][a-z\d+.-]*):\/\//i.exec(raw)?.[1]
  if (scheme !== undefined && !/^postgres(ql)?$/i.test(scheme)) {
    throw new CollectorError('collector_option', `--database takes a folder for the embedded store, memory: or a postgres:// URL, not a ${scheme}:// URL`, '--database')
  }
  return raw
}
