// Test page helper: inserts the script-tag build with the data-* attributes given in ?attrs=<JSON object>
// (names without the "data-" prefix). Lets one page stand for any attribute combination, fuzzed ones too.
;(function () {
  var attrs = {}
  try {
    attrs = JSON.parse(new URLSearchParams(location.search).get('attrs') || '{"consent":"granted"}')
  } catch (e) {
    attrs = { consent: 'granted' }
  }
  var script = document.createElement('script')
  script.src = '/dist/seglet.min.js'
  script.async = true
  for (var name in attrs) script.setAttribute('data-' + name, String(attrs[name]))
  document.head.appendChild(script)
})()
