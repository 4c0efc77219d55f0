import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import { collectorTestEnv } from './collector/testing/testEnv.mjs'

// The workers (child processes) take this locale whatever the machine's: the tests read figures as an English-language
// machine writes them (1,200, 0.5), and on a machine set to German or French 25 of the dashboard's failed.
process.env.LC_ALL = 'en_US.UTF-8'

export default defineConfig({
  // The bindings import `seglet` as an app does; in the tests that is the source.
  resolve: { alias: [{ find: /^seglet$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) }] },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts', 'training/**/*.test.ts', 'sim/**/*.test.ts', 'collector/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // New embedded stores, in the tests and in the collector processes they start, are copies of one empty store
    // written before the tests run, not each PostgreSQL's initdb (about 3 s of CPU less for each of the 87 the test
    // processes open, and more in the collectors they start); the PostgreSQL schemas the tests make carry this run's
    // prefix, and are dropped once the tests are done.
    globalSetup: ['collector/testing/globalSetup.ts'],
    env: collectorTestEnv(),
    testTimeout: 30_000,
    // One file more at a time than there are cores: many of these tests wait on a server, a database, a child
    // process or a timer rather than compute. On a 2-core machine three at a time took the suite from 369 s to 311 s
    // (four: 389 s, with a third more CPU time).
    maxWorkers: availableParallelism() + 1,
  },
})
