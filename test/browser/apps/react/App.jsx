// A small storefront page in React: what a shop writes with seglet/react.
import { useSegment, useSegmentHint, useSeglet } from 'seglet/react'

function Offer() {
  const hint = useSegmentHint()
  // Chosen by the hint: the server renders it already on the next page, so it does not flicker.
  return <p id="offer">{hint?.intentBand === 'high' ? 'Free shipping today' : hint ? `Picked for ${hint.segmentId} (${hint.intentBand})` : 'Welcome'}</p>
}

function SegmentLine() {
  const segment = useSegment()
  return <p id="segment">{segment ? `${segment.id} ${segment.intent.toFixed(2)}` : 'no segment yet'}</p>
}

function Browse() {
  const seglet = useSeglet()
  return (
    <button id="browse" onClick={() => seglet?.track({ type: 'product_view', productId: 'the-salt-road', price: 15.9, currency: 'EUR' })}>
      View a product
    </button>
  )
}

export function App() {
  return (
    <main>
      <h1>Shop</h1>
      <Offer />
      <SegmentLine />
      <Browse />
    </main>
  )
}
