import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  // The bindings import `seglet` as an app does; in the tests that is the source.
  resolve: { alias: [{ find: /^seglet$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) }] },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts', 'training/**/*.test.ts', 'sim/**/*.test.ts', 'collector/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 30_000,
    // At least two files at a time, also on a 2-core machine (vitest's default there is one): many of these tests wait
    // on a server, a database or a timer rather than compute, and two at a time took the suite from about 470 s to
    // 355 s on one.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
})
