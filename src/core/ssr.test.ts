// @vitest-environment node
// Where there is no page (server rendering, Node), createSeglet() is inert: it validates, and does nothing else.
import { describe, expect, it } from 'vitest'
import { OptionsError, ValidationError } from '../errors'
import type { SegletError } from '../errors'
import { createSeglet } from './index'

describe('createSeglet() without a DOM', () => {
  it('reports nothing, stores nothing, loads no model and never decides', async () => {
    expect(typeof window).toBe('undefined')
    const errors: SegletError[] = []
    const seglet = createSeglet({ consent: 'granted', segmentWithoutConsent: true, personalize: { segmentHint: true }, onError: (e) => errors.push(e) })
    const seen: unknown[] = []
    const off = seglet.onSegment((s) => seen.push(s))
    seglet.track({ type: 'page_view', url: '/products/a', pageType: 'product' })
    seglet.track({ type: 'add_to_cart', productId: 'a', quantity: 1 })
    seglet.shopifyEvent({ name: 'product_viewed', data: {} })
    seglet.showPanel()
    seglet.hidePanel()
    await seglet.flush()
    // Longer than the first decision's idle wait and a lazy import would take.
    await new Promise((r) => setTimeout(r, 300))
    expect(seglet.getSegment()).toBeNull()
    expect(seglet.explain()).toEqual([])
    expect(seen).toEqual([])
    const exported = await seglet.exportData()
    expect(exported).toMatchObject({ format: 'seglet-export', version: 1, storage: 'memory', events: [], meta: {} })
    // The test set-up provides an IndexedDB (fake-indexeddb): the inert Seglet never opens it.
    expect((await indexedDB.databases()).map((d) => d.name)).not.toContain('seglet')
    await seglet.forget()
    await seglet.destroy()
    off()
    expect(errors).toEqual([])
  })

  it('validates like the real one: options, events and consent', async () => {
    expect(() => createSeglet({ consent: 'yes' as never })).toThrow(OptionsError)
    expect(() => createSeglet(null as never)).toThrow(OptionsError)
    const seglet = createSeglet({ consent: 'pending' })
    expect(seglet.getConsent()).toBe('pending')
    expect(() => seglet.track({ type: 'purchase' } as never)).toThrow(ValidationError)
    // At the call, as in the browser: not as a rejected promise that a try/catch around it would miss.
    expect(() => seglet.setConsent('maybe' as never)).toThrow(OptionsError)
    expect(() => seglet.onSegment('not a function' as never)).toThrow(OptionsError)
    await seglet.setConsent('granted')
    expect(seglet.getConsent()).toBe('granted')
  })

  it("refuses, as the browser's does, the calls that need a running Seglet once destroyed", async () => {
    const seglet = createSeglet({ consent: 'granted' })
    await seglet.destroy()
    expect(() => seglet.track({ type: 'page_view', url: '/products/a', pageType: 'product' })).toThrow(expect.objectContaining({ name: 'SegletError', code: 'destroyed', message: 'track() after destroy()' }))
    expect(() => seglet.shopifyEvent({ name: 'product_viewed', data: {} })).toThrow(expect.objectContaining({ code: 'destroyed' }))
    await expect(seglet.exportData()).rejects.toMatchObject({ code: 'destroyed' })
    // forget() and setConsent() still answer, and the rest do nothing.
    await seglet.forget()
    await seglet.setConsent('denied')
    expect(seglet.getSegment()).toBeNull()
  })
})
