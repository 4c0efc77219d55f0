// Builds one of the test apps (test/browser/apps/<name>/) with Vite as a shop would: the browser bundle (served at
// /app/) and the server entry, and the shop's server that renders pages under /shop for the segment hint each
// request carries (readSegmentHint() from the built seglet/server). Used by the Chromium and Firefox app tests.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import type { BuildOptions } from 'vite'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))

export type Hint = { segmentId: string; intentBand: 'low' | 'medium' | 'high' } | null

export interface BuiltApp {
  /** The browser bundle's folder, to serve at /app/. */
  client: string
  /** What the server read from each request for a server-rendered page, in order. */
  serverHints: { path: string; hint: Hint }[]
  /** The shop's server: renders pages under /shop for the request's hint; `undefined` for any other path. */
  render(req: IncomingMessage): Promise<string | undefined>
  remove(): void
}

/**
 * Builds the app `name` inside the project (so `seglet` resolves to this package's own exports map), with the
 * framework's development build, which reports a hydration mismatch in the console.
 */
export async function buildApp(name: 'react' | 'vue'): Promise<BuiltApp> {
  mkdirSync(join(ROOT, '.build'), { recursive: true })
  const dir = mkdtempSync(join(ROOT, '.build', `vite-${name}-`))
  const common = { root: join(ROOT, 'test/browser/apps', name), configFile: false as const, logLevel: 'warn' as const, mode: 'development' }
  // seglet/react starts with 'use client' (for React Server Components), which means nothing to a bundle.
  const rolldownOptions: BuildOptions['rolldownOptions'] = { onLog: (level, log, handler) => void (log.code === 'MODULE_LEVEL_DIRECTIVE' || handler(level, log)) }
  // Vue's bundler build asks for its feature flags to be defined (it warns in the console otherwise).
  const define = { 'process.env.NODE_ENV': '"development"', __VUE_OPTIONS_API__: 'true', __VUE_PROD_DEVTOOLS__: 'false', __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'true' }
  await build({ ...common, base: '/app/', define, build: { outDir: join(dir, 'client'), emptyOutDir: true, minify: false, rolldownOptions } })
  const entry = name === 'react' ? 'entry-server.jsx' : 'entry-server.js'
  await build({ ...common, build: { ssr: entry, outDir: join(dir, 'server'), emptyOutDir: true, rolldownOptions } })
  const renderApp = (await import(join(dir, 'server', 'entry-server.js'))).render as (hint: Hint) => string | Promise<string>
  const template = readFileSync(join(dir, 'client', 'index.html'), 'utf8')
  // The shop's server uses the published helper, as built.
  const { readSegmentHint } = (await import(join(ROOT, 'dist', 'server.js'))) as { readSegmentHint(req: IncomingMessage): Hint }
  const serverHints: BuiltApp['serverHints'] = []
  return {
    client: join(dir, 'client'),
    serverHints,
    async render(req) {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
      if (!path.startsWith('/shop')) return undefined
      const hint = readSegmentHint(req)
      serverHints.push({ path, hint })
      const state = `<script>window.__SEGMENT_HINT__=${JSON.stringify(hint).replace(/</g, '\\u003c')}</script>`
      return template.replace('<!--app-->', await renderApp(hint)).replace('</head>', state + '</head>')
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}
