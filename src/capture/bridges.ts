/**
 * The bridges' mapping code (GA4 `dataLayer` entries and Shopify customer events to Seglet events, the
 * schema.org `Product` JSON-LD reader, the `<meta name="seglet:page-stats">` parser). The script-tag build
 * loads it as `seglet-bridges.min.js` the first time one of them has something to read, so a page without
 * ecommerce data or page statistics does not download it; the npm build imports it then with a dynamic
 * `import()`, which bundlers split into a chunk of its own.
 */
import { mapDataLayerEntry, readPageProduct } from './lib/mapDataLayerEntry'
import { mapShopifyEvent } from './lib/mapShopifyEvent'
import { parsePageStats } from './lib/parsePageStats'
import type { readJsonLdProduct } from './lib/readJsonLdProduct'

/** What the capture needs from the bridges' mapping code. */
export interface Bridges {
  mapDataLayerEntry: typeof mapDataLayerEntry
  mapShopifyEvent: typeof mapShopifyEvent
  readJsonLdProduct: typeof readJsonLdProduct
  parsePageStats: typeof parsePageStats
}

/**
 * The bridges' mappers.
 * @example
 * createCaptureWith(dependencies, createBridges())
 */
export function createBridges(): Bridges {
  // The page's JSON-LD product under the id of a `view_item` of it pushed before the JSON-LD was there.
  return { mapDataLayerEntry, mapShopifyEvent, readJsonLdProduct: readPageProduct, parsePageStats }
}
