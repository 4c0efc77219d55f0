import { defineConfig } from 'vitest/config'

// WebKit tests (`npm run test:webkit`): WebKitGTK's MiniBrowser driven through WebKitWebDriver (test/webkit/webkit.ts)
// against pages served on 127.0.0.1, and Chromium beside it where a result is compared. Not part of `npm test`.
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    environment: 'node',
    include: ['test/webkit/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
})
