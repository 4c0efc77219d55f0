import { defineConfig } from 'vitest/config'

// Real-browser tests: Debian's Chromium driven by playwright-core against pages served on 127.0.0.1.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
})
