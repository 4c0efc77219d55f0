import { prop } from './prop'

/**
 * The GA4 ecommerce events the `dataLayer` bridge understands; every other entry is ignored.
 *
 * @example
 * GA4_EVENT_NAMES.includes('purchase') // true
 */
export const GA4_EVENT_NAMES = [
  'view_item', 'view_item_list', 'add_to_cart', 'remove_from_cart', 'begin_checkout', 'purchase', 'refund', 'search',
] as const

/**
 * The GA4 event name of one `dataLayer` entry, or `false` for anything else (`gtm.js`, `config`, GTM's own events).
 * Two shapes: gtag's `arguments` `['event', 'purchase', { … }]` and the GTM object `{ event: 'purchase', ecommerce:
 * { … } }` (without an `ecommerce` object, only with a name of {@link GA4_EVENT_NAMES}). A GA4 event of another
 * name (`view_cart`) is read too: it maps to nothing, but tells a page with ecommerce data, so the core loads the
 * bridge code then. Cheap: the core asks it before loading the bridge code, which reads the parameters itself.
 */
export function readDataLayerEvent(entry: unknown): string | false {
  // A gtag event command or an object with `ecommerce` is a GA4 event, of any name.
  const gtag = prop(entry, '0') === 'event'
  const name = prop(entry, gtag ? '1' : 'event')
  const ecommerce = prop(entry, 'ecommerce')
  return typeof name === 'string' && (gtag || (typeof ecommerce === 'object' && ecommerce !== null) || (GA4_EVENT_NAMES as readonly string[]).includes(name)) && name
}
