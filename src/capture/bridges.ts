/**
 * The bridges' mapping code (GA4 `dataLayer` entries and Shopify customer events to Seglet events, the
 * schema.org `Product` JSON-LD reader). The script-tag build loads it as `seglet-bridges.min.js` the first
 * time one of them has something to read, so a page without ecommerce data does not download it; the npm
 * build passes it to the capture directly.
 */
import { mapDataLayerEntry } from './lib/mapDataLayerEntry'
import { mapShopifyEvent } from './lib/mapShopifyEvent'
import { readJsonLdProduct } from './lib/readJsonLdProduct'

/** What the capture needs from the bridges' mapping code. */
export interface Bridges {
  mapDataLayerEntry: typeof mapDataLayerEntry
  mapShopifyEvent: typeof mapShopifyEvent
  readJsonLdProduct: typeof readJsonLdProduct
}

/**
 * The bridges' mappers.
 * @example
 * createCaptureWith(dependencies, createBridges())
 */
export function createBridges(): Bridges {
  return { mapDataLayerEntry, mapShopifyEvent, readJsonLdProduct }
}
