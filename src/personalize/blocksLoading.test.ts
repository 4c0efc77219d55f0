// The personalizer while the blocks' code is still loading (the script-tag build's seglet-blocks.min.js):
// decisions reach <html>, onSegment() and seglet:segment at once; the blocks follow when the code arrives,
// and anti-flicker keeps the page pending until then.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { SegletError } from '../errors'
import type { Segment } from '../segments'
import { PENDING_CLASS, SEGMENT_EVENT } from './constants'
import { createBlocks } from './createBlocks'
import { createPersonalizerWith } from './createPersonalizerWith'
import { makeSegment } from './testing/makeSegment'

const restored = (): Segment =>
  makeSegment({ id: 'deal-seeker', name: 'Deal seeker', path: ['engaged', 'deal-seeker'], pathNames: ['Engaged', 'Deal seeker'], intent: 0.2, restored: true })
const html = () => document.documentElement
const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

/** A loader of the blocks' code that the test settles, recording every step in `log`. */
function controlledLoader(log: string[]) {
  let settle!: { resolve: () => void; reject: (error: Error) => void }
  const load = vi.fn(
    () =>
      new Promise<{ createBlocks: typeof createBlocks }>((resolve, reject) => {
        settle = { resolve: () => (log.push('blocks code'), resolve({ createBlocks })), reject: (error) => (log.push('blocks code failed'), reject(error)) }
      }),
  )
  return { load, settle: () => settle }
}

let stop: (() => void) | undefined
beforeEach(() => {
  html().className = ''
  html().removeAttribute('data-seglet-segment')
  document.body.innerHTML = `
    <div id="deal" data-seglet-show="deal-seeker" hidden>deal</div>
    <div id="other" data-seglet-hide="deal-seeker">other</div>`
})
afterEach(() => {
  stop?.()
  stop = undefined
  vi.useRealTimers()
})

function start(log: string[], options = { antiFlicker: true }) {
  const errors: SegletError[] = []
  const loader = controlledLoader(log)
  const p = createPersonalizerWith(options, (e) => errors.push(e), loader.load)
  stop = () => p.stop()
  const onEvent = (event: Event) => log.push(`seglet:segment ${(event as CustomEvent<Segment>).detail.id}`)
  window.addEventListener(SEGMENT_EVENT, onEvent)
  const previous = stop
  stop = () => {
    window.removeEventListener(SEGMENT_EVENT, onEvent)
    previous()
  }
  p.start()
  p.onSegment((segment) => log.push(`onSegment ${segment.id}`), { immediate: false })
  return { p, errors, loader }
}

const deal = () => document.getElementById('deal')!
const other = () => document.getElementById('other')!

describe('a decision while the blocks\' code loads', () => {
  it('reaches <html>, onSegment() and seglet:segment at once; the blocks and the reveal follow with the code', async () => {
    const log: string[] = []
    const { p, loader } = start(log)
    // The page has blocks: their code is requested at start, before any decision.
    expect(loader.load).toHaveBeenCalledTimes(1)
    expect(html().classList.contains(PENDING_CLASS)).toBe(true)

    p.apply(restored())
    // At once, without waiting for the blocks' code.
    expect(log).toEqual(['onSegment deal-seeker', 'seglet:segment deal-seeker'])
    expect(html().getAttribute('data-seglet-segment')).toBe('deal-seeker')
    expect(html().classList.contains('seglet-deal-seeker')).toBe(true)
    expect(p.getSegment()?.id).toBe('deal-seeker')
    // The blocks still show their markup, and anti-flicker keeps them out of sight.
    expect(deal().hidden).toBe(true)
    expect(other().hidden).toBe(false)
    expect(html().classList.contains(PENDING_CLASS)).toBe(true)

    loader.settle().resolve()
    await tick()
    expect(log).toEqual(['onSegment deal-seeker', 'seglet:segment deal-seeker', 'blocks code'])
    // The blocks show the segment, and only then is the page revealed.
    expect(deal().hidden).toBe(false)
    expect(other().hidden).toBe(true)
    expect(html().classList.contains(PENDING_CLASS)).toBe(false)
  })

  it('keeps the page pending when the code arrives before any decision, and reveals it with the first one', async () => {
    const log: string[] = []
    const { p, loader } = start(log)
    loader.settle().resolve()
    await tick()
    expect(html().classList.contains(PENDING_CLASS)).toBe(true)
    expect(deal().hidden).toBe(true)

    p.apply(restored())
    expect(deal().hidden).toBe(false)
    expect(other().hidden).toBe(true)
    expect(html().classList.contains(PENDING_CLASS)).toBe(false)
    expect(log).toEqual(['blocks code', 'onSegment deal-seeker', 'seglet:segment deal-seeker'])
  })

  it('shows the latest decision in the blocks, each decision notified once as it came', async () => {
    const log: string[] = []
    const { p, loader } = start(log)
    p.apply(restored())
    p.apply({ ...restored(), id: 'window-shopper', name: 'Window shopper', path: ['casual', 'window-shopper'], pathNames: ['Casual', 'Window shopper'], restored: undefined })
    expect(html().getAttribute('data-seglet-segment')).toBe('window-shopper')
    loader.settle().resolve()
    await tick()
    expect(log).toEqual(['onSegment deal-seeker', 'seglet:segment deal-seeker', 'onSegment window-shopper', 'seglet:segment window-shopper', 'blocks code'])
    expect(deal().hidden).toBe(true)
    expect(other().hidden).toBe(false)
    expect(html().classList.contains(PENDING_CLASS)).toBe(false)
  })

  it('a cleared segment clears <html> at once', () => {
    const log: string[] = []
    const { p } = start(log)
    p.apply(restored())
    p.apply(null)
    expect(html().hasAttribute('data-seglet-segment')).toBe(false)
    expect(html().classList.contains('seglet-deal-seeker')).toBe(false)
    expect(p.getSegment()).toBe(null)
  })

  it('a failed load is reported once and reveals the page with the blocks as their markup has them', async () => {
    const log: string[] = []
    const { p, loader, errors } = start(log)
    p.apply(restored())
    loader.settle().reject(new Error('offline'))
    await tick()
    expect(errors.map((e) => e.code)).toEqual(['hook_failed'])
    expect(errors[0].message).toContain('Loading data-seglet blocks failed')
    expect(html().classList.contains(PENDING_CLASS)).toBe(false)
    expect(deal().hidden).toBe(true)
    expect(html().getAttribute('data-seglet-segment')).toBe('deal-seeker')
  })

  it('the anti-flicker timeout still reveals a page whose blocks\' code does not arrive', async () => {
    vi.useFakeTimers()
    const log: string[] = []
    const { p } = start(log, { antiFlicker: true })
    p.apply(restored())
    expect(html().classList.contains(PENDING_CLASS)).toBe(true)
    vi.advanceTimersByTime(300)
    expect(html().classList.contains(PENDING_CLASS)).toBe(false)
  })
})

describe('a page without blocks at start', () => {
  it('loads the blocks\' code for a block added later, nested or set by attribute, and not for other changes', async () => {
    for (const add of [
      (host: HTMLElement) => (host.innerHTML = '<ul><li><span data-seglet-show="deal-seeker" hidden>x</span></li></ul>'),
      (host: HTMLElement) => (host.innerHTML = '<p data-seglet-intent-above="0.5" hidden>x</p>'),
      (host: HTMLElement) => host.querySelector('p')!.setAttribute('data-seglet-hide', 'casual'),
    ]) {
      document.body.innerHTML = '<div id="host"><p>text</p></div>'
      const host = document.getElementById('host')!
      const { loader } = start([], { antiFlicker: false })
      // A ticker's text and an element without a block load nothing.
      host.querySelector('p')!.textContent = 'changed'
      host.append(document.createElement('div'))
      await tick()
      expect(loader.load).not.toHaveBeenCalled()
      add(host)
      await tick()
      expect(loader.load).toHaveBeenCalledTimes(1)
      stop?.()
      stop = undefined
    }
  })

  it('does not search the whole page on each DOM change: a ticker and appended cards cost what they add', async () => {
    document.body.innerHTML = '<div id="grid"></div><p id="ticker">0</p>' + '<div><span>filler</span></div>'.repeat(200)
    const { loader } = start([], { antiFlicker: false })
    const whole = vi.spyOn(Document.prototype, 'querySelector')
    const grid = document.getElementById('grid')!
    const ticker = document.getElementById('ticker')!
    for (let i = 0; i < 20; i++) {
      ticker.textContent = String(i)
      const card = document.createElement('article')
      card.innerHTML = '<h3>card</h3><button>Add to cart</button>'
      grid.append(card)
      await tick()
    }
    expect(whole).not.toHaveBeenCalled()
    expect(loader.load).not.toHaveBeenCalled()
    whole.mockRestore()
  })
})
