// The browser entry: hydrates the server's HTML when there is some, renders otherwise.
import { createRoot, hydrateRoot } from 'react-dom/client'
import { createSeglet } from 'seglet'
import { SegletProvider } from 'seglet/react'
import { App } from './App.jsx'

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
const app = (
  <SegletProvider seglet={seglet} hint={hint}>
    <App />
  </SegletProvider>
)
if (root.firstElementChild) hydrateRoot(root, app)
else createRoot(root).render(app)
