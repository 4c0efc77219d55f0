// A small storefront page in Vue (render functions, so no compiler plugin): what a shop writes with seglet/vue.
import { defineComponent, h } from 'vue'
import { useSegment, useSegmentHint, useSeglet } from 'seglet/vue'

const Offer = defineComponent({
  setup() {
    const hint = useSegmentHint()
    // Chosen by the hint: the server renders it already on the next page, so it does not flicker.
    return () => h('p', { id: 'offer' }, hint.value?.intentBand === 'high' ? 'Free shipping today' : hint.value ? `Picked for ${hint.value.segmentId} (${hint.value.intentBand})` : 'Welcome')
  },
})

const SegmentLine = defineComponent({
  setup() {
    const segment = useSegment()
    return () => h('p', { id: 'segment' }, segment.value ? `${segment.value.id} ${segment.value.intent.toFixed(2)}` : 'no segment yet')
  },
})

const Browse = defineComponent({
  setup() {
    const seglet = useSeglet()
    const view = () => seglet?.track({ type: 'product_view', productId: 'the-salt-road', price: 15.9, currency: 'EUR' })
    return () => h('button', { id: 'browse', onClick: view }, 'View a product')
  },
})

export const App = defineComponent({
  setup: () => () => h('main', [h('h1', 'Shop'), h(Offer), h(SegmentLine), h(Browse)]),
})
