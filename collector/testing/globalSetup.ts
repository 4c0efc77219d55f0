// Vitest global set-up of the unit tests, for the collector's stores:
// - writes the template new embedded stores start from (see collector/storage/embeddedTemplate.ts) where
//   vitest.config.ts's SEGLET_EMBEDDED_TEMPLATE says, once per PGlite version, so the tests' many throwaway stores,
//   in the test processes and in the collector processes they start, skip PostgreSQL's initdb (storage.test.ts also
//   opens stores without it);
// - once the tests are done, drops the PostgreSQL schemas they made (named with this run's
//   SEGLET_TEST_SCHEMA_PREFIX, see databases.ts), so a developer's test database does not keep every run's tables.
import { existsSync } from 'node:fs'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { EMBEDDED_TEMPLATE_VARIABLE, writeEmbeddedTemplate } from '../storage/embeddedTemplate'
import { SCHEMA_PREFIX_VARIABLE, schemaPrefix } from './schemaPrefix'

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const path = project.config.env[EMBEDDED_TEMPLATE_VARIABLE]
  if (!path) throw new Error(`the configuration sets no ${EMBEDDED_TEMPLATE_VARIABLE} for the template to be written to`)
  if (!existsSync(path)) await writeEmbeddedTemplate(path)
  // Without a prefix of the run's own, the drop below would take every test run's schemas (`t_`).
  if (!project.config.env[SCHEMA_PREFIX_VARIABLE]) throw new Error(`the configuration sets no ${SCHEMA_PREFIX_VARIABLE} for this run's PostgreSQL schemas`)
  const prefix = schemaPrefix(project.config.env[SCHEMA_PREFIX_VARIABLE])
  return () => dropSchemas(process.env.SEGLET_TEST_DATABASE_URL, prefix)
}

/** Drops every schema of the database at `url` whose name starts with `prefix`, with what is in it. */
export async function dropSchemas(url: string | undefined, prefix: string): Promise<void> {
  if (!url) return
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    // A collector process a test left running would hold a lock for ever: its schema is left, the rest dropped.
    await client.query(`SET lock_timeout = '10s'`)
    const { rows } = await client.query<{ name: string }>('SELECT nspname AS name FROM pg_namespace WHERE left(nspname, length($1)) = $1', [prefix])
    for (const { name } of rows) await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`).catch(() => undefined)
  } finally {
    await client.end()
  }
}
