// A storefront app that installs Seglet from npm and lets its bundler split out the model runtime.
// Built by `npm run build` into examples/bundler/dist/ (rollup, the same way a shop's own bundler would).
import { createSeglet, isSegletError } from 'seglet'

const errors = []
const seglet = createSeglet({
  consent: 'granted',
  personalize: { antiFlicker: true },
  onError: (error) => errors.push({ code: error.code, message: error.message }),
})

// The shop's own code: track a product view for the product on this page and show the segment.
const product = document.querySelector('[data-product-id]')
if (product) {
  seglet.track({
    type: 'product_view',
    productId: product.getAttribute('data-product-id'),
    price: Number(product.getAttribute('data-price')),
    currency: 'EUR',
  })
}
seglet.onSegment((segment) => {
  const badge = document.querySelector('#segment-badge')
  // A visit's first page gets the cold-start default, whose intent is not measured yet: no figure for it.
  if (badge) badge.textContent = segment.coldStart ? segment.name : `${segment.name} · intent ${Math.round(segment.intent * 100)}%`
})

document.addEventListener('click', (event) => {
  const button = event.target instanceof Element ? event.target.closest('[data-demo-action="add"]') : null
  if (!button) return
  try {
    seglet.track({ type: 'add_to_cart', productId: button.getAttribute('data-product-id'), quantity: 1, price: Number(button.getAttribute('data-price')), currency: 'EUR' })
  } catch (error) {
    if (isSegletError(error)) errors.push({ code: error.code, message: error.message })
  }
})

// Exposed for the browser tests, which drive this page like a shopper.
window.segletApp = { seglet, errors }
