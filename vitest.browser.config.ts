import { defineConfig } from 'vitest/config'

// Real-browser tests: Debian's Chromium driven by playwright-core against pages served on 127.0.0.1.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    // One worker runs the files one after the other, importing Playwright and the shared helpers once rather than
    // once per file (about 40 s less for the suite on a 2-core machine). The files share no state: each starts its
    // own servers and its own Chromium, and the helpers keep none between calls.
    isolate: false,
  },
})
