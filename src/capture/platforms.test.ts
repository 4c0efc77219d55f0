/**
 * What autocapture records on the markup real storefront platforms serve: Shopify (Dawn), WooCommerce,
 * Magento 2 and BigCommerce pages, and the GA4 `dataLayer` entries their tags push.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { SegletError } from '../errors/index'
import type { StoredEvent } from '../events/types'
import { createCapture, type CaptureOptions } from './index'

type W = Window & Record<string, unknown>
const win = window as unknown as W

let events: StoredEvent[]
let errors: SegletError[]
let stops: Array<() => void>

function setup(options: CaptureOptions = {}) {
  const capture = createCapture({ enqueue: (e) => events.push(e), onError: (e) => errors.push(e), options: { engagement: false, ...options } })
  stops.push(() => capture.stop())
  capture.start()
  return capture
}
const strip = ({ id: _id, ts: _ts, ...rest }: StoredEvent) => rest
const ofType = (type: string) => events.filter((e) => e.type === type).map(strip)
const jsonLd = (value: unknown) => `<script type="application/ld+json">${JSON.stringify(value)}</script>`

beforeEach(() => {
  events = []
  errors = []
  stops = []
  history.replaceState(null, '', '/')
  document.head.innerHTML = ''
  document.body.innerHTML = ''
  delete win.dataLayer
})
afterEach(() => {
  for (const stop of stops) stop()
})

describe('Shopify (Dawn)', () => {
  it('reads the price of a product with variants from the ProductGroup that `structured_data` prints', () => {
    // Dawn's main-product section prints `{{ product | structured_data }}`: a product with variants is a
    // schema.org ProductGroup whose offers sit on each variant under `hasVariant`.
    history.replaceState(null, '', '/products/classic-tee?variant=41234567890')
    document.body.innerHTML = `<product-info>${jsonLd({
      '@context': 'http://schema.org/',
      '@id': '/products/classic-tee#product',
      '@type': 'ProductGroup',
      brand: { '@type': 'Brand', name: 'Seglet Supply' },
      category: 'T-Shirts',
      description: 'A soft tee.',
      hasVariant: [
        {
          '@id': '/products/classic-tee?variant=41234567890#variant',
          '@type': 'Product',
          image: 'https://shop.example/cdn/shop/files/tee.jpg?v=1&width=1920',
          name: 'Classic tee - S',
          offers: {
            '@id': '/products/classic-tee?variant=41234567890#offer',
            '@type': 'Offer',
            availability: 'http://schema.org/InStock',
            price: '25.00',
            priceCurrency: 'CAD',
            url: 'https://shop.example/products/classic-tee?variant=41234567890',
          },
          sku: 'TEE-S',
        },
        {
          '@id': '/products/classic-tee?variant=41234567891#variant',
          '@type': 'Product',
          name: 'Classic tee - M',
          offers: { '@type': 'Offer', availability: 'http://schema.org/InStock', price: '25.00', priceCurrency: 'CAD' },
          sku: 'TEE-M',
        },
      ],
      name: 'Classic tee',
      productGroupID: '7112470536385',
      url: 'https://shop.example/products/classic-tee',
    })}</product-info>`
    setup()
    expect(ofType('page_view')).toEqual([{ type: 'page_view', url: '/products/classic-tee?variant=41234567890', pageType: 'product' }])
    expect(ofType('product_view')).toEqual([
      { type: 'product_view', productId: '7112470536385', price: 25, currency: 'CAD', category: 'T-Shirts' },
    ])
    expect(errors).toEqual([])
  })

  it('reads a product of Dawn before version 15, which prints neither @id nor a SKU it does not have, by its url', () => {
    // sections/main-product.liquid before `structured_data`: a hand-written Product, `sku` only when the variant has
    // one, an Offer per variant.
    history.replaceState(null, '', '/products/crocodile-tears')
    document.body.innerHTML = jsonLd({
      '@context': 'http://schema.org/', '@type': 'Product', name: 'Crocodile tears', url: 'https://shop.example/products/crocodile-tears',
      description: 'Tears.', brand: { '@type': 'Brand', name: "Polina's Potent Potions" },
      offers: [
        { '@type': 'Offer', availability: 'http://schema.org/InStock', price: 56.0, priceCurrency: 'CAD', url: 'https://shop.example/products/crocodile-tears?variant=1' },
        { '@type': 'Offer', availability: 'http://schema.org/InStock', price: 60.0, priceCurrency: 'CAD', url: 'https://shop.example/products/crocodile-tears?variant=2' },
      ],
    })
    setup()
    expect(ofType('product_view')).toEqual([{ type: 'product_view', productId: 'https://shop.example/products/crocodile-tears', price: 56, currency: 'CAD' }])
    expect(errors).toEqual([])
  })

  it('reads a product without variants (a schema.org Product) with its @id when it has no SKU', () => {
    history.replaceState(null, '', '/products/crocodile-tears')
    document.body.innerHTML = jsonLd({
      '@context': 'http://schema.org/', '@id': '/products/crocodile-tears#product', '@type': 'Product',
      brand: { '@type': 'Brand', name: "Polina's Potent Potions" }, category: '', description: '', name: 'Crocodile tears',
      offers: { '@id': '/products/crocodile-tears?variant=39888242344001#offer', '@type': 'Offer', availability: 'http://schema.org/OutOfStock', price: '56.00', priceCurrency: 'CAD' },
      url: 'https://shop.example/products/crocodile-tears',
    })
    setup()
    expect(ofType('product_view')).toEqual([{ type: 'product_view', productId: '/products/crocodile-tears#product', price: 56, currency: 'CAD' }])
  })

  it.each([
    ['/collections/all', 'category'], ['/collections/summer/products/classic-tee', 'product'], ['/cart', 'cart'],
    ['/checkouts/cn/Z2NwLXVzLWVhc3QxOjAx', 'checkout'], ['/account/login', 'account'], ['/search?q=tee&options%5Bprefix%5D=last', 'search'],
    ['/pages/contact', 'informational'], ['/blogs/news/summer-drop', 'informational'], ['/fr-ca/products/classic-tee', 'product'],
  ])('types %s as %s', (url, pageType) => {
    history.replaceState(null, '', url)
    setup()
    expect(ofType('page_view')[0]).toMatchObject({ pageType })
  })
})

describe('WooCommerce', () => {
  it('reads the product of the @graph WooCommerce prints, its price from a priceSpecification list', () => {
    history.replaceState(null, '', '/product/beanie/')
    document.body.innerHTML = jsonLd({
      '@context': 'https://schema.org/',
      '@graph': [
        { '@context': 'https://schema.org/', '@type': 'BreadcrumbList', itemListElement: [] },
        {
          '@type': 'Product', '@id': 'https://shop.example/product/beanie/#product', name: 'Beanie', url: 'https://shop.example/product/beanie/',
          description: 'A beanie.', image: 'https://shop.example/wp-content/uploads/beanie.jpg', sku: 'woo-beanie',
          offers: [{
            '@type': 'Offer', priceSpecification: [{ '@type': 'UnitPriceSpecification', price: '18.00', priceCurrency: 'EUR', valueAddedTaxIncluded: true, validThrough: '2027-12-31' }],
            priceValidUntil: '2027-12-31', availability: 'http://schema.org/InStock', url: 'https://shop.example/product/beanie/',
            seller: { '@type': 'Organization', name: 'Shop', url: 'https://shop.example' },
          }],
        },
      ],
    })
    setup()
    expect(ofType('page_view')[0]).toMatchObject({ pageType: 'product' })
    expect(ofType('product_view')).toEqual([{ type: 'product_view', productId: 'woo-beanie', price: 18, currency: 'EUR' }])
  })

  it('reads the sale price of a product on sale that WooCommerce 9.5 and 9.6 print after the crossed-out list price', () => {
    // Before woocommerce/woocommerce#55061 the regular price came first, marked `priceType: ListPrice`.
    history.replaceState(null, '', '/product/hoodie/')
    document.body.innerHTML = jsonLd({
      '@context': 'https://schema.org/', '@type': 'Product', '@id': 'https://shop.example/product/hoodie/#product', name: 'Hoodie', sku: 'woo-hoodie',
      offers: [{ '@type': 'Offer', priceSpecification: [
        { '@type': 'UnitPriceSpecification', price: '45.00', priceCurrency: 'EUR', valueAddedTaxIncluded: false, priceType: 'https://schema.org/ListPrice' },
        { '@type': 'UnitPriceSpecification', price: '42.00', priceCurrency: 'EUR', valueAddedTaxIncluded: false },
      ], availability: 'https://schema.org/InStock' }],
    })
    setup()
    expect(ofType('product_view')).toEqual([{ type: 'product_view', productId: 'woo-hoodie', price: 42, currency: 'EUR' }])
  })

  // A product page with WooCommerce's JSON-LD (named by its SKU) and a GA4 plugin's view_item (named by the post id).
  const beanieLd = () => jsonLd({
    '@context': 'https://schema.org/', '@type': 'Product', '@id': 'https://shop.example/product/beanie/#product', name: 'Beanie &amp; Scarf', sku: 'woo-beanie',
    offers: [{ '@type': 'Offer', priceSpecification: [{ '@type': 'UnitPriceSpecification', price: '15.00', priceCurrency: 'EUR', valueAddedTaxIncluded: true }] }],
  })

  it('counts one product view of a page whose GA4 view_item (Google Analytics for WooCommerce, gtag) names the product by its post id', () => {
    history.replaceState(null, '', '/product/beanie/')
    document.body.innerHTML = beanieLd()
    setup()
    const gtag = (...args: unknown[]) => (win.dataLayer as unknown[]).push(args)
    // No currency: the plugin sends none with view_item.
    gtag('event', 'view_item', { items: [{ item_id: 15, item_name: 'Beanie & Scarf', item_list_name: 'Product List', item_category: 'Accessories', price: 15 }] })
    expect(ofType('product_view')).toEqual([{ type: 'product_view', productId: 'woo-beanie', price: 15, currency: 'EUR' }])
    // A view_item of another product (a quick view of a related product, another price) is a view of its own.
    gtag('event', 'view_item', { items: [{ item_id: 16, item_name: 'Belt', price: 55 }] })
    expect(ofType('product_view').map((e) => e.type === 'product_view' && e.productId)).toEqual(['woo-beanie', '16'])
  })

  it('counts one product view of a page whose GTM4WP view_item was pushed in <head>, before the footer with the JSON-LD arrived', () => {
    history.replaceState(null, '', '/product/beanie/')
    win.dataLayer = [
      { ecommerce: null },
      { pagePostType: 'product', event: 'view_item', ecommerce: { currency: 'EUR', value: 15, items: [{ item_id: 15, item_name: 'Beanie & Scarf', sku: 'woo-beanie', price: 15, stockstatus: 'instock', google_business_vertical: 'retail', item_category: 'Accessories', id: 15 }] } },
    ]
    // The page is still loading: its footer (wp_footer, where WooCommerce prints the JSON-LD) is not parsed yet.
    Object.defineProperty(document, 'readyState', { value: 'loading', configurable: true })
    try {
      setup()
      document.body.innerHTML = beanieLd()
    } finally {
      delete (document as unknown as Record<string, unknown>).readyState
    }
    document.dispatchEvent(new Event('DOMContentLoaded'))
    expect(ofType('product_view')).toEqual([{ type: 'product_view', productId: '15', price: 15, currency: 'EUR', category: 'Accessories' }])
    expect(ofType('page_view')).toEqual([{ type: 'page_view', url: '/product/beanie/', pageType: 'product' }])
  })

  it.each([
    ['/product-category/clothing/', 'category'], ['/product-category/clothing/accessories/page/2/', 'category'],
    ['/cart/', 'cart'], ['/checkout/', 'checkout'], ['/checkout/order-received/123/?key=wc_order_abc', 'checkout'],
    ['/my-account/', 'account'], ['/my-account/orders/', 'account'],
  ])('types %s as %s', (url, pageType) => {
    history.replaceState(null, '', url)
    setup()
    expect(ofType('page_view')[0]).toMatchObject({ pageType })
  })
})

describe('Magento 2', () => {
  it('reads the purchase Magento_GoogleGtag sends on the success page, its value written with thousands separators', () => {
    // Block/Ga.php: 'value' => number_format((float) $order->getGrandTotal(), 2), a string such as "1,234.50".
    history.replaceState(null, '', '/checkout/onepage/success/')
    setup()
    const gtag = (...args: unknown[]) => (win.dataLayer as unknown[]).push(args)
    const purchaseObject: Record<string, unknown> = { transaction_id: '000000042', affiliation: 'Main Website Store', value: '1,234.50', tax: '0.00', shipping: '10.00', currency: 'USD' }
    purchaseObject.items = [{ index: 1, item_id: 'MH01-XS-Black', item_name: 'Chaz Kangeroo Hoodie', item_brand: false, affiliation: 'Main Website Store', price: 1224.5, quantity: 1 }]
    gtag('event', 'purchase', purchaseObject)
    expect(ofType('purchase')).toEqual([{ type: 'purchase', orderId: '000000042', value: 1234.5, currency: 'USD', items: [{ productId: 'MH01-XS-Black', quantity: 1, price: 1224.5 }] }])
    expect(errors).toEqual([])
    // A comma without a decimal point after it stays unread: "12,800" may be 12.8.
    gtag('event', 'purchase', { ...purchaseObject, transaction_id: '000000043', value: '12,800' })
    expect(ofType('purchase')).toHaveLength(1)
    expect(errors.map((e) => e.code)).toEqual(['bridge_invalid'])
  })

  it.each([
    ['/catalog/product/view/id/1234/', 'product'], ['/catalog/category/view/id/12/', 'category'], ['/checkout/cart/', 'cart'],
    ['/checkout/', 'checkout'], ['/checkout/onepage/success/', 'checkout'], ['/customer/account/login/', 'account'],
    ['/catalogsearch/result/?q=bag', 'search'],
  ])('types %s as %s', (url, pageType) => {
    history.replaceState(null, '', url)
    setup()
    expect(ofType('page_view')[0]).toMatchObject({ pageType })
  })
})

describe('BigCommerce (Cornerstone)', () => {
  it('reads the price of a product with a price range from the minPrice Cornerstone prints', () => {
    // templates/components/products/schema.html: a product whose variants differ in price gets `minPrice` and
    // `maxPrice` on its Offer instead of `price`.
    history.replaceState(null, '', '/sample-laundry-detergent/')
    document.body.innerHTML = jsonLd({
      '@context': 'https://schema.org/', '@type': 'Product', name: 'Laundry detergent', sku: 'OFSUC', url: 'https://shop.example/sample-laundry-detergent/',
      description: 'Detergent.', image: 'https://cdn11.bigcommerce.com/s-abc/images/stencil/1280x1280/products/86/286/detergent.jpg',
      offers: {
        '@type': 'Offer', priceCurrency: 'USD', minPrice: '28.95', maxPrice: '33.95', itemCondition: 'https://schema.org/NewCondition',
        availability: 'https://schema.org/InStock', url: 'https://shop.example/sample-laundry-detergent/', priceValidUntil: '2027-12-02',
      },
    })
    setup()
    expect(ofType('page_view')[0]).toMatchObject({ pageType: 'product' })
    expect(ofType('product_view')).toEqual([{ type: 'product_view', productId: 'OFSUC', price: 28.95, currency: 'USD' }])
  })

  it.each([
    ['/cart.php', 'cart'], ['/checkout', 'checkout'], ['/checkout/order-confirmation', 'checkout'], ['/login.php', 'account'],
    ['/account.php?action=order_status', 'account'], ['/search.php?search_query=bag', 'search'], ['/categories/bags.html', 'category'],
  ])('types %s as %s', (url, pageType) => {
    history.replaceState(null, '', url)
    setup()
    expect(ofType('page_view')[0]).toMatchObject({ pageType })
  })
})

describe('GA4 dataLayer', () => {
  it('reads the product id of items that carry `id` instead of `item_id` (Google Ads, Listings & Ads)', () => {
    // The Google Ads remarketing tag and WooCommerce's Google Listings & Ads push gtag items as { id, google_business_vertical }.
    setup({ pageViews: false })
    const gtag = (...args: unknown[]) => (win.dataLayer as unknown[]).push(args)
    gtag('event', 'view_item', { value: 18, items: [{ id: 'woo-beanie', google_business_vertical: 'retail', price: 18 }] })
    gtag('event', 'add_to_cart', { currency: 'EUR', value: 18, items: [{ id: 15, quantity: 1, price: 18, google_business_vertical: 'retail' }] })
    gtag('event', 'purchase', { transaction_id: 'W-1', currency: 'EUR', value: 18, items: [{ id: 'woo-beanie', item_id: 'BEANIE-1', quantity: 1, price: 18 }] })
    expect(events.map(strip)).toEqual([
      { type: 'product_view', productId: 'woo-beanie', price: 18 },
      { type: 'add_to_cart', productId: '15', quantity: 1, price: 18, currency: 'EUR' },
      // `item_id` first when an item has both.
      { type: 'purchase', orderId: 'W-1', value: 18, currency: 'EUR', items: [{ productId: 'BEANIE-1', quantity: 1, price: 18 }] },
    ])
    expect(errors).toEqual([])
  })

  it('captures ecommerce entries pushed before the tag loaded and after it', () => {
    win.dataLayer = [
      { 'gtm.start': 1, event: 'gtm.js' },
      { ecommerce: null },
      { event: 'view_item', ecommerce: { currency: 'EUR', value: 18, items: [{ item_id: 'woo-beanie', item_name: 'Beanie', price: 18, quantity: 1 }] } },
    ]
    setup({ pageViews: false })
    ;(win.dataLayer as unknown[]).push({ ecommerce: null })
    ;(win.dataLayer as unknown[]).push({ event: 'add_to_cart', ecommerce: { currency: 'EUR', value: 36, items: [{ item_id: 'woo-beanie', price: 18, quantity: 2 }] } })
    ;(win.dataLayer as unknown[]).push({ event: 'begin_checkout', ecommerce: { currency: 'EUR', value: 36, items: [{ item_id: 'woo-beanie', price: 18, quantity: 2 }] } })
    ;(win.dataLayer as unknown[]).push({ event: 'purchase', ecommerce: { transaction_id: 1042, currency: 'EUR', value: 40.5, tax: 3, shipping: 4.5, items: [{ item_id: 'woo-beanie', price: 18, quantity: 2 }] } })
    expect(events.map(strip)).toEqual([
      { type: 'product_view', productId: 'woo-beanie', price: 18, currency: 'EUR' },
      { type: 'add_to_cart', productId: 'woo-beanie', quantity: 2, price: 18, currency: 'EUR' },
      { type: 'begin_checkout', value: 36, currency: 'EUR', items: [{ productId: 'woo-beanie', quantity: 2, price: 18 }] },
      { type: 'purchase', orderId: '1042', value: 40.5, currency: 'EUR', items: [{ productId: 'woo-beanie', quantity: 2, price: 18 }] },
    ])
    expect(errors).toEqual([])
  })
})
