// Autocapture against a shop's unusual inputs: a frozen RegExp among the page-type rules, a rule that throws
// (never out of the observer's own listeners), a GA4 product list pushed while a navigation settles, and a
// history whose pushState cannot be replaced.
import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import type { SegletError } from '../errors/index'
import type { StoredEvent } from '../events/types'
import { createCapture, NAVIGATION_SETTLE_MS, type CaptureOptions } from './index'

const win = window as unknown as Record<string, unknown>
let events: StoredEvent[]
let errors: SegletError[]
let stops: Array<() => void>

function setup(options: CaptureOptions = {}) {
  const capture = createCapture({ enqueue: (e) => events.push(e), onError: (e) => errors.push(e), options })
  stops.push(() => capture.stop())
  return capture
}

beforeEach(() => {
  events = []
  errors = []
  stops = []
  history.replaceState(null, '', '/')
  document.head.innerHTML = ''
  document.body.innerHTML = ''
  delete win.dataLayer
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' })
})
afterEach(() => {
  for (const stop of stops) stop()
  vi.useRealTimers()
})

it('a frozen RegExp in pageTypePatterns does not lose the page view', () => {
  history.replaceState(null, '', '/p/mug')
  setup({ pageTypePatterns: [[Object.freeze(/^\/p\//), 'product']] })
    .start()
  expect(errors.map((e) => e.message)).toEqual([])
  expect(events.filter((e) => e.type === 'page_view').map((e) => (e as { pageType?: string }).pageType)).toEqual(['product'])
})

it('a view_item_list pushed during the settle time does not make the home page a category page', () => {
  vi.useFakeTimers()
  history.replaceState(null, '', '/products/mug')
  setup().start()
  document.head.innerHTML = '<meta name="seglet:page-key" content="home">'
  history.pushState(null, '', '/')
  ;(win.dataLayer as unknown[]).push({ event: 'view_item_list', ecommerce: { items: [{ item_id: 'a', price: 1 }] } })
  vi.advanceTimersByTime(NAVIGATION_SETTLE_MS + 1)
  const views = events.filter((e) => e.type === 'page_view' && e.url === '/')
  expect(views).toHaveLength(1)
  expect(views[0]).toMatchObject({ pageType: 'home', pageKey: 'home' })
})

it('a throwing pageTypePatterns function never throws out of the pagehide listener', () => {
  const thrown: unknown[] = []
  const onWindowError = (e: ErrorEvent) => thrown.push(e.error)
  window.addEventListener('error', onWindowError)
  try {
    const boom = (url: string) => {
      if (url.startsWith('/boom')) throw new Error('shop rule failed')
      return false
    }
    vi.useFakeTimers()
    const capture = setup({ pageTypePatterns: [[boom, 'product']] })
    capture.start()
    history.pushState(null, '', '/boom')
    vi.advanceTimersByTime(NAVIGATION_SETTLE_MS / 2)
    // The page is left within the settle time; the store also calls this before its hide-time write.
    window.dispatchEvent(new Event('pagehide'))
    expect(thrown).toEqual([])
    expect(() => capture.engagement(true)).not.toThrow()
  } finally {
    window.removeEventListener('error', onWindowError)
  }
})

it('without autocapture page views, a view_item_list still gives the page view of a category page', async () => {
  history.replaceState(null, '', '/lists/summer')
  win.dataLayer = [{ event: 'view_item_list', ecommerce: { items: [{ item_id: 'a', price: 1 }] } }]
  setup({ pageViews: false }).start()
  await vi.waitFor(() => expect(events.filter((e) => e.type === 'page_view')).toHaveLength(1))
  expect(events[0]).toMatchObject({ type: 'page_view', url: '/lists/summer', pageType: 'category' })
})

it('a history whose pushState cannot be replaced still gets the GA4 dataLayer bridge', async () => {
  const own = Object.getOwnPropertyDescriptor(history, 'pushState')
  Object.defineProperty(history, 'pushState', { value: History.prototype.pushState, writable: false, configurable: true })
  try {
    win.dataLayer = [{ event: 'search', search_term: 'mugs' }]
    setup().start()
    await new Promise((resolve) => setTimeout(resolve, 0))
    // The failure to watch history may be reported; the GA4 bridge must run anyway.
    expect(events.filter((e) => e.type === 'search')).toHaveLength(1)
  } finally {
    if (own) Object.defineProperty(history, 'pushState', own)
    else delete (history as unknown as Record<string, unknown>).pushState
  }
})
