// The demo shop's own code. It talks to Seglet only through the command queue, the way a shop using the
// script tag would, so it works whether or not seglet.min.js has loaded yet.
window.seglet = window.seglet || []

// The shop knows when it has just taken an order: for the rest of the visit its pages thank the shopper
// instead of nudging them to order or welcoming them back (style.css, `.demo-ordered`).
const ORDERED = 'demo-ordered'
function showOrdered() {
  document.documentElement.classList.add(ORDERED)
}
if (sessionStorage.getItem(ORDERED)) showOrdered()

function cart() {
  try { return JSON.parse(sessionStorage.getItem('demo-cart') || '[]') } catch { return [] }
}

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target.closest('[data-demo-action]') : null
  if (!target) return
  const action = target.getAttribute('data-demo-action')
  const productId = target.getAttribute('data-product-id')
  const price = Number(target.getAttribute('data-price'))
  if (action === 'add') {
    const items = cart()
    items.push({ productId, quantity: 1, price })
    sessionStorage.setItem('demo-cart', JSON.stringify(items))
    // A new basket after an order: the usual banners again.
    sessionStorage.removeItem(ORDERED)
    document.documentElement.classList.remove(ORDERED)
    window.seglet.push(['track', { type: 'add_to_cart', productId, quantity: 1, price, currency: 'EUR' }])
    target.textContent = 'Added ✓'
    const count = document.querySelector('#cart-count')
    if (count) count.textContent = String(items.length)
  } else if (action === 'checkout') {
    const items = cart()
    const value = items.reduce((sum, item) => sum + item.price * item.quantity, 0)
    // An empty cart begins no checkout (the checkout page then says the cart is empty).
    if (items.length > 0) window.seglet.push(['track', { type: 'begin_checkout', value, currency: 'EUR', items }])
    location.href = '/checkout.html'
  } else if (action === 'buy') {
    const items = cart()
    // No order without a basket: a click on an empty checkout (or a second click after the order) orders nothing.
    if (items.length === 0) {
      if (!sessionStorage.getItem(ORDERED)) document.querySelector('#empty')?.removeAttribute('hidden')
      return
    }
    const value = items.reduce((sum, item) => sum + item.price * item.quantity, 0)
    window.seglet.push(['track', { type: 'purchase', orderId: 'demo-' + Date.now(), value, currency: 'EUR', items }])
    sessionStorage.removeItem('demo-cart')
    sessionStorage.setItem(ORDERED, '1')
    showOrdered()
    const count = document.querySelector('#cart-count')
    if (count) count.textContent = '0'
    window.seglet.push(['flush'])
    document.querySelector('#thanks')?.removeAttribute('hidden')
  } else if (action === 'search') {
    // A search event needs a query (1–256 characters): an empty box searches nothing.
    const input = document.querySelector('#q')
    const query = input && 'value' in input ? String(input.value).trim().slice(0, 256) : ''
    if (query) window.seglet.push(['track', { type: 'search', query }])
  } else if (action === 'panel') {
    window.seglet.push(['showPanel'])
  }
})

document.addEventListener('DOMContentLoaded', () => {
  const count = document.querySelector('#cart-count')
  if (count) count.textContent = String(cart().length)
  const list = document.querySelector('#cart-items')
  if (list) {
    for (const item of cart()) {
      const li = document.createElement('li')
      li.textContent = `${item.productId} — €${item.price.toFixed(2)}`
      list.append(li)
    }
  }
})

// Shows the current segment in the header: the page's own use of the onSegment hook.
window.seglet.push(['onSegment', (segment) => {
  const badge = document.querySelector('#segment-badge')
  // A visit's first page gets the cold-start default, whose intent is not measured yet: no figure for it.
  if (badge && segment) badge.textContent = segment.coldStart ? segment.name : `${segment.name} · intent ${Math.round(segment.intent * 100)}%`
}])

// onSegment() only ever passes a segment: after "Forget me" (forget()) Seglet removes <html data-seglet-segment>,
// so the badge watches that too and stops naming a segment that no longer exists.
new MutationObserver(() => {
  const badge = document.querySelector('#segment-badge')
  if (badge && !document.documentElement.hasAttribute('data-seglet-segment')) badge.textContent = 'no segment yet'
}).observe(document.documentElement, { attributes: true, attributeFilter: ['data-seglet-segment'] })
