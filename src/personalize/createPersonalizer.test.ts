import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { SegletError } from '../errors'
import type { Segment } from '../segments'
import { DEFAULT_ANTI_FLICKER_TIMEOUT_MS, SEGMENT_EVENT } from './constants'
import { createPersonalizer } from './createPersonalizer'
import { makeSegment } from './testing/makeSegment'

const segment = makeSegment
const dealSeeker = () => segment({ id: 'deal-seeker', name: 'Deal seeker', path: ['engaged', 'deal-seeker'], pathNames: ['Engaged', 'Deal seeker'], intent: 0.2 })
const windowShopper = () => segment({ id: 'window-shopper', name: 'Window shopper', path: ['casual', 'window-shopper'], pathNames: ['Casual', 'Window shopper'], intent: 0.1 })
const tick = () => new Promise((resolve) => setTimeout(resolve, 0))
const html = () => document.documentElement

let stops: Array<() => void> = []
function make(options = {}) {
  const errors: SegletError[] = []
  const p = createPersonalizer(options, (e) => errors.push(e))
  stops.push(() => p.stop())
  return { p, errors }
}

beforeEach(() => {
  document.body.innerHTML = ''
  html().className = 'page-own js'
  html().setAttribute('lang', 'en')
})
afterEach(() => {
  stops.forEach((stop) => stop())
  stops = []
  vi.useRealTimers()
})

describe('<html> attributes and classes', () => {
  it('marks the segment, its ancestors, high intent and the value segment', () => {
    const { p } = make()
    p.start()
    p.apply(segment({ valueSegment: { id: 'loyal', name: 'Loyal', path: ['repeat', 'loyal'], pathNames: ['Repeat', 'Loyal'], confidence: 0.6 } }))
    expect(html().getAttribute('data-seglet-segment')).toBe('high-intent-browser')
    expect(html().getAttribute('data-seglet-value-segment')).toBe('loyal')
    expect([...html().classList].sort()).toEqual(
      ['js', 'page-own', 'seglet-engaged', 'seglet-high-intent-browser', 'seglet-intent-high', 'seglet-value-loyal', 'seglet-value-repeat'].sort(),
    )
  })

  it('replaces the old classes on change, keeps the page’s own, and cleans up on null and stop()', () => {
    const { p } = make()
    html().classList.add('seglet-casual') // the page's own class that happens to look like ours
    p.start()
    p.apply(segment())
    p.apply(windowShopper())
    expect([...html().classList].sort()).toEqual(['js', 'page-own', 'seglet-casual', 'seglet-window-shopper'])
    expect(html().getAttribute('data-seglet-segment')).toBe('window-shopper')
    expect(html().hasAttribute('data-seglet-value-segment')).toBe(false)
    p.apply(null)
    expect([...html().classList].sort()).toEqual(['js', 'page-own', 'seglet-casual'])
    expect(html().hasAttribute('data-seglet-segment')).toBe(false)
    p.apply(segment())
    p.stop()
    expect([...html().classList].sort()).toEqual(['js', 'page-own', 'seglet-casual'])
    expect(html().getAttribute('lang')).toBe('en')
  })

  it('does nothing to the DOM before start(), then applies the known segment', () => {
    const { p } = make()
    p.apply(segment())
    expect(html().hasAttribute('data-seglet-segment')).toBe(false)
    p.start()
    expect(html().getAttribute('data-seglet-segment')).toBe('high-intent-browser')
  })

  it('turns a corrupt id into a safe class token instead of throwing', () => {
    const { p, errors } = make()
    p.start()
    p.apply(segment({ id: 'Bad Id', path: ['Bad Id'] }))
    expect(html().classList.contains('seglet-bad-id')).toBe(true)
    expect(errors).toEqual([])
  })

  it('puts its classes back on the next decision after the page rewrote <html class> (an SPA route change)', () => {
    const { p } = make()
    p.start()
    p.apply(segment({ intent: 0.2 }))
    html().className = 'route-cart'
    p.apply(segment({ intent: 0.9 }))
    expect(html().getAttribute('data-seglet-segment')).toBe('high-intent-browser')
    expect([...html().classList].sort()).toEqual(['route-cart', 'seglet-engaged', 'seglet-high-intent-browser', 'seglet-intent-high'])
  })
})

describe('declarative blocks', () => {
  it('applies show, hide and intent rules, matching ancestors too', () => {
    document.body.innerHTML = `
      <div id="hib" data-seglet-show="high-intent-browser deal-seeker"></div>
      <div id="engaged" data-seglet-show="engaged"></div>
      <div id="casual" data-seglet-show="casual"></div>
      <div id="no-deal" data-seglet-hide="deal-seeker"></div>
      <div id="above" data-seglet-intent-above="0.7"></div>
      <div id="below" data-seglet-intent-below="0.3"></div>
      <div id="both" data-seglet-show="engaged" data-seglet-intent-above="0.7"></div>
      <div id="loyal" data-seglet-show="loyal"></div>
      <div id="bad" data-seglet-intent-above="lots"></div>`
    const { p } = make()
    p.start()
    const hidden = () => [...document.querySelectorAll('div')].filter((d) => d.hidden).map((d) => d.id)
    // Before the first decision, blocks for some segments only are hidden.
    expect(hidden()).toEqual(['hib', 'engaged', 'casual', 'above', 'below', 'both', 'loyal'])
    p.apply(segment({ intent: 0.8 }))
    expect(hidden()).toEqual(['casual', 'below', 'loyal'])
    p.apply(dealSeeker())
    expect(hidden()).toEqual(['casual', 'no-deal', 'above', 'both', 'loyal'])
    p.apply(windowShopper())
    expect(hidden()).toEqual(['hib', 'engaged', 'above', 'both', 'loyal'])
    p.apply(segment({ valueSegment: { id: 'loyal', name: 'Loyal', path: ['loyal'], pathNames: ['Loyal'], confidence: 1 } }))
    expect(hidden()).not.toContain('loyal')
  })

  it('reveals a block that starts hidden once it matches, and gives the original state back at stop', () => {
    document.body.innerHTML = `
      <p id="a" hidden data-seglet-hide="deal-seeker"></p>
      <p id="b" data-seglet-hide="deal-seeker"></p>
      <p id="c" hidden data-seglet-show="engaged"></p>
      <p id="d" hidden data-seglet-intent-above="0.7"></p>
      <p id="e" hidden></p>`
    const { p } = make()
    p.start()
    const state = () => ['a', 'b', 'c', 'd', 'e'].map((id) => document.getElementById(id)!.hidden)
    // Before the first decision: show and intent blocks stay hidden, hide-only blocks are shown.
    expect(state()).toEqual([false, false, true, true, true])
    p.apply(dealSeeker())
    expect(state()).toEqual([true, true, false, true, true])
    p.apply(segment({ intent: 0.8 }))
    // `hidden` in the markup only waits for the decision; an element without Seglet attributes is left alone.
    expect(state()).toEqual([false, false, false, false, true])
    p.apply(segment({ intent: 0.2 }))
    expect(state()).toEqual([false, false, false, true, true])
    p.stop()
    expect(state()).toEqual([true, false, true, true, true])
  })

  it('gives a block its original state back when it loses its attributes', async () => {
    document.body.innerHTML = `<p id="a" hidden data-seglet-show="engaged"></p>`
    const { p } = make()
    p.start()
    p.apply(segment())
    const a = document.getElementById('a')!
    expect(a.hidden).toBe(false)
    a.removeAttribute('data-seglet-show')
    await tick()
    expect(a.hidden).toBe(true)
  })

  it('handles blocks added after load, changed attributes and removed blocks', async () => {
    const { p } = make()
    p.start()
    p.apply(dealSeeker())
    const wrapper = document.createElement('section')
    wrapper.innerHTML = `<div id="x" data-seglet-show="high-intent-browser"></div><div id="y" data-seglet-show="deal-seeker"></div>`
    document.body.append(wrapper)
    const late = document.createElement('div')
    late.setAttribute('data-seglet-hide', 'engaged')
    document.body.append(late)
    await tick()
    expect(document.getElementById('x')!.hidden).toBe(true)
    expect(document.getElementById('y')!.hidden).toBe(false)
    expect(late.hidden).toBe(true)

    // Changing the rule re-evaluates the block.
    document.getElementById('x')!.setAttribute('data-seglet-show', 'engaged')
    late.removeAttribute('data-seglet-hide')
    await tick()
    expect(document.getElementById('x')!.hidden).toBe(false)
    expect(late.hidden).toBe(false)

    // A removed block gets its state back (it may be re-inserted by a framework).
    const y = document.getElementById('y')!
    y.setAttribute('data-seglet-show', 'casual')
    await tick()
    expect(y.hidden).toBe(true)
    y.remove()
    await tick()
    expect(y.hidden).toBe(false)
  })

  it('does not touch blocks when blocks: false', () => {
    document.body.innerHTML = `<div id="z" data-seglet-show="casual"></div>`
    const { p } = make({ blocks: false })
    p.start()
    p.apply(segment())
    expect(document.getElementById('z')!.hidden).toBe(false)
  })
})

describe('onSegment and seglet:segment', () => {
  it('dispatches a CustomEvent on window for each notable change', () => {
    const { p } = make()
    const seen: unknown[] = []
    const listener = (e: Event) => seen.push((e as CustomEvent).detail)
    window.addEventListener(SEGMENT_EVENT, listener)
    const first = segment()
    p.apply(first)
    p.apply(segment({ intent: 0.85, confidence: 0.9 })) // small intent change: not notable
    const second = dealSeeker()
    p.apply(second)
    const third = dealSeeker()
    third.intent = 0.6 // crosses the threshold
    p.apply(third)
    p.apply(null)
    window.removeEventListener(SEGMENT_EVENT, listener)
    expect(seen).toEqual([first, second, third])
  })

  it('calls subscribers, immediately by default, and unsubscribes', () => {
    const { p } = make()
    const a: string[] = []
    const b: string[] = []
    p.apply(segment())
    const offA = p.onSegment((s) => a.push(s.id))
    const offB = p.onSegment((s) => b.push(s.id), { immediate: false })
    p.apply(dealSeeker())
    offA()
    offA()
    p.apply(windowShopper())
    offB()
    p.apply(segment())
    expect(a).toEqual(['high-intent-browser', 'deal-seeker'])
    expect(b).toEqual(['deal-seeker', 'window-shopper'])
    expect(p.getSegment()!.id).toBe('high-intent-browser')
  })

  it('does not call a subscriber that an earlier one unsubscribed during the same segment change', () => {
    const { p } = make()
    const seen: string[] = []
    let offSecond = () => {}
    p.onSegment((s) => {
      seen.push(`first ${s.id}`)
      offSecond()
    })
    offSecond = p.onSegment((s) => seen.push(`second ${s.id}`))
    p.apply(dealSeeker())
    p.apply(windowShopper())
    expect(seen).toEqual(['first deal-seeker', 'first window-shopper'])
  })

  it('calls a subscriber added during a segment change from the next change on', () => {
    const { p } = make()
    const seen: string[] = []
    let added = false
    p.onSegment(() => {
      if (added) return
      added = true
      p.onSegment((s) => seen.push(`late ${s.id}`), { immediate: false })
    })
    p.apply(dealSeeker())
    p.apply(windowShopper())
    expect(seen).toEqual(['late window-shopper'])
  })

  it('takes null options as none: subscribed and called at once', () => {
    const { p } = make()
    const seen: string[] = []
    p.apply(segment())
    const off = p.onSegment((s) => seen.push(s.id), null as unknown as undefined)
    p.apply(dealSeeker())
    off()
    p.apply(windowShopper())
    expect(seen).toEqual(['high-intent-browser', 'deal-seeker'])
  })

  it('isolates a throwing callback and reports hook_failed', () => {
    const { p, errors } = make()
    const got: string[] = []
    p.onSegment(() => {
      throw new Error('boom')
    })
    p.onSegment((s) => got.push(s.id))
    expect(() => p.apply(segment())).not.toThrow()
    expect(got).toEqual(['high-intent-browser'])
    expect(errors).toHaveLength(1)
    expect(errors[0].code).toBe('hook_failed')
    expect(errors[0].message).toContain('boom')
  })

  it('survives an onError that throws', () => {
    const p = createPersonalizer({}, () => {
      throw new Error('reporter down')
    })
    p.onSegment(() => {
      throw new Error('boom')
    })
    expect(() => p.apply(segment())).not.toThrow()
  })
})

describe('anti-flicker', () => {
  it('adds seglet-pending at start and removes it at the first decision', () => {
    vi.useFakeTimers()
    const { p } = make({ antiFlicker: true })
    p.start()
    expect(html().classList.contains('seglet-pending')).toBe(true)
    p.apply(segment())
    expect(html().classList.contains('seglet-pending')).toBe(false)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('removes seglet-pending after the timeout without a decision', () => {
    vi.useFakeTimers()
    const { p } = make({ antiFlicker: true })
    p.start()
    vi.advanceTimersByTime(DEFAULT_ANTI_FLICKER_TIMEOUT_MS - 1)
    expect(html().classList.contains('seglet-pending')).toBe(true)
    vi.advanceTimersByTime(1)
    expect(html().classList.contains('seglet-pending')).toBe(false)
  })

  it('honours antiFlickerTimeoutMs, is off by default and skipped when a segment is known', () => {
    vi.useFakeTimers()
    const custom = make({ antiFlicker: true, antiFlickerTimeoutMs: 50 }).p
    custom.start()
    vi.advanceTimersByTime(50)
    expect(html().classList.contains('seglet-pending')).toBe(false)
    custom.stop()

    make().p.start()
    expect(html().classList.contains('seglet-pending')).toBe(false)

    const known = make({ antiFlicker: true }).p
    known.apply(segment())
    known.start()
    expect(html().classList.contains('seglet-pending')).toBe(false)
  })
})

describe('blocks in removed subtrees', () => {
  it('gives back its hidden state to a block removed with its container, one by one or all at once', async () => {
    const { p } = make()
    p.start()
    p.apply(dealSeeker())
    const list = document.createElement('ul')
    list.innerHTML = '<li><span id="a" data-seglet-show="casual"></span></li><li><b><span id="b" data-seglet-show="casual"></span></b></li>'
    const keep = document.createElement('div')
    keep.innerHTML = '<span id="c" data-seglet-show="casual"></span>'
    document.body.append(list, keep)
    await tick()
    const [a, b, c] = ['a', 'b', 'c'].map((id) => document.getElementById(id)!)
    expect([a.hidden, b.hidden, c.hidden]).toEqual([true, true, true])
    // A framework's commit: rows removed one by one, text replaced (no element removed).
    while (list.firstChild) list.removeChild(list.firstChild)
    keep.append('text')
    await tick()
    expect([a.hidden, b.hidden, c.hidden]).toEqual([false, false, true])
    // Moved, not removed: still managed.
    document.body.append(c)
    await tick()
    expect(c.hidden).toBe(true)
  })

  it('checks the blocks it manages once per batch of changes, not once per removed node, and not for text', async () => {
    const { p } = make()
    p.start()
    p.apply(dealSeeker())
    const blocks = document.createElement('div')
    blocks.innerHTML = '<span data-seglet-show="casual"></span>'.repeat(40)
    const rows = document.createElement('ul')
    rows.innerHTML = '<li>row</li>'.repeat(50)
    document.body.append(blocks, rows)
    await tick()
    const connected = Object.getOwnPropertyDescriptor(Node.prototype, 'isConnected')!
    let reads = 0
    Object.defineProperty(Node.prototype, 'isConnected', { configurable: true, get(this: Node) { reads++; return connected.get!.call(this) } })
    try {
      // A framework's commit: 50 rows removed one by one (50 records), then a ticker's text.
      while (rows.firstChild) rows.removeChild(rows.firstChild)
      await tick()
      expect(reads).toBeLessThanOrEqual(40)
      reads = 0
      for (let i = 0; i < 10; i++) {
        blocks.firstElementChild!.textContent = String(i)
        await tick()
      }
      expect(reads).toBe(0)
    } finally {
      Object.defineProperty(Node.prototype, 'isConnected', connected)
    }
  })

  it('leaves the blocks alone for a decision that moves neither the ids nor the intent, and checks only intent rules when only the intent moved', async () => {
    const { p } = make()
    document.body.innerHTML =
      '<span id="show" data-seglet-show="engaged"></span><span id="hide" data-seglet-hide="casual"></span>' +
      '<span id="above" data-seglet-intent-above="0.3"></span><span id="below" data-seglet-intent-below="0.15"></span>'
    p.start()
    p.apply(dealSeeker())
    const [show, hide, above, below] = ['show', 'hide', 'above', 'below'].map((id) => document.getElementById(id)!)
    expect([show.hidden, hide.hidden, above.hidden, below.hidden]).toEqual([false, false, true, true])
    const queries: string[] = []
    const query = vi.spyOn(document, 'querySelectorAll').mockImplementation(function (this: Document, selector: string) {
      queries.push(selector)
      return Document.prototype.querySelectorAll.call(this, selector)
    } as typeof document.querySelectorAll)
    try {
      // A cart event's funnel facts: the same segment again.
      p.apply({ ...dealSeeker(), funnel: { cartReached: true, checkoutReached: false, productsAdded: 1, cartValue: 20 } } as Segment)
      expect(queries).toEqual([])
      // Only the intent moved: the intent rules follow it, the others are not looked at.
      p.apply({ ...dealSeeker(), intent: 0.5 })
      expect(queries).toHaveLength(1)
      expect(document.querySelectorAll(queries[0])).toHaveLength(2)
      expect([show.hidden, hide.hidden, above.hidden, below.hidden]).toEqual([false, false, false, true])
      p.apply({ ...dealSeeker(), intent: 0.1 })
      expect([show.hidden, hide.hidden, above.hidden, below.hidden]).toEqual([false, false, true, false])
      // New ids: every block again.
      p.apply(windowShopper())
      expect([show.hidden, hide.hidden, above.hidden, below.hidden]).toEqual([true, true, true, false])
      // Blocks added or changed between decisions are evaluated by the observer for the segment of the moment.
      const late = document.createElement('span')
      late.setAttribute('data-seglet-show', 'casual')
      late.hidden = true
      document.body.append(late)
      await tick()
      expect(late.hidden).toBe(false)
      show.setAttribute('data-seglet-show', 'casual')
      await tick()
      expect(show.hidden).toBe(false)
      queries.length = 0
      p.apply(windowShopper())
      expect(queries).toEqual([])
      expect([show.hidden, hide.hidden, late.hidden]).toEqual([false, true, false])
      // The holdout arm (no segment shown) is a change of ids: every block goes back to its rules for no segment.
      p.apply({ ...windowShopper(), arm: 'holdout' } as Segment)
      expect([show.hidden, hide.hidden, above.hidden, below.hidden, late.hidden]).toEqual([true, false, true, true, true])
    } finally {
      query.mockRestore()
    }
  })

  it('parses a rule text once for the many blocks that repeat it, and follows a block whose rule changes', async () => {
    const { p } = make()
    document.body.innerHTML = '<div class="card"><span data-seglet-show="engaged, repeat"></span></div>'.repeat(100)
    p.start()
    const split = vi.spyOn(String.prototype, 'split')
    try {
      p.apply(dealSeeker())
      const cards = document.createElement('div')
      cards.innerHTML = '<div class="card"><span data-seglet-show="engaged, repeat"></span></div>'.repeat(100)
      document.body.append(cards)
      await tick()
      expect(split.mock.calls.filter(([separator]) => separator instanceof RegExp && separator.source === '[\\s,]+').length).toBeLessThanOrEqual(1)
    } finally {
      split.mockRestore()
    }
    expect([...document.querySelectorAll<HTMLElement>('[data-seglet-show]')].every((block) => !block.hidden)).toBe(true)
    const first = document.querySelector<HTMLElement>('[data-seglet-show]')!
    first.setAttribute('data-seglet-show', 'casual')
    await tick()
    expect(first.hidden).toBe(true)
    // A page that writes a different rule on every block still gets each one right.
    const many = document.createElement('div')
    many.innerHTML = Array.from({ length: 600 }, (_, i) => `<span data-seglet-show="s${i} ${i % 2 ? 'engaged' : 'casual'}"></span>`).join('')
    document.body.append(many)
    await tick()
    expect([...many.children].map((block) => (block as HTMLElement).hidden)).toEqual(Array.from({ length: 600 }, (_, i) => i % 2 === 0))
  })
})
