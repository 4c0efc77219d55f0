import { defineConfig } from 'vitest/config'

// Real-browser tests in Firefox ESR, driven over WebDriver BiDi (test/firefox/firefox.ts) against pages served on
// 127.0.0.1: `npm run test:firefox` after `npm run build`. Skipped, with a message, where firefox-esr is absent.
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    environment: 'node',
    include: ['test/firefox/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    // Node 20 has its WebSocket client behind a flag (on by default from Node 22).
    pool: 'forks',
    execArgv: ['--experimental-websocket'],
  },
})
