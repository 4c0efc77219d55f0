// useSegmentHint(): the server's hint stands in until Seglet decides on this page, and not after forget() or in the holdout.
import { act, createElement as h } from 'react'
import type { ReactNode } from 'react'
import { createRoot } from 'react-dom/client'
import { afterEach, beforeAll, expect, it } from 'vitest'
import { createSeglet } from 'seglet'
import type { Seglet, Segment } from 'seglet'
import { SegletProvider, useSegmentHint } from './index'

beforeAll(() => {
  ;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true
})
let running: Seglet[] = []
afterEach(async () => {
  for (const s of running) await s.destroy()
  running = []
  document.body.innerHTML = ''
})

function ShowsHint(): ReactNode {
  const hint = useSegmentHint()
  return h('p', null, hint ? `${hint.segmentId} ${hint.intentBand}` : 'no hint')
}

it('useSegmentHint() is null after forget(), even when the server passed a hint', async () => {
  const seglet = createSeglet({ consent: 'granted', storage: { dbName: 'hint-react-1' }, capture: { autocapture: false } })
  running.push(seglet)
  const first = new Promise<Segment>((resolve) => {
    const off = seglet.onSegment((s) => (off(), resolve(s)), { immediate: false })
  })
  for (let i = 0; i < 6; i++) {
    seglet.track({ type: 'page_view', url: `/products/p${i}`, pageType: 'product' })
    seglet.track({ type: 'engagement', url: `/products/p${i}`, pageType: 'product', visibleMs: 45_000, scrollDepth: 0.8 })
  }
  await seglet.flush()
  const segment = await first
  const container = document.createElement('div')
  document.body.append(container)
  const root = createRoot(container)
  // The hint the server read from the cookie on this request.
  const hint = { segmentId: 'casual-browser', intentBand: 'high' } as const
  await act(async () => root.render(h(SegletProvider, { seglet, hint }, h(ShowsHint))))
  expect(container.textContent).toMatch(new RegExp(`^${segment.id} `))
  await act(async () => {
    await seglet.forget()
    await new Promise((r) => setTimeout(r, 0))
  })
  expect(seglet.getSegment()).toBeNull()
  expect(container.textContent).toBe('no hint')
  await act(async () => root.unmount())
})

it('useSegmentHint() is null in the holdout arm, even when the server passed a hint', async () => {
  const seglet = createSeglet({ consent: 'granted', storage: { dbName: 'hint-react-2' }, capture: { autocapture: false }, personalize: { holdout: 1 } })
  running.push(seglet)
  for (let i = 0; i < 6; i++) {
    seglet.track({ type: 'page_view', url: `/products/p${i}`, pageType: 'product' })
    seglet.track({ type: 'engagement', url: `/products/p${i}`, pageType: 'product', visibleMs: 45_000, scrollDepth: 0.8 })
  }
  await seglet.flush()
  const { vi } = await import('vitest')
  await vi.waitFor(() => expect(seglet.getSegment()?.arm).toBe('holdout'), { timeout: 10_000 })
  const container = document.createElement('div')
  document.body.append(container)
  const root = createRoot(container)
  await act(async () => root.render(h(SegletProvider, { seglet, hint: { segmentId: 'casual-browser', intentBand: 'high' } }, h(ShowsHint))))
  expect(container.textContent).toBe('no hint')
  await act(async () => root.unmount())
})
