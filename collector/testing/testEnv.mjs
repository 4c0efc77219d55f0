// The environment the test runs give their workers for the collector's stores (vitest.config.ts and
// vitest.browser.config.ts, whose global set-up is collector/testing/globalSetup.ts). Plain JavaScript: the
// configurations load it as Node does, before any TypeScript is compiled.
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = new URL('../../', import.meta.url)

/**
 * `SEGLET_EMBEDDED_TEMPLATE` (collector/storage/embeddedTemplate.ts): the template of new embedded stores for this
 * checkout's PGlite, kept in `.build/test/` between runs (`v2`: the template with the smaller buffer pool, so a
 * checkout's older one is not used). `SEGLET_TEST_SCHEMA_PREFIX` (schemaPrefix.ts): a prefix of this run's own for
 * the PostgreSQL schemas its tests make, which the global set-up drops once they are done.
 *
 * @returns {Record<string, string>}
 * @example
 * defineConfig({ test: { globalSetup: ['collector/testing/globalSetup.ts'], env: collectorTestEnv() } })
 */
export function collectorTestEnv() {
  const pglite = JSON.parse(readFileSync(new URL('node_modules/@electric-sql/pglite/package.json', root), 'utf8'))
  return {
    SEGLET_EMBEDDED_TEMPLATE: fileURLToPath(new URL(`.build/test/embedded-store-v2-pglite-${pglite.version}.tgz`, root)),
    SEGLET_TEST_SCHEMA_PREFIX: `t_${randomBytes(4).toString('hex')}_`,
  }
}
