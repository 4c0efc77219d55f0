/**
 * The environment variable holding this test run's prefix for the PostgreSQL schemas the collector tests make
 * (vitest.config.ts draws one per run; the global set-up drops the run's schemas once its tests are done).
 */
export const SCHEMA_PREFIX_VARIABLE = 'SEGLET_TEST_SCHEMA_PREFIX'

/** `value` if it can start a schema name as it is (lower-case letters, digits, `_`), else `t_`. */
export function schemaPrefix(value: string | undefined): string {
  return value && /^[a-z_][a-z0-9_]*$/.test(value) ? value : 't_'
}
