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
 * The GA4 event name and parameters of one `dataLayer` entry, or `null` for anything else (`gtm.js`, `config`,
 * GTM's own events). Two shapes: the GTM object `{ event: 'purchase', ecommerce: { … } }` (parameters from
 * `ecommerce`, else the entry itself, then only with a name of {@link GA4_EVENT_NAMES}) and gtag's `arguments`
 * `['event', 'purchase', { … }]`. A GA4 event of another name (`view_cart`) is read too: it maps to nothing, but
 * tells a page with ecommerce data, so the core loads the bridge code then. Cheap: the core asks it before
 * loading the bridge code.
 */
export function readDataLayerEvent(entry: unknown): [string, unknown] | null {
  if (typeof entry !== 'object' || entry === null) return null
  let name: unknown
  let params: unknown
  // A gtag event command or an object with `ecommerce` is a GA4 event, of any name.
  let any = prop(entry, '0') === 'event'
  if (any) {
    name = prop(entry, '1')
    params = prop(entry, '2') ?? {}
  } else {
    name = prop(entry, 'event')
    const ecommerce = prop(entry, 'ecommerce')
    params = (any = typeof ecommerce === 'object' && ecommerce !== null) ? ecommerce : entry
  }
  if (typeof name !== 'string' || !(any || (GA4_EVENT_NAMES as readonly string[]).includes(name))) return null
  return [name, params]
}
