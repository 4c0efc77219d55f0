// A shop in another language, with the script tag: addresses in other letters (/商品/靴, /schuhe/größe-42), page
// types and page keys in its language, and prices as a theme in another locale writes them. What README.md's "A
// shop in another language" says, checked in Chromium: the README's own snippet, and every claim beside it.
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { probes, readDb, resetOrigin, useHarness, waitForSeglet } from './helpers'
import { snippet } from './readmeSnippets'

/** The pages of this file: `/<any path>?case=<name>` is the page of that case, whatever its path. */
const PAGES: Record<string, { head: string; setup?: string }> = {
  // The README's snippet, then the same rules as the shop reads its addresses.
  encoded: { head: '', setup: snippet('encoded-patterns') },
  readable: {
    head: '',
    setup:
      "window.seglet = window.seglet || []; seglet.push(['init', { consent: 'granted', capture: { pageTypePatterns: [['/商品/', 'product'], [/\\/カテゴリ\\//, 'category']], pageStats: { '/商品/靴': { pageValue: 12.5 } } } }])",
  },
  plain: { head: '' },
  'type-de': { head: '<meta name="seglet:page-type" content="produkt">' },
  'type-ja': { head: '<meta name="seglet:page-type" content="商品">' },
  'key-ja': { head: '<meta name="seglet:page-key" content="商品/靴">' },
  'key-latin': { head: '<meta name="seglet:page-key" content="product/1042">' },
  prices: {
    head: `<script type="application/ld+json">{"@context":"https://schema.org","@type":"Product","sku":"größe-42","offers":{"@type":"Offer","price":"1.299,00","priceCurrency":"EUR"}}</script>
<script src="/i18n/prices.js"></script>`,
  },
}

const PRICES_JS = `window.dataLayer = window.dataLayer || []
dataLayer.push({ event: 'add_to_cart', ecommerce: { currency: 'EUR', items: [{ item_id: 'größe-43', price: '1.299' }] } })
dataLayer.push({ event: 'add_to_cart', ecommerce: { currency: 'EUR', items: [{ item_id: 'größe-44', price: '1.299,00' }] } })
dataLayer.push({ event: 'add_to_cart', ecommerce: { currency: 'JPY', items: [{ item_id: '靴-001', price: '12,800' }] } })
dataLayer.push({ event: 'add_to_cart', ecommerce: { currency: 'JPY', items: [{ item_id: '靴-002', price: '12800' }] } })
`

const html = (name: string) => {
  const { head, setup } = PAGES[name]
  // With a set-up, Seglet waits for it (data-autostart="false"), from a file of the page's own, as the README says.
  const tag = setup
    ? '<script src="/i18n/setup.js?case=' + name + '"></script><script src="/dist/seglet.min.js" data-autostart="false" async></script>'
    : '<script src="/dist/seglet.min.js" data-consent="granted" async></script>'
  return `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>${name}</title>${head}${tag}</head><body><h1>${name}</h1></body></html>`
}

const h = useHarness({
  server: {
    render: (req) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const name = url.searchParams.get('case') ?? ''
      if (url.pathname === '/i18n/setup.js' || url.pathname === '/i18n/prices.js') return undefined
      return Object.hasOwn(PAGES, name) ? html(name) : undefined
    },
  },
  setup: async (harness) => {
    await harness.context.route(`${harness.baseUrl}/i18n/setup.js*`, (route) =>
      route.fulfill({ contentType: 'text/javascript; charset=utf-8', body: PAGES[new URL(route.request().url()).searchParams.get('case')!].setup! }),
    )
    await harness.context.route(`${harness.baseUrl}/i18n/prices.js`, (route) => route.fulfill({ contentType: 'text/javascript; charset=utf-8', body: PRICES_JS }))
  },
})

/** Opens `path` (as written: Chromium percent-encodes it) as the page of `name`, and reads what it stored once it settled. */
async function visit(path: string, name: string, then?: (page: Page) => Promise<unknown>) {
  await resetOrigin(h)
  const page = await h.newPage()
  await page.goto(`${h.baseUrl}${path}?case=${name}`)
  await waitForSeglet(page)
  await expect.poll(async () => (await readDb(page)).events.some((e) => e.type === 'page_view'), { timeout: 10_000 }).toBe(true).catch(async (error) => {
    throw new Error(`${String(error)}; errors: ${JSON.stringify(await probes(page))}`)
  })
  await then?.(page)
  // The bridges' entries and a late product view are written within the flush delay.
  await page.waitForTimeout(1_500)
  await page.evaluate(() => (window as unknown as { Seglet: { flush(): Promise<void> } }).Seglet.flush())
  const events = (await readDb(page)).events.map(({ id: _id, ts: _ts, ...rest }) => rest)
  const errors = (await probes(page)).errors
  await page.close()
  return { events, errors, pageViews: events.filter((e) => e.type === 'page_view') }
}

const encoded = (path: string) => encodeURI(path)

describe('a shop in another language (README: "A shop in another language")', () => {
  it('stores the address percent-encoded, as location gives it, and matches the rules and page statistics written encoded (the README snippet)', async () => {
    const product = await visit('/商品/靴', 'encoded')
    expect(product.pageViews).toEqual([{ type: 'page_view', url: `${encoded('/商品/靴')}?case=encoded`, pageType: 'product', stats: { pageValue: 12.5 } }])
    const category = await visit('/カテゴリ/紳士', 'encoded')
    expect(category.pageViews).toEqual([{ type: 'page_view', url: `${encoded('/カテゴリ/紳士')}?case=encoded`, pageType: 'category' }])
    expect([...product.errors, ...category.errors]).toEqual([])
  })

  it('never matches rules and page statistics written as the shop reads its addresses, and reports nothing', async () => {
    const product = await visit('/商品/靴', 'readable')
    expect(product.pageViews).toEqual([{ type: 'page_view', url: `${encoded('/商品/靴')}?case=readable`, pageType: 'other' }])
    const category = await visit('/カテゴリ/紳士', 'readable')
    expect(category.pageViews).toEqual([{ type: 'page_view', url: `${encoded('/カテゴリ/紳士')}?case=readable`, pageType: 'other' }])
    expect([...product.errors, ...category.errors]).toEqual([])
  })

  it('drops a tracked page view of location.pathname or location.href as the same page, but stores a decoded path beside it', async () => {
    const same = await visit('/商品/靴', 'plain', (page) =>
      page.evaluate(() => {
        const seglet = (window as unknown as { Seglet: { track(event: object): unknown } }).Seglet
        seglet.track({ type: 'page_view', url: location.pathname + location.search, pageType: 'product' })
        seglet.track({ type: 'page_view', url: location.href, pageType: 'product' })
      }),
    )
    expect(same.pageViews.map((e) => e.url)).toEqual([`${encoded('/商品/靴')}?case=plain`])
    const decoded = await visit('/商品/靴', 'plain', (page) =>
      page.evaluate(() =>
        (window as unknown as { Seglet: { track(event: object): unknown } }).Seglet.track({ type: 'page_view', url: decodeURIComponent(location.pathname) + location.search, pageType: 'product' }),
      ),
    )
    expect(decoded.pageViews.map((e) => e.url)).toEqual([`${encoded('/商品/靴')}?case=plain`, '/商品/靴?case=plain'])
  })

  it('ignores a page type in another language without a report, and refuses a page key in other letters with one', async () => {
    for (const name of ['type-de', 'type-ja']) {
      const { pageViews, errors } = await visit('/x', name)
      expect(pageViews).toEqual([{ type: 'page_view', url: `/x?case=${name}`, pageType: 'other' }])
      expect(errors).toEqual([])
    }
    const refused = await visit('/商品/靴', 'key-ja')
    expect(refused.pageViews).toEqual([{ type: 'page_view', url: `${encoded('/商品/靴')}?case=key-ja`, pageType: 'other' }])
    expect(refused.errors).toEqual([expect.objectContaining({ code: 'autocapture_failed', message: expect.stringContaining('"商品/靴"') })])
    const latin = await visit('/商品/靴', 'key-latin')
    expect(latin.pageViews).toEqual([{ type: 'page_view', url: `${encoded('/商品/靴')}?case=key-latin`, pageType: 'other', pageKey: 'product/1042' }])
    expect(latin.errors).toEqual([])
  })

  it('reads a price given as text with a point for decimals: "1.299" is 1.299; "1.299,00" and "12,800" are refused, reported from GA4, left out of JSON-LD', async () => {
    const { events, errors } = await visit('/schuhe/größe-42', 'prices')
    expect(events.filter((e) => e.type === 'add_to_cart')).toEqual([
      { type: 'add_to_cart', productId: 'größe-43', quantity: 1, price: 1.299, currency: 'EUR' },
      { type: 'add_to_cart', productId: '靴-002', quantity: 1, price: 12800, currency: 'JPY' },
    ])
    // The JSON-LD product is viewed, without its price, and nothing says why.
    expect(events.filter((e) => e.type === 'product_view')).toEqual([{ type: 'product_view', productId: 'größe-42', currency: 'EUR' }])
    expect(errors.map((e) => e.code)).toEqual(['bridge_invalid', 'bridge_invalid'])
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('"1.299,00"'), expect.stringContaining('"12,800"')])
  })
})
