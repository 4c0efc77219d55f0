// What the trust tests of every engine (Chromium here, test/firefox/, test/webkit/) serve and run in their pages: the
// README's strict Content Security Policies and the shop page they guard, the session pack with another intent
// threshold for signed packs, and the page functions of a signed-pack visit and of a short session in the React and
// Vue apps (test/browser/apps/). Page functions run in the page, so they use nothing from this module's scope.
import { readFileSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import type { Page } from 'playwright-core'
import { expect } from 'vitest'
import type { ModelPack } from '../../src/pack/types'
import { probes, readDb } from './helpers'
import { snippet } from './readmeSnippets'

/** The policy of a README block (`Content-Security-Policy: …`), with its nonce placeholder replaced by `nonce`. */
export function policyOf(name: string, nonce: string): { policy: string; placeholder?: string } {
  const line = snippet(name).trim()
  if (!line.startsWith('Content-Security-Policy: ')) throw new Error(`README.md: readme-test "${name}" is not a Content-Security-Policy line`)
  const policy = line.slice('Content-Security-Policy: '.length)
  const placeholder = /'nonce-([^']+)'/.exec(policy)?.[1]
  return { policy: placeholder ? policy.replaceAll(placeholder, nonce) : policy, placeholder }
}

/**
 * The README's tag for the policy (the nonce-based one when it has a `placeholder`, replaced by `nonce`), with private
 * reports to `reports` and anti-flicker on; `src` serves seglet.min.js from another path than the README's.
 */
export function cspTag(placeholder: string | undefined, nonce: string, reports: string, src = '/seglet.min.js'): string {
  let tag = snippet(placeholder ? 'csp-nonce-tag' : 'script-tag').trim()
  if (placeholder) {
    if (!tag.includes(`nonce="${placeholder}"`)) throw new Error(`README.md: the csp-nonce-tag block does not carry the policy's nonce ${placeholder}`)
    tag = tag.replaceAll(placeholder, nonce)
  }
  if (!tag.includes('src="/seglet.min.js"')) throw new Error('README.md: the tag no longer loads /seglet.min.js')
  return tag.replace('src="/seglet.min.js"', `src="${src}"`).replace('<script ', `<script data-reports="${reports}" data-anti-flicker `)
}

/** The shop's stylesheet: the anti-flicker rule and the README's CSS. */
export const shopCss = () => `.seglet-pending [data-seglet-show]{visibility:hidden}\n${snippet('css')}`

/** A shop page: `head` (the tag, and what a test adds before it), a stylesheet of the shop's, page statistics, blocks. */
export function shopPage(head: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<meta name="seglet:page-stats" content="bounce=0.25;exit=0.5;value=12">
<link rel="stylesheet" href="/shop.css">
${head}
</head><body><h1>Shop</h1>
<div data-seglet-show="new-visitor" hidden>Welcome</div>
<div data-seglet-hide="new-visitor">Welcome back</div>
<div data-seglet-intent-above="0.99" hidden>Checkout now</div>
</body></html>`
}

/**
 * After the three pages of a CSP test's shopper: each page view stored with the page statistics of its meta tag, and
 * no policy violation, error escaping to the page or error reported.
 */
export async function expectShopPagesClean(page: Page): Promise<void> {
  const pageViews = (await readDb(page)).events.filter((e) => e.type === 'page_view')
  expect(pageViews.length).toBe(3)
  for (const view of pageViews) expect(view.stats).toEqual({ bounceRate: 0.25, exitRate: 0.5, pageValue: 12 })
  const t = await probes(page)
  expect(t.csp).toEqual([])
  expect(t.escaped).toEqual([])
  expect(t.errors).toEqual([])
}

/**
 * The shop's side of a CSP test, for a `render()` of scripts/serve.mjs: a POST to `reports` is kept in `received` and
 * answered, `/shop.css` is the shop's stylesheet, and `/shop/*` pages carry `shop.head` under `shop.policy`.
 * `undefined` for any other request.
 */
export async function renderShop(req: IncomingMessage, reports: string, received: string[], shop: { policy: string; head: string }): Promise<{ body: string; headers: Record<string, string> } | undefined> {
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
  if (path === reports && req.method === 'POST') {
    let body = ''
    for await (const chunk of req) body += chunk
    received.push(body)
    return { body: '', headers: { 'content-type': 'text/plain' } }
  }
  if (path === '/shop.css') return { body: shopCss(), headers: { 'content-type': 'text/css' } }
  if (path.startsWith('/shop/')) return { body: shopPage(shop.head), headers: { 'content-security-policy': shop.policy } }
  return undefined
}

/** The shipped session pack with another intent threshold: which pack decided shows on the segment. */
export function sessionPack(threshold: number): ModelPack {
  const pack = JSON.parse(readFileSync(new URL('../../src/models/session.json', import.meta.url), 'utf8')) as ModelPack
  ;(pack.heads.intent as { threshold: number }).threshold = threshold
  return pack
}

/**
 * Init script (run in every page before its own scripts): pages opened with `past` in their query live two hours
 * ago (their session is closed now), pages opened with `days=N` live N days ahead; `loadedAt` is the page's start on
 * its own clock.
 */
export function shiftClock(): void {
  const real = Date.now
  const days = /[?&]days=([\d.]+)/.exec(location.search)
  const offset = location.search.includes('past') ? -2 * 3_600_000 : days ? Number(days[1]) * 86_400_000 : 0
  if (offset) Date.now = () => real() + offset
  ;(window as unknown as { loadedAt: number }).loadedAt = Date.now()
}

type PackPage = { loadedAt: number; Seglet: { track(e: unknown): void; flush(): Promise<void>; getSegment(): { coldStart: boolean; decidedAt: number; intentThreshold: number } | null } }

/** Page function: three product page views, flushed, so that the page decides with the pack it has. */
export function browseForPack(): Promise<void> {
  const { Seglet } = window as unknown as PackPage
  for (let i = 0; i < 3; i++) Seglet.track({ type: 'page_view', url: `/products/p${i}`, pageType: 'product' })
  return Seglet.flush()
}

/**
 * Page function: the intent threshold of a decision this page made (not the stored segment a returning shopper's
 * page shows first), or `null` before it; `loadedAt` is the page's start, set by the test's clock script.
 */
export function thresholdDecidedHere(): number | null {
  const w = window as unknown as PackPage
  const segment = w.Seglet.getSegment()
  return segment !== null && !segment.coldStart && segment.decidedAt >= w.loadedAt ? segment.intentThreshold : null
}

/**
 * A page load `days` after the first (the test page's clock script reads `days=` from its query; see
 * {@link shiftClock}), with the shop's key pinned: three page views, then the intent threshold of the decision the
 * page makes. `page` is Chromium's, or the Firefox or WebKit harness's page in Playwright's shape.
 */
export async function visitWithPinnedKey(page: Page, base: string, packKey: string, days: number): Promise<number> {
  const attrs = { consent: 'granted', autocapture: 'false', 'model-loading': 'eager', 'pack-key': packKey }
  await page.goto(`${base}/test/browser/pages/tag.html?attrs=${encodeURIComponent(JSON.stringify(attrs))}&days=${days}`)
  await page.waitForFunction(() => typeof (window as unknown as { Seglet?: unknown }).Seglet === 'object', undefined)
  await page.evaluate(browseForPack)
  // A decision made on this page (a returning shopper's stored segment shows first).
  await page.waitForFunction(thresholdDecidedHere, undefined, { timeout: 30_000 })
  return (await page.evaluate(thresholdDecidedHere))!
}

export type AppWindow = {
  segletApp: {
    seglet: {
      track(e: unknown): void
      flush(): Promise<void>
      setConsent(c: string): Promise<void>
      forget(): Promise<void>
      getSegment(): { id: string; intent: number; intentThreshold: number; coldStart: boolean } | null
    }
  }
}

/** Page function: a short session through the app's Seglet, enough for a real (not cold-start) decision. */
export function shopInApp(): Promise<void> {
  const { seglet } = (window as unknown as AppWindow).segletApp
  for (let i = 0; i < 6; i++) {
    seglet.track({ type: 'page_view', url: `/products/p${i}`, pageType: 'product' })
    seglet.track({ type: 'product_view', productId: `p${i}`, price: 15.9, currency: 'EUR' })
    seglet.track({ type: 'engagement', url: `/products/p${i}`, pageType: 'product', visibleMs: 45_000, scrollDepth: 0.8 })
  }
  seglet.track({ type: 'add_to_cart', productId: 'p1', quantity: 1, price: 15.9, currency: 'EUR' })
  return seglet.flush()
}

/** The intent band the segment hint holds for a segment (as `toIntentBand` in src/personalize/). */
export const bandOf = (s: { intent: number; intentThreshold: number }) => (s.intent >= s.intentThreshold ? 'high' : s.intent >= s.intentThreshold / 2 ? 'medium' : 'low')
