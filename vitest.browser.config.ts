import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'
import { collectorTestEnv } from './collector/testing/testEnv.mjs'

// Real-browser tests: Debian's Chromium driven by playwright-core against pages served on 127.0.0.1.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/browser/**/*.test.ts'],
    // The collectors the dashboard and shopper tests start open new embedded stores from the unit tests' template
    // (collector/testing/globalSetup.ts writes it if it is missing), not with initdb's 3–4 s of CPU each.
    globalSetup: ['collector/testing/globalSetup.ts'],
    env: collectorTestEnv(),
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Two files at a time (no more than the machine has cores): a file waits on pages, servers and timers as much as
    // it computes, so one at a time left a 2-core machine's second core half idle. Measured on a 2-core machine: 413 s
    // one file at a time; 345 and 343 s two at a time, and 440 s with another process taking a whole core. Every test
    // passed in each run.
    maxWorkers: Math.min(2, availableParallelism()),
    // Each worker runs its files one after the other, importing Playwright and the shared helpers once rather than
    // once per file (about 40 s less for the suite on a 2-core machine), and launching one Chromium for the files
    // that use the shared harness (test/browser/harness.ts) rather than one per file. The files share no state: each
    // starts its own servers on ports the system picks and opens its own browser context (storage, cookies and cache
    // of its own), and the helpers keep none between calls.
    isolate: false,
  },
})
