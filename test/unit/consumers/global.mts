// A storefront page's TypeScript that loads the script tag and opts into its global types (checked by
// package.test.ts, strict, skipLibCheck off). The @ts-expect-error lines fail the check when a wrong call compiles.
/// <reference types="seglet/global" />
import type { Segment } from 'seglet'
import type { SegletCommand } from 'seglet/global'

// Before the tag loaded: the page's own array, replayed in order.
window.seglet = window.seglet || []
const queue = window.seglet
queue.push(['setConsent', 'granted'], ['track', { type: 'product_view', productId: 'sku-42', price: 19.9, currency: 'EUR' }])
queue.push(['onSegment', (segment: Segment) => console.log(segment.id, segment.intent)])
queue.push(['onError', (error) => console.warn(error.code, error.message)])
queue.push(['init', { consent: 'granted' }], ['init'], ['forget'])
// Several commands in one push: each callback is typed from its own command's method.
queue.push(['onError', (error) => console.warn(error.code)], ['onSegment', (segment) => console.log(segment.intent)], ['flush'])
const list: SegletCommand[] = [['flush'], ['showPanel']]
queue.push(...list)
// @ts-expect-error a SegletError has no `reason`, also beside another command
queue.push(['flush'], ['onError', (error) => console.warn(error.reason)])
// @ts-expect-error not a consent value, also beside another command
queue.push(['track', { type: 'search', query: 'mug' }], ['setConsent', 'yes'])
// @ts-expect-error a read has nobody to answer, also beside another command
queue.push(['flush'], ['getSegment'])
// @ts-expect-error a SegletError has no `reason`
queue.push(['onError', (error) => console.warn(error.reason)])
// @ts-expect-error a read has nobody to answer: not a command
queue.push(['getSegment'])
// @ts-expect-error not a consent value
queue.push(['setConsent', 'yes'])
// @ts-expect-error an event needs its fields
queue.push(['track', { type: 'product_view' }])

// Once the tag loaded: `window.Seglet` (undefined before, or on a page that took the name).
const api = window.Seglet
if (api) {
  const segment: Segment | null = api.getSegment()
  const off: () => void = api.onSegment((s) => console.log(s.pathNames.join(' › ')), { immediate: false })
  const stop: () => void = api.onError((error) => (api.isSegletError(error) ? error.code : 'never'))
  void api.setConsent('denied').then(() => api.forget())
  api.track({ type: 'add_to_cart', productId: 'sku-42', quantity: 1, price: 19.9, currency: 'EUR' })
  const running = api.init({ consent: 'granted', storage: { dbName: 'shop' } })
  void running.flush()
  console.log(segment, off, stop, new api.OptionsError('bad', 'consent').code)
  // @ts-expect-error not a consent value
  void api.setConsent('yes')
  // @ts-expect-error an unknown event type
  api.track({ type: 'view_item' })
  // @ts-expect-error the script tag has no createSeglet(): that is the npm package's
  api.createSeglet()
}
// @ts-expect-error undefined until the tag has loaded
window.Seglet.track({ type: 'page_view', url: '/', pageType: 'home' })

export const commands: SegletCommand[] = [['flush'], ['showPanel'], ['destroy']]
