// useSegmentHint(): the server's hint stands in until Seglet decides on this page, and not after forget() or in the holdout.
import { createApp, defineComponent, h, nextTick } from 'vue'
import { afterEach, expect, it } from 'vitest'
import { createSeglet } from 'seglet'
import type { Seglet, Segment } from 'seglet'
import { createSegletPlugin, useSegmentHint } from './index'

let running: Seglet[] = []
afterEach(async () => {
  for (const s of running) await s.destroy()
  running = []
  document.body.innerHTML = ''
})
const ShowsHint = defineComponent({
  setup() {
    const hint = useSegmentHint()
    return () => h('p', null, hint.value ? `${hint.value.segmentId} ${hint.value.intentBand}` : 'no hint')
  },
})

it('useSegmentHint() is null after forget(), even when the server passed a hint', async () => {
  const seglet = createSeglet({ consent: 'granted', storage: { dbName: 'hint-vue-1' }, capture: { autocapture: false } })
  running.push(seglet)
  const first = new Promise<Segment>((resolve) => {
    const off = seglet.onSegment((s) => (off(), resolve(s)), { immediate: false })
  })
  for (let i = 0; i < 6; i++) {
    seglet.track({ type: 'page_view', url: `/products/p${i}`, pageType: 'product' })
    seglet.track({ type: 'engagement', url: `/products/p${i}`, pageType: 'product', visibleMs: 45_000, scrollDepth: 0.8 })
  }
  await seglet.flush()
  await first
  const container = document.createElement('div')
  document.body.append(container)
  const app = createApp(ShowsHint).use(createSegletPlugin({ seglet, hint: { segmentId: 'casual-browser', intentBand: 'high' } }))
  app.mount(container)
  await seglet.forget()
  await new Promise((r) => setTimeout(r, 0))
  await nextTick()
  expect(container.textContent).toBe('no hint')
  app.unmount()
})
