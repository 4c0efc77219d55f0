// The pages and SDKs of `npm run bench:peers`: a product page (schema.org `Product`
// JSON-LD and a GA4 `view_item` entry) and a plain content page, each with no SDK, Seglet, or a peer SDK
// from its npm package as published. Every request is answered here (Playwright routing): the peers'
// endpoints are stubbed on 127.0.0.1, and a request for any other host is refused and recorded.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const require = createRequire(import.meta.url)

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
/** Never listened on: Playwright answers every request of this origin itself. */
export const ORIGIN = 'http://127.0.0.1:41999'

const packageDir = (name) => dirname(require.resolve(`${name}/package.json`))
export const versionOf = (name) => JSON.parse(readFileSync(join(packageDir(name), 'package.json'), 'utf8')).version
const GROWTHBOOK = join(packageDir('@growthbook/growthbook'), 'dist/bundles/auto.min.js')
const SEGMENT_DIR = join(packageDir('@segment/analytics-next'), 'dist/umd')
const POSTHOG_DIR = join(packageDir('posthog-js'), 'dist')

const PRODUCT = { '@context': 'https://schema.org', '@type': 'Product', name: 'The Salt Road', sku: 'salt-road', offers: { '@type': 'Offer', price: '18.50', priceCurrency: 'EUR' } }

/**
 * The SDKs, the one tracking call each is measured with, when each is ready (an expression polled over
 * CDP: Playwright's own evaluation would add its injected script to the page's heap) and which downloaded
 * files are its own.
 */
export const VARIANTS = {
  none: { head: '', call: null, ready: 'true', files: /^$/ },
  seglet: {
    head: '<script src="/dist/seglet.min.js" data-consent="granted" async></script>',
    call: "Seglet.track({ type: 'product_view', productId: 'sku-' + i, price: 18.5, currency: 'EUR' })",
    ready: 'typeof window.Seglet?.track === "function" && document.documentElement.hasAttribute("data-seglet-segment")',
    files: /\/dist\/seglet/,
  },
  // Seglet's core built without its compile hint (`npm run bench:peers -- --hint`), its parts from dist/.
  segletNoHint: {
    head: '<script src="/nohint/seglet.min.js" data-consent="granted" async></script>',
    call: "Seglet.track({ type: 'product_view', productId: 'sku-' + i, price: 18.5, currency: 'EUR' })",
    ready: 'typeof window.Seglet?.track === "function" && document.documentElement.hasAttribute("data-seglet-segment")',
    files: /\/nohint\/seglet/,
  },
  growthbook: {
    head: `<script async src="/vendor/growthbook/auto.min.js" data-api-host="${ORIGIN}/gb" data-client-key="sdk-bench"></script>`,
    call: "window._growthbook.logEvent('product_viewed', { productId: 'sku-' + i, price: 18.5 })",
    ready: 'typeof window._growthbook?.logEvent === "function"',
    files: /\/vendor\/growthbook\//,
  },
  segment: {
    head: `<script>!function(){var a=window.analytics=window.analytics||[];a.methods=["track","page","identify"];a.factory=function(m){return function(){var t=Array.prototype.slice.call(arguments);t.unshift(m);a.push(t);return a}};for(var i=0;i<a.methods.length;i++){var k=a.methods[i];a[k]=a.factory(k)}a._writeKey="benchkey";a._cdn="${ORIGIN}/seg";a.page()}();</script>
<script async src="/seg/analytics.js/v1/benchkey/analytics.min.js"></script>`,
    call: "analytics.track('Product Viewed', { productId: 'sku-' + i, price: 18.5, currency: 'EUR' })",
    ready: '!!window.analytics && typeof window.analytics.track === "function" && !Array.isArray(window.analytics)',
    files: /\/seg\//,
  },
  posthog: {
    head: `<script src="/ph/static/array.js" async onload="posthog.init('phc_bench', { api_host: '${ORIGIN}/ph', persistence: 'localStorage+cookie' })"></script>`,
    call: "posthog.capture('product_viewed', { productId: 'sku-' + i, price: 18.5, currency: 'EUR' })",
    ready: 'typeof window.posthog?.capture === "function" && window.posthog.__loaded === true',
    files: /\/ph\//,
  },
}

/**
 * What the pages serve besides their SDK, for the runs that change it: `themeScript`, an inline script of
 * the shop's own before the SDK's tag on every page (a storefront theme's script, which touches the DOM and
 * so pays for the Web API bindings an SDK would otherwise pay alone); `noHintCore`, the code of Seglet's
 * core without its compile hint, served at /nohint/seglet.min.js.
 */
export const served = { themeScript: '', noHintCore: '' }

const shell = (title, head, main) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} — Bench Books</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
${served.themeScript ? `<script>${served.themeScript}</script>\n` : ''}${head}</head><body><header><a href="/">Bench Books</a> <a href="/collections/fiction">Fiction</a> <a href="/cart">Cart</a></header>
<main>${main}<ul>${Array.from({ length: 30 }, (_, i) => `<li><a href="/products/p${i}">Book ${i}</a></li>`).join('')}</ul></main></body></html>`

/** The pages, by path: what a shop's product page and an ordinary content page hold besides the SDK. */
export const PAGES = {
  product: {
    path: '/product',
    html: (sdkHead) =>
      shell(
        'The Salt Road',
        `<script type="application/ld+json">${JSON.stringify(PRODUCT)}</script>
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({ event: 'view_item', ecommerce: { currency: 'EUR', value: 18.5, items: [{ item_id: 'salt-road', item_name: 'The Salt Road', price: 18.5 }] } })</script>
${sdkHead}`,
        `<h1>The Salt Road</h1><p>${'A novel of crossings and the people who make them. '.repeat(40)}</p><button id="add">Add to cart — €18.50</button>`,
      ),
  },
  plain: {
    path: '/about',
    html: (sdkHead) => shell('About us', sdkHead, `<h1>About us</h1><p>${'We are a small bookshop by the harbour, open since 1987. '.repeat(40)}</p>`),
  },
}

const js = (path) => ({ status: 200, contentType: 'text/javascript; charset=utf-8', body: readFileSync(path) })
const json = (value) => ({ status: 200, contentType: 'application/json', body: JSON.stringify(value) })

/** The response to one request of a page showing `variant`; `undefined` for a request off the machine. */
export function answer(url, variant) {
  if (url.hostname !== '127.0.0.1') return undefined
  const { pathname } = url
  for (const page of Object.values(PAGES)) {
    if (pathname === page.path) return { status: 200, contentType: 'text/html; charset=utf-8', body: page.html(VARIANTS[variant].head) }
  }
  if (pathname.startsWith('/dist/seglet')) return js(join(ROOT, pathname))
  if (pathname === '/nohint/seglet.min.js' && served.noHintCore) return { status: 200, contentType: 'text/javascript; charset=utf-8', body: Buffer.from(served.noHintCore) }
  if (pathname.startsWith('/nohint/seglet-')) return js(join(ROOT, 'dist', pathname.slice('/nohint/'.length)))
  if (pathname === '/vendor/growthbook/auto.min.js') return js(GROWTHBOOK)
  if (pathname.startsWith('/gb/api/features/')) return json({ status: 200, features: {}, experiments: [], dateUpdated: new Date().toISOString() })
  if (pathname.startsWith('/seg/analytics.js/v1/')) return js(join(SEGMENT_DIR, 'standalone.js'))
  if (pathname.startsWith('/seg/analytics-next/bundles/')) return js(join(SEGMENT_DIR, pathname.split('/').pop()))
  if (pathname === '/seg/v1/projects/benchkey/settings') {
    return json({ integrations: { 'Segment.io': { apiKey: 'benchkey', apiHost: '127.0.0.1:41999/segapi/v1', protocol: 'http' } }, plan: { track: { __default: { enabled: true } } }, edgeFunction: {}, analyticsNextEnabled: true, middlewareSettings: {}, enabledMiddleware: {}, metrics: { sampleRate: 0 }, legacyVideoPluginsEnabled: false, remotePlugins: [] })
  }
  if (pathname.startsWith('/ph/static/')) return js(join(POSTHOG_DIR, pathname.split('/').pop()))
  if (pathname.startsWith('/ph/flags') || pathname.startsWith('/ph/decide')) return json({ featureFlags: {}, flags: {}, errorsWhileComputingFlags: false, sessionRecording: false, supportedCompression: [] })
  return json({ status: 1 })
}

/**
 * Routes every request of `page` to {@link answer}; requests off the machine are aborted and pushed to
 * `offMachine`. `onServe(pathname, response, resourceType)` sees each response as it is sent.
 */
export async function routePage(page, variant, offMachine, onServe) {
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url())
    const response = answer(url, variant)
    if (!response) {
      offMachine.push(url.href)
      return route.abort()
    }
    onServe?.(url.pathname, response, route.request().resourceType())
    return route.fulfill(response)
  })
}

/**
 * Polls `expression` in the page over CDP (no Playwright script is injected into the page's world) until
 * it is true.
 */
export async function waitUntil(cdp, expression, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const { result } = await cdp.send('Runtime.evaluate', { expression: `!!(${expression})`, returnByValue: true })
    if (result.value === true) return
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
