import { spawn } from 'node:child_process'
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { capLongTimeouts } from '../lib/capLongTimeouts'
import { CollectorError } from '../lib/CollectorError'
import { makeFolder } from '../lib/makeFolder'
import { embeddedOpenProblem } from './embeddedOpenProblem'
import { readEmbeddedTemplate } from './embeddedTemplate'
import { lockStoreFolder } from './lockStoreFolder'
import type { Database, Queryable } from './types'

/**
 * Opens the collector's database. `postgres://…` or `postgresql://…` connects to PostgreSQL through a small pool;
 * `memory:` opens an embedded store that lives only as long as the process; anything else is a folder for the
 * embedded store (PGlite), created if missing; `onLockWait` hears when its lock makes it wait (see `lockStoreFolder`).
 * A new embedded store starts from the template `SEGLET_EMBEDDED_TEMPLATE` names, if any (see `embeddedTemplate`),
 * else is made by PostgreSQL's initdb in a process of its own (see `makeStoreApart`).
 * One that cannot be opened is a `collector_storage` error naming its folder, the cause and what to check (see
 * `embeddedOpenProblem`).
 *
 * @example
 * const db = await openDatabase('postgres://seglet@127.0.0.1/seglet')
 */
export async function openDatabase(location: string, options: { onLockWait?: (message: string) => void } = {}): Promise<Database> {
  if (/^postgres(ql)?:\/\//i.test(location)) return openPostgres(location)
  return openEmbedded(location, options.onLockWait)
}

async function openEmbedded(location: string, onLockWait?: (message: string) => void): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite')
  // PostgreSQL's timers, armed with setTimeout, must not fire every millisecond after the clock is set back.
  capLongTimeouts()
  let pg: InstanceType<typeof PGlite>
  let release = () => {}
  // What PostgreSQL writes on its standard error while it starts: the only account of why it could not (a folder
  // it may not write, a database it cannot read), where PGlite's error says only that it failed to initialize.
  const said: string[] = []
  let opening = true
  const onStderr = (line: string) => {
    if (opening && said.length < 100) said.push(line)
    return false
  }
  try {
    if (location === 'memory:') pg = new PGlite({ loadDataDir: await readEmbeddedTemplate(), onStderr })
    else {
      await makeStoreFolder(location)
      release = await lockStoreFolder(location, { onWait: onLockWait })
      // A template (SEGLET_EMBEDDED_TEMPLATE) only ever starts a store: never one whose folder holds a database.
      const fresh = !(await exists(join(location, 'PG_VERSION')))
      if (fresh) await refuseOtherFiles(location)
      const template = fresh ? await readEmbeddedTemplate() : undefined
      if (fresh && !template) await makeStoreApart(location)
      pg = new PGlite(location, { loadDataDir: template, onStderr })
    }
    await pg.waitReady
  } catch (error) {
    release()
    if (error instanceof CollectorError) throw error
    throw new CollectorError('collector_storage', `cannot open the embedded store in ${location}: ${embeddedOpenProblem(location, error, said)}`, '--database', error)
  } finally {
    opening = false
  }
  const run = async <Row>(on: Pick<typeof pg, 'query'>, text: string, params?: unknown[]) =>
    (await on.query<Row>(text, params)).rows
  return {
    kind: 'embedded',
    ...(location === 'memory:' ? { inMemory: true } : {}),
    query: (text, params) => run(pg, text, params),
    transaction: (work) =>
      pg.transaction((tx) => work({ query: (text, params) => run(tx, text, params) })),
    close: () => pg.close().finally(release),
  }
}

/**
 * Makes a new embedded store in `location` with PostgreSQL's initdb, in a Node process of its own, and resolves when
 * that process has ended. The PGlite instance that runs initdb keeps what it took (a WebAssembly memory never shrinks):
 * a collector that made its store itself would hold about 800 MB for its whole run, where one that opens an existing
 * store holds about 310 MB. Closing that instance and opening the store again would not do: its memory goes only at the
 * garbage collector's next full pass, which an idle collector may put off (none came in 30 s), and then the allocator
 * still keeps over 100 MB of it. A failure is not reported here: the store is then made by the collector's own
 * instance, whose error says why it cannot be.
 */
function makeStoreApart(location: string): Promise<void> {
  const script = 'const { PGlite } = require(process.argv[1]); const pg = new PGlite(process.argv[2]); pg.waitReady.then(() => pg.close()).then(() => process.exit(0), () => process.exit(1))'
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', script, require.resolve('@electric-sql/pglite'), location], { stdio: 'ignore' })
    child.on('error', () => resolve())
    child.on('exit', () => resolve())
  })
}

const exists = (path: string) => stat(path).then(() => true, () => false)

/**
 * What PostgreSQL puts in the folder of a store (PGlite's too): its files and folders (`base`, `pg_wal`,
 * `postgresql.conf`, …), which a store whose start was cut short, before `PG_VERSION`, may hold some of.
 */
const STORE_ENTRY = /^(base|global|pg_[\w.]+|postgresql(\.auto)?\.conf|postmaster\.(pid|opts))$/

/**
 * Refuses a folder that holds no store (no `PG_VERSION`) but other files: a store would be made among them, the
 * shop's files and the database's in one folder (a folder typed by mistake: the project's, a home folder).
 */
async function refuseOtherFiles(location: string): Promise<void> {
  const other = (await readdir(location)).filter((name) => !STORE_ENTRY.test(name)).sort()
  if (other.length === 0) return
  const named = other.length > 3 ? `${other.slice(0, 3).join(', ')} and ${other.length - 3} more` : other.join(', ')
  throw new CollectorError('collector_option', `--database ${location} holds other files (${named}) and no embedded store; give an empty or new folder for the store (made if missing), or the folder of an existing one`, '--database')
}

/** Makes the store's folder when missing; a file where it, or a folder above it, should be is a one-line refusal. */
async function makeStoreFolder(location: string): Promise<void> {
  try {
    await makeFolder(location)
  } catch (error) {
    // EEXIST: `location` is a file; ENOTDIR: a file stands where a folder above it should be.
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'EEXIST' && code !== 'ENOTDIR') throw error
    const what = code === 'EEXIST' ? 'is a file' : 'is under a file'
    throw new CollectorError('collector_option', `--database ${location} ${what}, not a folder; give the folder of the embedded store (made if missing) or a postgres:// URL`, '--database', error)
  }
}

/**
 * How long a connection to PostgreSQL may take to open, in ms, unless the URL says otherwise (`connect_timeout`, in
 * seconds, as libpq reads it). A host that takes the connection and never answers would otherwise hold the start,
 * or every report waiting for a connection, for good (or minutes, the system's own TCP timeout).
 */
export const POSTGRES_CONNECT_TIMEOUT_MS = 10_000

async function openPostgres(location: string): Promise<Database> {
  const { Client, Pool } = await import('pg')
  const connectionTimeoutMillis = connectTimeoutMs(location)
  // The timeout is the connection's own, not the pool's: given to the pool it would also end a query's wait for a
  // free connection, and a report behind a long summing pass or re-estimate would fail instead of waiting its turn.
  class TimedClient extends Client {
    constructor(config?: ConstructorParameters<typeof Client>[0]) {
      super({ ...(typeof config === 'object' ? config : {}), connectionTimeoutMillis })
    }
  }
  const pool = new Pool({ connectionString: location, max: 4, Client: TimedClient })
  // An idle client's connection error must not crash the process; the next query reports it.
  pool.on('error', () => {})
  try {
    await pool.query('SELECT 1')
  } catch (error) {
    await pool.end().catch(() => {})
    throw new CollectorError('collector_storage', `cannot reach PostgreSQL at ${redact(location)}: ${message(error)}`, '--database', error)
  }
  const queryable = (on: { query: (text: string, params?: unknown[]) => Promise<{ rows: unknown[] }> }): Queryable => ({
    query: async <Row>(text: string, params?: unknown[]) => (await on.query(text, params)).rows as Row[],
  })
  return {
    kind: 'postgres',
    query: queryable(pool).query,
    async transaction(work) {
      const client = await pool.connect()
      // A checked-out client's connection error is emitted on the client, not the pool: without a listener it
      // would crash the process. The query that fails reports it, and the broken client leaves the pool.
      let broken: Error | undefined
      const onError = (error: Error) => void (broken ??= error)
      client.on('error', onError)
      try {
        await client.query('BEGIN')
        const result = await work(queryable(client))
        await client.query('COMMIT')
        return result
      } catch (error) {
        if (!broken) await client.query('ROLLBACK').catch((rollback: Error) => void (broken ??= rollback))
        throw error
      } finally {
        client.off('error', onError)
        client.release(broken)
      }
    },
    close: () => pool.end(),
  }
}

/** The URL's `connect_timeout` (whole seconds, above 0) in ms, else POSTGRES_CONNECT_TIMEOUT_MS. */
function connectTimeoutMs(location: string): number {
  const seconds = /[?&]connect_timeout=(\d+)(?:&|$)/.exec(location)?.[1]
  return seconds && Number(seconds) > 0 ? Number(seconds) * 1000 : POSTGRES_CONNECT_TIMEOUT_MS
}

/** Hides the password of a connection string in messages, to the last @ (the client reads an unescaped @ as part of it). */
function redact(location: string): string {
  // PostgreSQL's clients also take the password as a parameter (`?password=…`): its value is not shown either.
  return location.replace(/\/\/([^:/@]+):.*@/, '//$1:***@').replace(/([?&]password=)[^&#]*/gi, '$1…')
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
