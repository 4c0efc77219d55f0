// Test helper: the databases every collector test runs against — the embedded store always, and a real
// PostgreSQL when SEGLET_TEST_DATABASE_URL names one (.ci/run starts one and sets it). Each call gets a fresh
// schema, so test files running side by side never see each other's rows; the global set-up drops them at the end.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll } from 'vitest'
import { migrate } from '../storage/migrate'
import { openDatabase } from '../storage/openDatabase'
import type { Database } from '../storage/types'
import { SCHEMA_PREFIX_VARIABLE, schemaPrefix } from './schemaPrefix'

export interface DatabaseTarget {
  name: 'embedded' | 'postgres'
  /** A connection string (or `memory:`) for a fresh, empty database or schema. */
  location(): Promise<string>
  open(): Promise<Database>
}

const url = process.env.SEGLET_TEST_DATABASE_URL

if (!url) {
  if (process.env.CI) {
    throw new Error('SEGLET_TEST_DATABASE_URL is not set: in CI, .ci/run starts PostgreSQL and sets it')
  }
  console.warn('[seglet] SEGLET_TEST_DATABASE_URL is not set: collector tests run on the embedded store only')
}

async function freshSchema(base: string): Promise<string> {
  // Named with this run's prefix: the global set-up (globalSetup.ts) drops the run's schemas once its tests are done.
  const schema = `${schemaPrefix(process.env[SCHEMA_PREFIX_VARIABLE])}${randomBytes(6).toString('hex')}`
  // Unreachable server → this rejects, and the test fails: a configured PostgreSQL is never skipped.
  const client = new pg.Client({ connectionString: base })
  await client.connect()
  try {
    await client.query(`CREATE SCHEMA ${schema}`)
  } finally {
    await client.end()
  }
  const separator = base.includes('?') ? '&' : '?'
  return `${base}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`
}

export const DATABASE_TARGETS: DatabaseTarget[] = [
  {
    name: 'embedded',
    location: async () => 'memory:',
    open: () => openDatabase('memory:'),
  },
  ...(url
    ? [
        {
          name: 'postgres' as const,
          location: () => freshSchema(url),
          open: async () => openDatabase(await freshSchema(url)),
        },
      ]
    : []),
]

/**
 * Opens a fresh database of `target` with the collector's schema before the tests of the calling `describe`, hands
 * it to `use`, and closes it after them.
 *
 * @example
 * let db: Database
 * withMigratedDatabase(target, (opened) => (db = opened))
 */
export function withMigratedDatabase(target: DatabaseTarget, use: (db: Database) => void): void {
  let db: Database | undefined
  beforeAll(async () => {
    db = await target.open()
    await migrate(db)
    use(db)
  }, 300_000)
  afterAll(() => db?.close())
}
