// @vitest-environment node
import { describe, expect, it } from 'vitest'

describe('without a DOM (SSR, Node)', () => {
  it('imports, tracks, and start()/shopifyEvent() do nothing harmful', async () => {
    const { createCapture } = await import('./index')
    const events: unknown[] = []
    const errors: unknown[] = []
    const capture = createCapture({ enqueue: (e) => events.push(e), onError: (e) => errors.push(e) })
    expect(() => capture.start()).not.toThrow()
    capture.track({ type: 'search', query: 'x' })
    capture.shopifyEvent({ name: 'search_submitted', data: { searchResult: { query: 'y' } } })
    capture.stop()
    expect(events).toHaveLength(2)
    expect(errors).toEqual([])
  })
})
