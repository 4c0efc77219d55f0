// A page the browser prerenders (speculation rules, or the address bar's guess of where the shopper goes next):
// it runs before the shopper sees it, and may never be shown. Its page view must be the one the shopper sees,
// when they see it, and a page never shown must leave nothing. Playwright turns prerendering off in the pages it
// drives, so this file runs Debian's Chromium on its own (the same flags, a fresh profile) and the pages tell the
// test what they stored through requests to the test's server.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { IncomingMessage } from 'node:http'
import { afterAll, beforeAll, expect, it } from 'vitest'
// @ts-expect-error: plain ES module without types
import { startServer } from '../../scripts/serve.mjs'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './harness'

const PRODUCT = '/prerender/product.html'

/** Where a page of the product's origin reads the product page's stored page views, and says what it found. */
const READ_AND_SAY = `
const say = (query) => fetch('/prerender/log?' + new URLSearchParams(query))
const productPageViews = () => new Promise((resolve) => {
  const open = indexedDB.open('seglet')
  open.onupgradeneeded = () => open.transaction.abort()
  open.onerror = () => resolve([])
  open.onsuccess = () => {
    const db = open.result
    if (!db.objectStoreNames.contains('events')) return db.close(), resolve([])
    const all = db.transaction('events').objectStore('events').getAll()
    all.onsuccess = () => (db.close(), resolve(all.result.filter((e) => e.type === 'page_view' && e.url.startsWith('${PRODUCT}')).map((e) => e.ts)))
  }
})`

const pages: Record<string, string> = {
  // The page the shopper is on: it prerenders the product page, and once that page has run, goes to `next`.
  '/prerender/start.html': `<!doctype html><title>Start</title>
<script type="speculationrules">{"prerender":[{"source":"list","urls":["${PRODUCT}"]}]}</script>
<script>
const next = new URLSearchParams(location.search).get('next')
const poll = async () => ((await (await fetch('/prerender/ready')).text()) === 'yes' ? (location.href = next) : setTimeout(poll, 100))
poll()
</script>`,
  // The prerendered page: the tag, then what it stored while prerendered, and once shown.
  [PRODUCT]: `<!doctype html><title>Mug</title>
<script src="/dist/seglet.min.js" data-consent="granted"></script>
<script>${READ_AND_SAY}
const report = async (phase) => {
  await window.Seglet.flush()
  const activationStart = performance.getEntriesByType('navigation')[0].activationStart
  say({ phase, views: JSON.stringify(await productPageViews()), shownAt: String(performance.timeOrigin + activationStart) })
}
if (document.prerendering) {
  setTimeout(() => report('prerendered'), 500)
  document.addEventListener('prerenderingchange', () => setTimeout(() => report('shown'), 300))
} else setTimeout(() => report('not prerendered'), 300)
</script>`,
  // Another page of the shop, gone to instead of the prerendered one.
  '/prerender/elsewhere.html': `<!doctype html><title>Elsewhere</title><script>${READ_AND_SAY}
setTimeout(async () => say({ phase: 'elsewhere', views: JSON.stringify(await productPageViews()) }), 300)
</script>`,
}

let server: { url: string; close(): Promise<void> }
const said: Array<Record<string, string>> = []

beforeAll(async () => {
  server = await startServer({
    render: (req: IncomingMessage) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      if (url.pathname === '/prerender/log') said.push(Object.fromEntries(url.searchParams))
      if (url.pathname === '/prerender/ready') return said.some((s) => s.phase === 'prerendered') ? 'yes' : 'no'
      return pages[url.pathname] ?? (url.pathname === '/prerender/log' ? '' : undefined)
    },
  })
})
afterAll(() => server?.close())

/** Opens `start.html` in a fresh Chromium that then goes to `next`; resolves with what the pages said once `until` is said. */
async function journey(next: string, until: string): Promise<Array<Record<string, string>>> {
  said.length = 0
  const profile = mkdtempSync(join(tmpdir(), 'seglet-prerender-'))
  let chromium: ChildProcess | undefined
  try {
    chromium = spawn(CHROMIUM_PATH, [...CHROMIUM_ARGS, `--user-data-dir=${profile}`, `${server.url}/prerender/start.html?next=${encodeURIComponent(next)}`], { stdio: 'ignore', detached: true })
    // A product page loaded without a prerender says so at once: that browser did not prerender, and this test
    // would otherwise only time out.
    await expect.poll(() => said.some((s) => s.phase === until || s.phase === 'not prerendered'), { timeout: 30_000, interval: 100 }).toBe(true)
    expect(said.map((s) => s.phase), 'Chromium did not prerender the product page').not.toContain('not prerendered')
    return [...said]
  } finally {
    const exited = chromium && chromium.exitCode === null ? new Promise((done) => chromium!.once('exit', done)) : undefined
    // The browser and its helper processes, which go on writing to the profile for a moment otherwise.
    if (chromium?.pid !== undefined) {
      try {
        process.kill(-chromium.pid)
      } catch {
        // Gone already.
      }
    }
    await exited
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 })
  }
}

it('a prerendered product page stores no page view until it is shown, then one, stamped when it was shown', async () => {
  const phases = await journey(PRODUCT, 'shown')
  const prerendered = phases.find((s) => s.phase === 'prerendered')!
  const shown = phases.find((s) => s.phase === 'shown')!
  expect(JSON.parse(prerendered.views)).toEqual([])
  const views = JSON.parse(shown.views) as number[]
  expect(views).toHaveLength(1)
  // Stamped with Date.now(), against the navigation's activation on the page's own high-resolution clock.
  expect(views[0]).toBeGreaterThanOrEqual(Math.floor(Number(shown.shownAt)) - 5)
}, 60_000)

it('a prerendered product page the shopper never goes to leaves no page view', async () => {
  const phases = await journey('/prerender/elsewhere.html', 'elsewhere')
  expect(JSON.parse(phases.find((s) => s.phase === 'prerendered')!.views)).toEqual([])
  expect(JSON.parse(phases.find((s) => s.phase === 'elsewhere')!.views)).toEqual([])
}, 60_000)
