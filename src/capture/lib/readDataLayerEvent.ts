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
 * The GA4 ecommerce event name and parameters of one `dataLayer` entry, or `null` for anything else (`gtm.js`,
 * `config`, custom events). Two shapes: the GTM object `{ event: 'purchase', ecommerce: { … } }` (parameters
 * from `ecommerce`, else the entry itself) and gtag's `arguments` `['event', 'purchase', { … }]`. Cheap: the
 * core asks it before loading the bridge code.
 */
export function readDataLayerEvent(entry: unknown): [(typeof GA4_EVENT_NAMES)[number], unknown] | null {
  if (typeof entry !== 'object' || entry === null) return null
  let name: unknown
  let params: unknown
  if (prop(entry, '0') === 'event') {
    name = prop(entry, '1')
    params = prop(entry, '2') ?? {}
  } else {
    name = prop(entry, 'event')
    const ecommerce = prop(entry, 'ecommerce')
    params = typeof ecommerce === 'object' && ecommerce !== null ? ecommerce : entry
  }
  if (typeof name !== 'string' || !(GA4_EVENT_NAMES as readonly string[]).includes(name)) return null
  return [name as (typeof GA4_EVENT_NAMES)[number], params]
}
