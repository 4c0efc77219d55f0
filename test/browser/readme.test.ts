// The README's quick start, run as written: its snippets are read from README.md at test time (blocks marked
// `<!-- readme-test: name -->`), served from 127.0.0.1 under the strict Content Security Policy the README
// advertises, and checked in Chromium.
import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
// @ts-expect-error: plain ES module without types
import { STRICT_CSP } from '../../scripts/serve.mjs'
import { expectHooksMatch, probes, readDb, readHooks, useHarness, waitForSegment, type SegmentLike } from './helpers'
import { snippet } from './readmeSnippets'

const dist = (file: string) => readFileSync(new URL(`../../dist/${file}`, import.meta.url))

/** A page made of README snippets, served with the strict CSP; the files the README names are served at /. */
function pageOf(head: string[], body: string[]): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Quick start</title>\n${head.join('\n')}\n</head><body>\n${body.join('\n')}\n</body></html>`
}

const h = useHarness({
  csp: true,
  async setup(harness) {
    const js = (body: string | Buffer) => ({ status: 200, contentType: 'text/javascript; charset=utf-8', body })
    await harness.context.route(`${harness.baseUrl}/seglet.min.js`, (route) => route.fulfill(js(dist('seglet.min.js'))))
    await harness.context.route(`${harness.baseUrl}/seglet-model.min.js`, (route) => route.fulfill(js(dist('seglet-model.min.js'))))
    await harness.context.route(`${harness.baseUrl}/seglet-blocks.min.js`, (route) => route.fulfill(js(dist('seglet-blocks.min.js'))))
    await harness.context.route(`${harness.baseUrl}/seglet-prune.min.js`, (route) => route.fulfill(js(dist('seglet-prune.min.js'))))
    await harness.context.route(`${harness.baseUrl}/seglet-setup.js`, (route) => route.fulfill(js(snippet('queue-file'))))
    // The TypeScript example of a script-tag page: plain JavaScript as written, run as the page's queue file.
    await harness.context.route(`${harness.baseUrl}/seglet-global.js`, (route) => route.fulfill(js(snippet('global-ts'))))
    // The upgrade snippet's versioned folder holds this build; the files at / stand for the previous release's.
    await harness.context.route(`${harness.baseUrl}${releaseFolder()}*.js`, (route) => {
      const name = new URL(route.request().url()).pathname.split('/').pop()!
      return route.fulfill(js(dist(name)))
    })
    await harness.context.route(`${harness.baseUrl}/quick-start/**`, (route) => {
      const name = new URL(route.request().url()).pathname.split('/').pop()
      const css = `<style>\n${snippet('css')}\n</style>`
      const pages: Record<string, string> = {
        'script-tag.html': pageOf([css, snippet('script-tag')], [snippet('blocks')]),
        'queue.html': pageOf([css, snippet('queue-tags')], [snippet('blocks')]),
        'upgrade.html': pageOf([css, snippet('upgrade-tag')], [snippet('blocks')]),
        // The tag without data-consent: the example's queued setConsent grants it.
        'global-ts.html': pageOf(['<script src="/seglet-global.js"></script>', '<script src="/seglet.min.js" async></script>'], ['<button id="why-this">Why this?</button>']),
      }
      const body = pages[name ?? '']
      if (!body) return route.fulfill({ status: 404, body: 'not found' })
      return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', headers: { 'content-security-policy': STRICT_CSP }, body })
    })
  },
})

/** The folder of the README's versioned tag (`/seglet/0.2.0/`). */
const releaseFolder = () => new URL(/src="([^"]+)"/.exec(snippet('upgrade-tag'))![1], 'https://shop.example').pathname.replace(/[^/]*$/, '')

/** What each README block looks like to the shopper: rendered or not (the `hidden` attribute, CSS included). */
function visibility(page: Page) {
  return page.evaluate(() => {
    const out: Record<string, boolean> = {}
    document.body.querySelectorAll('div, p').forEach((el) => {
      out[el.textContent!.trim().slice(0, 20)] = (el as HTMLElement).offsetParent !== null
    })
    return out
  })
}

/**
 * A session deep in product pages with a high page value: what the model calls engaged and likely to buy.
 * Sent through the README's own queue (`seglet.push`), as the page's code would.
 */
async function browseDeeply(page: Page, pages = 24): Promise<void> {
  await page.evaluate((n) => {
    const q = (window as unknown as { seglet: { push(c: unknown[]): void } }).seglet
    for (let i = 0; i < n; i++) {
      const url = `${location.origin}/products/book-${i}`
      q.push(['track', { type: 'page_view', url, pageType: i % 6 === 5 ? 'account' : 'product', stats: { bounceRate: 0, exitRate: 0.01, pageValue: 60 } }])
      q.push(['track', { type: 'product_view', productId: `book-${i}`, price: 14, currency: 'EUR' }])
      q.push(['track', { type: 'engagement', url, pageType: i % 6 === 5 ? 'account' : 'product', visibleMs: 70_000, scrollDepth: 0.9 }])
    }
  }, pages)
}

describe('README quick start, run as written', () => {
  it('the script tag and the blocks: hidden blocks wait for the decision and follow their rules', async () => {
    const page = await h.newPage()
    await page.goto(h.baseUrl + '/quick-start/script-tag.html')
    // Before the decision, blocks that start hidden stay hidden; the hide-only block shows.
    const before = await visibility(page)
    expect(before['Free shipping on you']).toBe(false)
    expect(before['Ready to check out? ']).toBe(false)
    expect(before['New here? Read how w']).toBe(true)
    expect(await waitForSegment(page)).toBe('new-visitor')
    expectHooksMatch(await readHooks(page))
    const t = await probes(page)
    expect(t.csp).toEqual([])
    expect(t.escaped).toEqual([])
    expect(t.errors).toEqual([])
  })

  it('the queue file under the strict CSP: commands replayed, blocks revealed at high intent, CSS applied', async () => {
    const page = await h.newPage()
    const logged: string[] = []
    page.on('console', (m) => logged.push(m.text()))
    await page.goto(h.baseUrl + '/quick-start/queue.html')
    await waitForSegment(page)
    await browseDeeply(page)
    await page.waitForFunction(() => document.documentElement.classList.contains('seglet-engaged'), undefined, { timeout: 20_000 })
    await page.waitForFunction(() => ((window as unknown as { Seglet: { getSegment(): SegmentLike } }).Seglet.getSegment()?.intent ?? 0) > 0.7, undefined, { timeout: 20_000 })
    const hooks = await readHooks(page)
    expectHooksMatch(hooks)
    const seen = await visibility(page)
    expect(seen['Free shipping on you']).toBe(true)
    expect(seen['Ready to check out? ']).toBe(true)
    expect(seen['New here? Read how w']).toBe(true)
    // The README's CSS: engaged shoppers do not see the newsletter block.
    expect(seen['Join our newsletter']).toBe(false)
    // The queue file ran: its product view is stored and its onSegment callback logged the segment.
    const t = await probes(page)
    expect(t.csp).toEqual([])
    expect(t.escaped).toEqual([])
    expect(t.errors).toEqual([])
    expect(logged.some((line) => line.startsWith(hooks.segment!.id + ' '))).toBe(true)
    await page.evaluate(() => (window as unknown as { Seglet: { flush?: () => Promise<void> } }).Seglet.flush?.())
    const db = await readDb(page)
    expect(db.events.some((e) => e.type === 'product_view' && e.productId === 'sku-42')).toBe(true)
  })

  it('the TypeScript example, run as a queue file before the tag: consent, its product view and its onSegment callback, one page view', async () => {
    const page = await h.newPage()
    const logged: string[] = []
    page.on('console', (m) => logged.push(m.text()))
    await page.goto(h.baseUrl + '/quick-start/global-ts.html')
    expect(await waitForSegment(page)).toBe('new-visitor')
    await page.evaluate(() => (window as unknown as { Seglet: { flush(): Promise<void> } }).Seglet.flush())
    const db = await readDb(page)
    // The tag's own page view only: the example queues none, so the first page stays the cold-start default.
    expect(db.events.filter((e) => e.type === 'page_view').map((e) => e.url)).toEqual(['/quick-start/global-ts.html'])
    expect(db.events.some((e) => e.type === 'product_view' && e.productId === 'sku-42')).toBe(true)
    // The queued onSegment callback ran, though the file ran before the tag.
    expect(logged).toContain('new-visitor 0')
    // The button's window.Seglet?.showPanel(), once the tag has loaded.
    await page.click('#why-this')
    await page.waitForFunction(() => [...document.querySelectorAll('*')].some((el) => el.shadowRoot?.textContent?.includes('Why am I seeing this?')))
    const t = await probes(page)
    expect(t.csp).toEqual([])
    expect(t.escaped).toEqual([])
    expect(t.errors).toEqual([])
  })

  it('the versioned tag of "Upgrading": every part comes from the tag\'s folder, none from the files a previous release left at /', async () => {
    const page = await h.newPage()
    await page.goto(h.baseUrl + '/quick-start/upgrade.html')
    expect(await waitForSegment(page)).toBe('new-visitor')
    await browseDeeply(page)
    await page.waitForFunction(() => document.documentElement.classList.contains('seglet-engaged'), undefined, { timeout: 20_000 })
    await page.evaluate(() => (window as unknown as { Seglet: { flush(): Promise<void> } }).Seglet.flush())
    // A returning shopper's page: the retention part is loaded too.
    await page.reload()
    await waitForSegment(page)
    await page.evaluate(() => (window as unknown as { Seglet: { exportData(): Promise<unknown> } }).Seglet.exportData())
    const loaded = [...new Set(h.requests.filter((url) => /\/seglet[\w-]*\.min\.js$/.test(url)).map((url) => new URL(url).pathname))].sort()
    expect(loaded).toEqual(['seglet-blocks.min.js', 'seglet-model.min.js', 'seglet-prune.min.js', 'seglet.min.js'].map((file) => releaseFolder() + file).sort())
    const t = await probes(page)
    expect(t.csp).toEqual([])
    expect(t.escaped).toEqual([])
    expect(t.errors).toEqual([])
  })
})
