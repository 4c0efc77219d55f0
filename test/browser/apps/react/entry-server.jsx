// The server entry: renders the page with react-dom/server, with the segment hint the server read.
import { renderToString } from 'react-dom/server'
import { SegletProvider } from 'seglet/react'
import { App } from './App.jsx'

export function render(hint) {
  return renderToString(
    <SegletProvider seglet={null} hint={hint}>
      <App />
    </SegletProvider>,
  )
}
