// The browser entry: hydrates the server's HTML when there is some, renders otherwise.
import { createApp, createSSRApp } from 'vue'
import { createSeglet } from 'seglet'
import { createSegletPlugin } from 'seglet/vue'
import { App } from './App.js'

const params = new URLSearchParams(location.search)
const seglet = createSeglet({
  consent: params.get('consent') ?? 'granted',
  segmentWithoutConsent: params.has('without-consent'),
  personalize: { segmentHint: true },
  onError: (error) => console.error('seglet', error.code, error.message),
})
window.segletApp = { seglet }

const root = document.getElementById('root')
const hint = window.__SEGMENT_HINT__ ?? null
const app = (root.firstElementChild ? createSSRApp : createApp)(App)
app.use(createSegletPlugin({ seglet, hint }))
app.mount(root)
