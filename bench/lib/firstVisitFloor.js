// The heap floor of a first visit (`node scripts/start-heap.mjs plain|product --file=bench/lib/firstVisitFloor.js`):
// not Seglet, but the fewest functions that touch every Web API a first visit of the script-tag core touches, as
// the core touches them (its `--bindings` list): its own tag's attributes, Global Privacy Control, `<html>`'s
// attribute and class, IndexedDB opened, upgraded, read and written through an index and a key range, a random id,
// the page's address, JSON-LD and the GA4 data layer, the history methods, idle time, the page's click, hide and
// show events, a watcher of added markup, `window.Seglet` and a `seglet:segment` event. What the core adds above
// this figure is its own code and objects: the part of the heap a smaller start path can take back.
(function () {
  var s = document.currentScript, root = document.documentElement, queue = [], db
  var persist = s.getAttribute('data-consent') === 'granted' && !navigator.globalPrivacyControl
  var session = crypto.getRandomValues(new Uint32Array(2)).join('-')
  root.setAttribute('data-seglet-segment', 'new-visitor')
  root.classList.add('seglet-new-visitor')
  function put(event) {
    event.t = Date.now(); event.session = session; queue.push(event)
    if (db && persist) {
      var t = db.transaction('events', 'readwrite')
      while (queue.length) t.objectStore('events').add(queue.shift())
    }
  }
  var open = indexedDB.open('seglet-floor', 1)
  open.onupgradeneeded = function () {
    open.result.createObjectStore('meta')
    open.result.createObjectStore('events', { autoIncrement: true }).createIndex('t', 't')
  }
  open.onsuccess = function () {
    db = open.result
    var t = db.transaction(['meta', 'events'], 'readwrite'), get = t.objectStore('meta').get('segment')
    t.objectStore('events').index('t').openCursor(IDBKeyRange.upperBound(Date.now() - 864e5 * 90))
    get.onsuccess = function () {
      var ld = document.querySelectorAll('script[type="application/ld+json"]'), product
      for (var i = 0; i < ld.length; i++) try { product = JSON.parse(ld[i].textContent) } catch (e) {}
      put({ type: 'page_view', url: location.href, product: product && product.sku })
      document.dispatchEvent(new CustomEvent('seglet:segment', { detail: { id: get.result || 'new-visitor' } }))
    }
  }
  var layer = window.dataLayer
  if (layer && layer.push) { var push = layer.push; layer.push = function (e) { put({ type: 'data_layer', event: e && e.event }); return push.apply(this, arguments) } }
  var pushState = history.pushState
  history.pushState = function () { pushState.apply(this, arguments); put({ type: 'page_view', url: location.href }) }
  addEventListener('click', function () { put({ type: 'click' }) }, true)
  addEventListener('pagehide', function () { put({ type: 'hide' }) })
  addEventListener('pageshow', function (e) { if (e.persisted) put({ type: 'show' }) })
  document.addEventListener('visibilitychange', function () { put({ type: 'visibility' }) })
  requestIdleCallback(function (deadline) { deadline.timeRemaining() })
  new MutationObserver(function () {}).observe(root, { childList: true, subtree: true })
  document.querySelectorAll('[data-seglet-show]')
  window.Seglet = { track: put }
})()
