import { CollectorError } from './CollectorError'

/**
 * The store `--database` names (`fallback` when not given): a folder, `memory:` or a `postgres://` URL. A URL of any
 * other scheme (`mysql://`, a misspelt `postgress://`) would be taken for a folder and the embedded store made in
 * `mysql:/…`: it is refused with a `collector_option` error naming its scheme only (the rest may hold a password), as
 * is an empty one. So is a scheme without its `//` (`postgres:/…`, `postgres:shop@db/seglet`, a misspelt `memroy:`),
 * which would make a folder of that name; `memory:` is taken in any case (`Memory:`), as `postgres://` is.
 *
 * @example
 * databaseLocation('mysql://shop:secret@db/seglet', '.seglet-collector/db') // throws: …, not a mysql:// URL
 */
export function databaseLocation(raw: string | undefined, fallback: string): string {
  if (raw === undefined) return fallback
  if (raw.trim() === '') throw new CollectorError('collector_option', '--database must not be empty', '--database')
  if (/^memory:$/i.test(raw)) return 'memory:'
  const scheme = /^([a-z][a-z\d+.-]*):\/\//i.exec(raw)?.[1]
  if (scheme !== undefined && !/^postgres(ql)?$/i.test(scheme)) {
    throw new CollectorError('collector_option', `--database takes a folder for the embedded store, memory: or a postgres:// URL, not a ${scheme}:// URL`, '--database')
  }
  // A `%` in the user name or password that starts no percent-escape would reach PostgreSQL as it is, and be said as
  // a failed password: it is refused here, without naming either.
  const userInfo = scheme === undefined ? '' : raw.slice(scheme.length + 3, Math.max(0, raw.lastIndexOf('@')))
  if (/%(?![\da-f]{2})/i.test(userInfo)) {
    throw new CollectorError('collector_option', '--database has a "%" in its user name or password that is not a percent-escape (% and two hex digits): write % as %25, and @ : / # ? in them as %40 %3A %2F %23 %3F', '--database')
  }
  // Two letters or more: `C:\…` is a Windows folder.
  const bare = scheme === undefined ? /^([a-z][a-z\d+.-]+):/i.exec(raw)?.[1] : undefined
  if (bare !== undefined) {
    throw new CollectorError('collector_option', `--database takes a folder for the embedded store, memory: or a postgres:// URL, not "${bare}:…" (a URL has // after its scheme; a folder whose name has a colon is given as ./${bare}:…)`, '--database')
  }
  return raw
}
