// A tiny single-page shop: links change the view with history.pushState, like a React or Vue router.
// Each route updates the page-type meta tag and the schema.org Product JSON-LD, as SSR frameworks do.
;(function () {
  var PRODUCTS = {
    'the-salt-road': { name: 'The Salt Road', price: '15.90', category: 'fiction' },
    'winter-harbour': { name: 'Winter Harbour', price: '13.50', category: 'fiction' },
  }
  function setMeta(type) {
    document.querySelector('meta[name="seglet:page-type"]').setAttribute('content', type)
  }
  function setProduct(id) {
    var old = document.getElementById('product-ld')
    if (old) old.remove()
    if (!id) return
    var p = PRODUCTS[id]
    var ld = document.createElement('script')
    ld.type = 'application/ld+json'
    ld.id = 'product-ld'
    ld.textContent = JSON.stringify({ '@context': 'https://schema.org', '@type': 'Product', name: p.name, sku: id, category: p.category, offers: { '@type': 'Offer', price: p.price, priceCurrency: 'EUR' } })
    document.head.appendChild(ld)
  }
  function render(path) {
    var view = document.getElementById('view')
    var m = /\/products\/([\w-]+)/.exec(path)
    if (m) {
      setMeta('product')
      setProduct(m[1])
      view.innerHTML = '<h1>' + PRODUCTS[m[1]].name + '</h1><button id="add" data-id="' + m[1] + '">Add to cart</button>'
    } else if (/\/collections\//.test(path)) {
      setMeta('category'); setProduct(null); view.innerHTML = '<h1>Fiction</h1>'
    } else if (/\/cart/.test(path)) {
      setMeta('cart'); setProduct(null); view.innerHTML = '<h1>Cart</h1>'
    } else {
      setMeta('home'); setProduct(null); view.innerHTML = '<h1>Welcome</h1>'
    }
  }
  window.spaNavigate = function (path) {
    history.pushState({ path: path }, '', path)
    render(path)
  }
  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('a[data-route]')
    if (link) {
      event.preventDefault()
      window.spaNavigate(link.getAttribute('href'))
      return
    }
    var add = event.target.closest && event.target.closest('#add')
    if (add) {
      var id = add.getAttribute('data-id')
      window.seglet.push(['track', { type: 'add_to_cart', productId: id, quantity: 1, price: Number(PRODUCTS[id].price), currency: 'EUR' }])
    }
  })
  window.addEventListener('popstate', function () { render(location.pathname) })
  window.seglet = window.seglet || []
})()
