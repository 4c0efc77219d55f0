// A shop that already sends GA4 ecommerce events through Google Tag Manager's dataLayer.
window.dataLayer = window.dataLayer || []
window.dataLayer.push({ 'gtm.start': Date.now(), event: 'gtm.js' })
window.dataLayer.push({ ecommerce: null })
window.dataLayer.push({
  event: 'view_item_list',
  ecommerce: { item_list_id: 'tees', item_list_name: 'Tees', items: [{ item_id: 'SKU_1', item_name: 'Tee', price: 10.01, index: 0 }, { item_id: 'SKU_2', item_name: 'Grey Tee', price: 21.01, index: 1 }] },
})
window.dataLayer.push({ ecommerce: null })
window.dataLayer.push({
  event: 'view_item',
  ecommerce: { currency: 'USD', value: 10.01, items: [{ item_id: 'SKU_1', item_name: 'Tee', item_category: 'Apparel', price: 10.01, quantity: 1 }] },
})
window.dataLayer.push({ event: 'search', search_term: 'green tee' })

var ITEM = { item_id: 'SKU_1', item_name: 'Tee', item_category: 'Apparel', price: 10.01, quantity: 2 }
document.addEventListener('click', function (event) {
  var id = event.target && event.target.id
  if (id === 'add') {
    window.dataLayer.push({ ecommerce: null })
    window.shopPushResult = window.dataLayer.push({ event: 'add_to_cart', ecommerce: { currency: 'USD', value: 20.02, items: [ITEM] } })
  } else if (id === 'checkout') {
    window.dataLayer.push({ ecommerce: null })
    window.dataLayer.push({ event: 'begin_checkout', ecommerce: { currency: 'USD', value: 20.02, items: [ITEM] } })
  } else if (id === 'buy') {
    window.dataLayer.push({ ecommerce: null })
    window.dataLayer.push({ event: 'purchase', ecommerce: { transaction_id: 'T-1001', currency: 'USD', value: 20.02, tax: 1.2, shipping: 3, items: [ITEM] } })
    // gtag() pushes its `arguments` object, not an array; the bridge reads both.
    ;(function gtag() { window.dataLayer.push(arguments) })('event', 'purchase', { transaction_id: 'T-1001', currency: 'USD', value: 20.02, items: [ITEM] })
  }
})
