import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { SegletError } from '../errors'
import type { Segment } from '../segments'
import { createPanel, PANEL_TAG, type PanelOptions } from './panel'
import { shouldAutoShowPanel } from './shouldAutoShowPanel'
import { makeSegment } from './testing/makeSegment'

const segment: Segment = makeSegment({
  confidence: 0.72,
  intent: 0.81,
  valueSegment: { id: 'loyal', name: 'Loyal', path: ['loyal'], pathNames: ['Loyal'], confidence: 0.6 },
  repeatProbability: 0.4,
  reasons: [
    { feature: 'product_pages', value: 8, delta: 0.2, text: '8 product pages viewed' },
    { feature: 'product_seconds', value: 360, delta: 0.1, text: '6 min on product pages' },
  ],
})

// jsdom's Blob has no text(); FileReader it is.
const readBlob = (blob: Blob) =>
  new Promise<string>((resolve) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result))
    reader.readAsText(blob)
  })
const flush = () => new Promise((resolve) => setTimeout(resolve, 0))
const root = () => document.querySelector(PANEL_TAG)?.shadowRoot ?? null
const text = () => root()?.textContent ?? ''
const button = (label: string) =>
  [...root()!.querySelectorAll('button')].find((b) => b.textContent === label || b.getAttribute('aria-label') === label)!

let panels: Array<{ destroy(): void }> = []
function make(overrides: Partial<PanelOptions> = {}) {
  let current: Segment | null = segment
  const listeners = new Set<(s: Segment | null) => void>()
  const errors: SegletError[] = []
  const options: PanelOptions = {
    getSegment: () => current,
    getStoredSummary: vi.fn(async () => ({ events: 42, oldest: Date.UTC(2024, 0, 2), mode: 'indexeddb' as const, consent: 'granted' })),
    forget: vi.fn(async () => {
      current = null
    }),
    exportData: vi.fn(async () => ({ events: [{ type: 'page_view' }] })),
    onSegment: (cb) => {
      listeners.add(cb)
      return () => listeners.delete(cb)
    },
    onError: (e) => errors.push(e),
    ...overrides,
  }
  const panel = createPanel(options)
  panels.push(panel)
  const setSegment = (s: Segment | null) => {
    current = s
    listeners.forEach((cb) => cb(s))
  }
  return { panel, options, errors, setSegment, listeners }
}

beforeEach(() => {
  document.body.innerHTML = '<button id="opener">Why?</button>'
})
afterEach(() => {
  panels.forEach((p) => p.destroy())
  panels = []
  vi.restoreAllMocks()
})

describe('createPanel', () => {
  it('builds nothing before show()', () => {
    make()
    expect(document.querySelector(PANEL_TAG)).toBeNull()
  })

  it('renders the segment, path, numbers, explanation, storage and buttons in a shadow root', async () => {
    const { panel } = make()
    panel.show()
    await flush()
    const dialog = root()!.querySelector('[role="dialog"]')!
    expect(dialog.getAttribute('aria-label')).toBe('Why am I seeing this?')
    expect(root()!.querySelector('h2')!.textContent).toBe('Why am I seeing this?')
    for (const part of [
      'High-intent browser',
      'Engaged › High-intent browser',
      'How sure72%',
      'Chance you buy in this visit81% (high)',
      'From your past ordersLoyal',
      'Chance you order again within 90 days40%',
      '8 product pages viewed',
      '6 min on product pages',
      'Events42',
      'In this browser (IndexedDB)',
      'Your consentgiven',
    ]) {
      expect(text()).toContain(part)
    }
    for (const label of ['Forget me', 'Export my data', 'Close']) {
      const b = button(label)
      expect(b.tagName).toBe('BUTTON')
      expect(b.getAttribute('type')).toBe('button')
    }
    // Styles live inside the shadow root, never on the page or in style attributes.
    expect(root()!.querySelector('style') ?? (root() as unknown as { adoptedStyleSheets?: unknown[] }).adoptedStyleSheets?.length).toBeTruthy()
    expect(root()!.querySelector('[style]')).toBeNull()
    expect(document.head.querySelector('style')).toBeNull()
    expect(root()!.activeElement).toBe(dialog)
  })

  it('speaks to the shopper: no zero or absent feature, no page statistics, no training-data figures', () => {
    const { panel } = make({
      getSegment: () => ({
        ...segment,
        description: '33% of sessions; median 25 product pages (13.6 min), 3 account and 0 informational pages; 20% buy',
        reasons: [
          { feature: 'administrative_seconds', value: 0, delta: -0.9, text: 'no time on account pages' },
          { feature: 'page_value', value: 12.5, delta: 0.8, text: 'average page value 12.5' },
          { feature: 'bounce_rate', value: 0.02, delta: 0.5, text: 'pages with a 2% bounce rate' },
          { feature: 'month_sin', value: 0.5, delta: 0.3, text: 'the time of year' },
          { feature: 'month_cos', value: -0.8, delta: 0.2, text: 'the time of year' },
          { feature: 'product_pages', value: 8, delta: 0.2, text: '8 product pages viewed' },
          { feature: 'informational_pages', value: Number.NaN, delta: 0.1, text: 'information pages: unknown' },
        ],
      }),
    })
    panel.show()
    const items = [...root()!.querySelectorAll('.reasons li')].map((li) => li.textContent)
    expect(items).toEqual(['the time of year', '8 product pages viewed'])
    for (const gone of ['account pages', 'page value', 'bounce rate', 'of sessions', 'median', '% buy']) expect(text()).not.toContain(gone)
  })

  it('never shows a shopper in checkout a low chance of buying without the reason', async () => {
    const funnel = { cartReached: true, checkoutReached: true, productsAdded: 2, cartValue: 39.9, inIntent: false }
    const checkout: Segment = { ...segment, name: 'Brief browser', intent: 0.04, intentThreshold: 0.49, funnel }
    const shown = make({ getSegment: () => checkout })
    shown.panel.show()
    await flush()
    expect(text()).toContain('In this visitreached checkout · 39.9 put in the cart')
    expect(text()).toContain("Chance you buy in this visit4%, estimated from your browsing only: this shop's model has not yet learned from visits that reach checkout")
    expect(text()).not.toContain('not high')
    expect(text().toLowerCase()).not.toContain('low intent')
  })

  it('shows data as text, never as HTML', async () => {
    const { panel } = make({ getSegment: () => ({ ...segment, name: '<img src=x onerror=alert(1)>' }) })
    panel.show()
    expect(root()!.querySelector('img')).toBeNull()
    expect(text()).toContain('<img src=x onerror=alert(1)>')
  })

  it('uses explain() when given, and explains a cold start and no segment', async () => {
    const { panel, setSegment } = make({ explain: () => [{ feature: 'returning', value: 1, delta: 0.1, text: 'returning visitor' }] })
    panel.show()
    expect(text()).toContain('returning visitor')
    expect(text()).not.toContain('8 product pages viewed')
    setSegment({ ...segment, coldStart: true, id: 'new-visitor', name: 'New visitor', path: ['new-visitor'], pathNames: ['New visitor'] })
    expect(text()).toContain('Your visit has only just begun')
    setSegment(null)
    expect(text()).toContain('No segment yet')
  })

  it('updates live when the segment changes, and stops listening when hidden', () => {
    const { panel, setSegment, listeners } = make()
    panel.show()
    setSegment({ ...segment, id: 'deal-seeker', name: 'Deal seeker', path: ['engaged', 'deal-seeker'], pathNames: ['Engaged', 'Deal seeker'], reasons: [] })
    expect(text()).toContain('Deal seeker')
    expect(text()).toContain('Nothing you did yet.')
    panel.hide()
    expect(listeners.size).toBe(0)
    expect(document.querySelector(PANEL_TAG)).toBeNull()
  })

  it('Forget me calls forget(), confirms, and refreshes', async () => {
    const { panel, options } = make()
    panel.show()
    await flush()
    button('Forget me').click()
    expect(button('Forget me').getAttribute('aria-disabled')).toBe('true')
    await flush()
    expect(options.forget).toHaveBeenCalledTimes(1)
    expect(root()!.querySelector('[role="status"]')!.textContent).toContain('has been deleted')
    expect(text()).toContain('No segment yet')
    expect(options.getStoredSummary).toHaveBeenCalledTimes(2)
    expect(button('Forget me').hasAttribute('aria-disabled')).toBe(false)
  })

  it('Export my data downloads JSON through a Blob URL and <a download>', async () => {
    const created: Blob[] = []
    const createObjectURL = vi.fn((blob: Blob) => {
      created.push(blob)
      return 'blob:seglet-test'
    })
    const revoke = vi.fn()
    Object.assign(URL, { createObjectURL, revokeObjectURL: revoke })
    const clicked: HTMLAnchorElement[] = []
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this)
    })
    const { panel, options } = make()
    panel.show()
    button('Export my data').click()
    await flush()
    expect(options.exportData).toHaveBeenCalledTimes(1)
    expect(clicked).toHaveLength(1)
    expect(clicked[0].download).toBe('seglet-data.json')
    expect(clicked[0].getAttribute('href')).toBe('blob:seglet-test')
    expect(clicked[0].isConnected).toBe(false)
    expect(created[0].type).toBe('application/json')
    expect(JSON.parse(await readBlob(created[0]))).toEqual({ events: [{ type: 'page_view' }] })
    expect(root()!.querySelector('[role="status"]')!.textContent).toContain('seglet-data.json')
    delete (URL as { createObjectURL?: unknown }).createObjectURL
    delete (URL as { revokeObjectURL?: unknown }).revokeObjectURL
  })

  it('reports failing buttons as hook_failed and says so', async () => {
    const { panel, errors } = make({ forget: async () => Promise.reject(new Error('db gone')) })
    panel.show()
    button('Forget me').click()
    await flush()
    expect(errors.map((e) => e.code)).toEqual(['hook_failed'])
    expect(root()!.querySelector('[role="status"]')!.textContent).toContain('could not be deleted')
  })

  it('closes on Escape and on the close button, giving focus back', () => {
    const opener = document.getElementById('opener') as HTMLButtonElement
    opener.focus()
    const { panel } = make()
    panel.show()
    expect(panel.isOpen()).toBe(true)
    root()!.querySelector('[role="dialog"]')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
    expect(panel.isOpen()).toBe(false)
    expect(document.querySelector(PANEL_TAG)).toBeNull()
    expect(document.activeElement).toBe(opener)

    panel.show()
    button('Close').dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }))
    expect(panel.isOpen()).toBe(true)
    button('Close').click()
    expect(panel.isOpen()).toBe(false)
  })

  it('destroy() removes the panel and show() can build it again', () => {
    const { panel } = make()
    panel.show()
    panel.destroy()
    expect(document.querySelector(PANEL_TAG)).toBeNull()
    panel.show()
    expect(document.querySelectorAll(PANEL_TAG)).toHaveLength(1)
  })
})

describe('shouldAutoShowPanel', () => {
  it.each([
    ['?seglet=debug', true],
    ['?a=1&seglet=debug', true],
    ['?seglet=off', false],
    ['', false],
    // Percent-encoded name or value: the same parameter.
    ['?%73eglet=debug', true],
    ['?seglet=%64ebug', true],
    ['?segletx=debug', false],
    ['?q=%20&x=debug', false],
  ])('%s → %s', (search, expected) => {
    expect(shouldAutoShowPanel(search)).toBe(expected)
  })
})
