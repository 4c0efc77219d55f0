// A storefront page's TypeScript that is a classic script (no import or export: its top-level names are the
// page's globals), loads the script tag and opts into its global types (checked by package.test.ts). Its own
// top-level `seglet` and `Seglet` are bindings of its own, apart from the tag's `window.seglet` and `window.Seglet`,
// and must compile beside them.
/// <reference types="seglet/global" />

window.seglet = window.seglet || []
window.seglet.push(['setConsent', 'granted'])
const seglet = window.seglet
seglet.push(['track', { type: 'page_view', url: '/', pageType: 'home' }])
const Seglet = window.Seglet
Seglet?.onSegment((segment) => console.log(segment.id, segment.intent))
// @ts-expect-error a read has nobody to answer: not a command
seglet.push(['getSegment'])
