// @vitest-environment node
// Server rendering in Node with react-dom/server: the default, and nothing started.
import { createElement as h } from 'react'
import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { createSeglet } from 'seglet'
import { SegletProvider, useSegment, useSegmentHint, useSeglet } from './index'

describe('seglet/react in Node', () => {
  it('renders the default, or the hint the server read, with an inert Seglet or options', () => {
    const errors: unknown[] = []
    const seglet = createSeglet({ consent: 'granted', onError: (e) => errors.push(e) })
    const Shows = () => h('p', null, useSegment()?.id ?? 'default')
    const ShowsHint = () => h('p', null, useSegmentHint()?.intentBand ?? 'none')
    expect(renderToString(h(SegletProvider, { seglet }, h(Shows)))).toBe('<p>default</p>')
    expect(renderToString(h(SegletProvider, { options: { consent: 'granted' } }, h(Shows)))).toBe('<p>default</p>')
    const hint = { segmentId: 'casual-browser', intentBand: 'medium' } as const
    expect(renderToString(h(SegletProvider, { seglet, hint }, h(ShowsHint)))).toBe('<p>medium</p>')
    // useSeglet(): the inert Seglet given as `seglet`, `null` with `options`.
    const Probe = () => h('p', null, useSeglet() === seglet ? 'given' : String(useSeglet()))
    expect(renderToString(h(SegletProvider, { seglet }, h(Probe)))).toBe('<p>given</p>')
    expect(renderToString(h(SegletProvider, { options: { consent: 'granted' } }, h(Probe)))).toBe('<p>null</p>')
    expect(errors).toEqual([])
  })
})
