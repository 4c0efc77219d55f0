import { OPTION_TABLE, type OptionGroup } from '../options/optionTable'
import { validateOptions } from '../options/validateOptions'
import { createBridges } from './bridges'
import { createCaptureWith } from './createCaptureWith'
import type { Capture, CaptureDependencies } from './types'

export { NAVIGATION_SETTLE_MS } from './createCaptureWith'

/**
 * Creates the capture stage. `track()` validates, stamps and queues; `start()` turns on autocapture (page
 * views, SPA navigations, engagement, scroll depth) and the GA4 `dataLayer` bridge; `shopifyEvent()` maps
 * Shopify customer events. Autocapture and bridges never throw into the page: failures go to `onError`.
 * Nothing touches `window` before `start()`.
 *
 * A `replaceState` that changes only the query or hash (a variant picker, a filter) is no navigation: the page
 * view goes on, and its later records carry the new URL. Duplicates from automatic sources are dropped: a page
 * view of the URL that already had one (a `page_viewed` or `view_item_list` after autocapture), a product view of a
 * product already viewed on this page view, a purchase whose order id was already captured on this page.
 * Direct `track()` calls are always kept.
 *
 * @example
 * const capture = createCapture({ enqueue: (e) => store.add(e), onError: report, options: { scrollDepth: false } })
 * capture.start()
 * capture.track({ type: 'add_to_cart', productId: 'sku-1', price: 19.9, currency: 'EUR' })
 * capture.shopifyEvent(event) // a Shopify Web Pixels event object, handed over by code in the page
 */
export function createCapture(dependencies: CaptureDependencies): Capture {
  validateOptions(dependencies.options ?? {}, OPTION_TABLE.capture as OptionGroup)
  return createCaptureWith(dependencies, createBridges())
}
