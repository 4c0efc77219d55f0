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
  },
})
