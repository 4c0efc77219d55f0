import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { SegletError } from '../errors'
import type { Segment } from '../segments'
import { createPanel, PANEL_TAG, type PanelOptions } from './panel'
import { checkPanelText, type PanelText } from './panelText'
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
    expect(root()!.getElementById(dialog.getAttribute('aria-labelledby')!)!.textContent).toBe('Why am I seeing this?')
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

  it('with consent pending, says that what earlier visits stored is not read, not that nothing is stored', async () => {
    // A returning shopper whose consent manager starts pending: IndexedDB keeps the earlier visits' events, unread.
    const { panel } = make({ getStoredSummary: async () => ({ events: 0, mode: 'memory' as const, consent: 'pending' }) })
    panel.show()
    await vi.waitFor(() => expect(text()).toContain('Your consentnot asked yet'))
    expect(text()).toContain('Your consentnot asked yet: nothing new is kept after this page, and what earlier visits stored is not read')
    expect(text()).toContain('Only while this page is open')
  })

  it('tells of the segment hint cookie when the device holds it, and only then; its footer does not say that nothing leaves the device', async () => {
    const { panel } = make({ getStoredSummary: async () => ({ events: 3, mode: 'indexeddb' as const, consent: 'granted', segmentHint: true }) })
    panel.show()
    await vi.waitFor(() => expect(text()).toContain('Cookieseglet_hint, for 30 minutes: your segment and a rough band of your chance to buy, sent to this shop'))
    expect(text()).toContain('only what this panel lists is sent to the shop')
    expect(text()).not.toContain('stays on this device')
    panel.destroy()
    const without = make({ getStoredSummary: async () => ({ events: 3, mode: 'indexeddb' as const, consent: 'granted' }) })
    without.panel.show()
    await vi.waitFor(() => expect(text()).toContain('In this browser (IndexedDB)'))
    expect(text()).not.toContain('seglet_hint')
  })

  it('with consent pending, says the reports of earlier visits are not read, not that none was sent', async () => {
    const { panel } = make({ getReportSummary: async () => ({ epsilonPerDay: 2, spentToday: 0, unread: true }) })
    panel.show()
    const reports = () => root()!.querySelector('.reports')?.textContent ?? ''
    await vi.waitFor(() => expect(reports()).toContain('Last reportnot read while your consent is not asked yet'))
    expect(reports()).not.toContain('none sent yet')
    expect(reports()).not.toContain('spent today')
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

  it('gives no chance of buying for the default of a first page, whose intent is not measured yet', () => {
    const { panel, setSegment } = make()
    panel.show()
    // The core's default (createColdStartSegment): intent 0 stands for "not measured", not for a 0% chance.
    setSegment(makeSegment({ id: 'new-visitor', name: 'New visitor', path: ['new-visitor'], pathNames: ['New visitor'], confidence: 0, intent: 0, intentThreshold: 1, coldStart: true }))
    expect(text()).toContain('Your visit has only just begun')
    expect(text()).not.toContain('Chance you buy in this visit')
    // A cold start the model decided (model loading 'eager') has a measured intent: it is shown.
    const funnel = { cartReached: false, checkoutReached: false, productsAdded: 0, cartValue: 0, inIntent: false }
    setSegment(makeSegment({ id: 'new-visitor', name: 'New visitor', path: ['new-visitor'], pathNames: ['New visitor'], confidence: 0, intent: 0.12, coldStart: true, funnel }))
    expect(text()).toContain('Chance you buy in this visit12% (not high)')
  })

  it('says a restored segment rests on what the shopper did before this page, not on nothing, until this page explains it', () => {
    // The stored segment of an earlier page carries no explanation (it is not stored), and explain() has none
    // before this page decides: for as long as its session pack is refused, say.
    const { panel, setSegment } = make({ explain: () => [] })
    panel.show()
    setSegment(makeSegment({ restored: true, reasons: [] }))
    expect(text()).toContain('What you did before this page: it was decided on an earlier one.')
    expect(text()).not.toContain('Nothing you did yet.')
    // This page's decision, with nothing to name, is "nothing yet" as before.
    setSegment(makeSegment({ reasons: [] }))
    expect(text()).toContain('Nothing you did yet.')
  })

  it("labels a restored segment's funnel facts and chance as an earlier page's, not this visit's, until this page decides", () => {
    // The stored segment may be of an earlier visit: its cart and its chance are not this visit's.
    const funnel = { cartReached: true, checkoutReached: false, productsAdded: 1, cartValue: 20, inIntent: true }
    const { panel, setSegment } = make({ explain: () => [] })
    panel.show()
    setSegment(makeSegment({ restored: true, intent: 0.64, funnel }))
    expect(text()).toContain('On an earlier pagereached the cart · 20 put in the cart')
    expect(text()).toContain('Chance you buy, as estimated on an earlier page64% (high)')
    expect(text()).not.toContain('In this visit')
    expect(text()).not.toContain('Chance you buy in this visit')
    // This page's decision is this visit's.
    setSegment(makeSegment({ intent: 0.64, funnel }))
    expect(text()).toContain('In this visitreached the cart · 20 put in the cart')
    expect(text()).toContain('Chance you buy in this visit64% (high)')
    expect(text()).not.toContain('earlier page')
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

  it('opens again without the words of an earlier action in its status line', async () => {
    const { panel } = make({ forget: async () => Promise.reject(new Error('db gone')) })
    panel.show()
    button('Forget me').click()
    await flush()
    const status = () => root()!.querySelector('[role="status"]')!
    expect(status().textContent).toContain('could not be deleted')
    panel.hide()
    panel.show()
    await flush()
    expect(status().textContent).toBe('')
    expect(status().classList.contains('error')).toBe(false)
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

  it('closes on Escape pressed on the page, leaving the focus there, unless the page used that Escape itself', () => {
    document.body.innerHTML = '<button id="opener">Why?</button><a href="/book" id="book">Book</a><input id="search">'
    const opener = document.getElementById('opener') as HTMLButtonElement
    const book = document.getElementById('book') as HTMLAnchorElement
    opener.focus()
    const { panel } = make()
    panel.show()
    // The keyboard left the panel for a link of the page, which the panel may cover.
    book.focus()
    book.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }))
    expect(panel.isOpen()).toBe(false)
    expect(document.querySelector(PANEL_TAG)).toBeNull()
    expect(document.activeElement).toBe(book)

    // The page's search box closes its suggestions with that Escape: the panel stays.
    const search = document.getElementById('search') as HTMLInputElement
    search.addEventListener('keydown', (event) => event.key === 'Escape' && event.preventDefault())
    panel.show()
    search.focus()
    search.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }))
    expect(panel.isOpen()).toBe(true)
    search.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }))
    expect(panel.isOpen()).toBe(true)
  })

  it('leaves the focus where the shopper moved it when the page hides the panel', () => {
    document.body.insertAdjacentHTML('beforeend', '<input id="search">')
    const opener = document.getElementById('opener') as HTMLButtonElement
    opener.focus()
    const { panel } = make()
    panel.show()
    const search = document.getElementById('search') as HTMLInputElement
    search.focus()
    // The shop closes the panel on a click outside it, or on a route change.
    panel.hide()
    expect(document.activeElement).toBe(search)
  })

  it('tells of a report whose send failed as prepared but not delivered, never as sent', async () => {
    const last = { sentDay: '2024-03-05', sessionDay: '2024-03-04', epsilon: 2, held: 'the session segment' }
    const { panel } = make({ getReportSummary: async () => ({ epsilonPerDay: 2, spentToday: 2, last: { ...last, delivery: 'failed' as const } }) })
    panel.show()
    await flush()
    const reports = root()!.querySelector('.reports')!.textContent!
    const [prepared, visit] = ['2024-03-05', '2024-03-04'].map((day) => new Date(`${day}T12:00:00Z`).toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }))
    expect(reports).toContain(`Last reportprepared on ${prepared}, about a visit on ${visit}, but it could not be delivered; no other report is sent that day`)
    expect(reports).not.toContain('sent on')
    expect(reports).toContain('ε 2 of 2 spent today')
    panel.destroy()
    const german = make({ text: GERMAN, getReportSummary: async () => ({ epsilonPerDay: 2, spentToday: 2, last: { ...last, delivery: 'failed' as const } }) })
    german.panel.show()
    await flush()
    expect(root()!.querySelector('.reports')!.textContent).toContain('Letzter Berichtvorbereitet am 5. März 2024, über einen Besuch am 4. März 2024, aber nicht zugestellt')
  })

  it.each([
    ['sending', 'being sent (DAY), about a visit on VISIT'],
    ['unanswered', 'sent on DAY, about a visit on VISIT, but no answer came back, so its delivery is not confirmed; no other report is sent that day'],
  ] as const)('tells of a report whose send is %s as not (yet) delivered', async (delivery, words) => {
    const last = { sentDay: '2024-03-05', sessionDay: '2024-03-04', epsilon: 2, held: 'the session segment', delivery }
    const { panel } = make({ getReportSummary: async () => ({ epsilonPerDay: 2, spentToday: 2, last }) })
    panel.show()
    await flush()
    const [day, visit] = ['2024-03-05', '2024-03-04'].map((d) => new Date(`${d}T12:00:00Z`).toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }))
    expect(root()!.querySelector('.reports')!.textContent).toContain('Last report' + words.replace('DAY', day).replace('VISIT', visit))
    panel.destroy()
  })

  it('shows the newest report summary when an older, slower read ends after it', async () => {
    const reads: Array<(summary: { epsilonPerDay: number; spentToday: number }) => void> = []
    const { panel } = make({ getReportSummary: () => new Promise((resolve) => reads.push(resolve)) })
    panel.show()
    panel.refresh()
    await flush()
    expect(reads).toHaveLength(2)
    reads[1]!({ epsilonPerDay: 2, spentToday: 1 })
    await flush()
    reads[0]!({ epsilonPerDay: 2, spentToday: 0 })
    await flush()
    expect(root()!.querySelector('.reports')!.textContent).toContain('ε 1 of 2 spent today')
  })

  it('gives the focus to the next control the shopper can see when the page hid the opener meanwhile', () => {
    document.body.innerHTML = '<a href="/top">Top</a><div class="block"><button id="opener">Why?</button><a href="/in-block">x</a></div><button id="hidden-next" hidden>y</button><button id="next">Next</button>'
    const opener = document.getElementById('opener') as HTMLButtonElement
    opener.focus()
    const { panel } = make()
    panel.show()
    // A block of another segment: the segment changed (or Forget me emptied it) while the panel was open.
    document.querySelector('.block')!.setAttribute('hidden', '')
    panel.hide()
    expect(document.activeElement).toBe(document.getElementById('next'))

    document.getElementById('next')!.setAttribute('hidden', '')
    document.querySelector('.block')!.removeAttribute('hidden')
    opener.focus()
    panel.show()
    document.querySelector('.block')!.setAttribute('hidden', '')
    panel.hide()
    expect(document.activeElement!.getAttribute('href')).toBe('/top')
  })

  it('gives the focus to a control near the opener when the page removed the opener meanwhile', () => {
    document.body.innerHTML = '<a href="/top">Top</a><header><a href="/">Logo</a><span id="slot"><button id="opener">Why?</button></span></header><main><a href="/book">Book</a></main>'
    const opener = document.getElementById('opener') as HTMLButtonElement
    opener.focus()
    const { panel } = make()
    panel.show()
    // The app rendered its header again without the button (a personalised part, after Forget me).
    document.getElementById('slot')!.remove()
    panel.hide()
    expect(document.activeElement!.getAttribute('href')).toBe('/')

    const book = document.querySelector('main a') as HTMLAnchorElement
    book.focus()
    panel.show()
    document.querySelector('main')!.remove()
    panel.hide()
    expect(document.activeElement!.getAttribute('href')).toBe('/top')
  })

  it("gives the focus back to an opener inside the shop's own web component (a shadow root)", () => {
    const header = document.createElement('shop-header')
    const inner = header.attachShadow({ mode: 'open' })
    inner.innerHTML = '<button id="why">Why?</button>'
    document.body.prepend(header)
    const opener = inner.getElementById('why') as HTMLButtonElement
    opener.focus()
    expect(document.activeElement).toBe(header)
    const { panel } = make()
    panel.show()
    root()!.querySelector('[role="dialog"]')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
    expect(document.activeElement).toBe(header)
    expect(inner.activeElement).toBe(opener)

    // The component hidden meanwhile: the next control after it on the page.
    opener.focus()
    panel.show()
    opener.setAttribute('hidden', '')
    panel.hide()
    expect(document.activeElement).toBe(document.getElementById('opener'))
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

/** Every word of the panel in German, for a panel with no English left in it. */
const GERMAN: Required<PanelText> = {
  lang: 'de',
  title: 'Warum sehe ich das?',
  close: 'Schließen',
  noSegment: 'Noch kein Segment',
  noSegmentNote: 'Dieser Shop hat nichts an Ihren Besuch angepasst.',
  coldStart: 'Ihr Besuch hat gerade erst begonnen.',
  howSure: 'Wie sicher',
  inThisVisit: 'In diesem Besuch',
  chanceToBuy: 'Kaufwahrscheinlichkeit in diesem Besuch',
  onEarlierPage: 'Auf einer früheren Seite',
  chanceToBuyEarlier: 'Kaufwahrscheinlichkeit, auf einer früheren Seite geschätzt',
  fromPastOrders: 'Aus Ihren Bestellungen',
  chanceToOrderAgain: 'Wahrscheinlichkeit einer neuen Bestellung in 90 Tagen',
  holdout: 'Dieser Browser ist in der Vergleichsgruppe.',
  funnelCart: 'im Warenkorb',
  funnelCheckout: 'an der Kasse',
  funnelCartValue: '{stage} · {value} im Warenkorb',
  intentHigh: '{percent} (hoch)',
  intentNotHigh: '{percent} (nicht hoch)',
  intentCart: '{percent}, nur aus Ihrem Stöbern geschätzt',
  intentCheckout: '{percent}, nur aus Ihrem Stöbern geschätzt',
  segmentNames: { engaged: 'Interessiert', 'high-intent-browser': 'Kaufbereit', loyal: 'Treu' },
  reason: ({ feature, value }) => (feature === 'product_pages' ? `${value} Einkaufsseiten angesehen` : `${feature}: ${value}`),
  basedOn: 'Worauf das beruht',
  nothingYet: 'Noch nichts, was Sie getan haben.',
  decidedEarlier: 'Was Sie vor dieser Seite getan haben: auf einer früheren entschieden.',
  stored: 'Auf diesem Gerät gespeichert',
  loading: 'Wird geladen…',
  events: 'Ereignisse',
  since: 'Seit',
  storage: 'Speicher',
  storageIndexedDb: 'In diesem Browser (IndexedDB)',
  storageMemory: 'Nur solange die Seite offen ist',
  consent: 'Ihre Einwilligung',
  consentGranted: 'erteilt',
  consentPending: 'noch nicht gefragt',
  consentDenied: 'verweigert',
  reportsUnread: 'nicht gelesen, solange Sie nicht gefragt wurden',
  cookie: 'Cookie',
  segmentHintCookie: 'seglet_hint, 30 Minuten: Ihr Segment und grob Ihre Kaufwahrscheinlichkeit, mit den Seiten an den Shop gesendet',
  couldNotBeRead: 'Konnte nicht gelesen werden.',
  reports: 'Private Berichte an diesen Shop',
  reportsIntro: 'Höchstens einmal am Tag sendet dieser Browser einen kleinen, verrauschten Bericht.',
  lastReport: 'Letzter Bericht',
  lastReportSent: ({ sent, visit }) => `gesendet am ${sent}, über einen Besuch am ${visit}`,
  lastReportFailed: 'vorbereitet am {prepared}, über einen Besuch am {visit}, aber nicht zugestellt',
  lastReportSending: 'wird gesendet ({sent}), über einen Besuch am {visit}',
  lastReportUnanswered: 'gesendet am {sent}, über einen Besuch am {visit}, aber ohne Antwort: nicht sicher zugestellt',
  reportHeld: 'Er enthielt',
  reportHeldValue: '{held}, verrauscht',
  noReportYet: 'noch keiner',
  privacyBudget: 'Privatsphäre-Budget',
  privacyBudgetValue: 'ε {spent} von {perDay} heute verbraucht',
  forget: 'Vergiss mich',
  exportData: 'Meine Daten exportieren',
  deleting: 'Wird gelöscht…',
  preparing: 'Ihre Daten werden vorbereitet…',
  deleted: 'Erledigt. Alles ist gelöscht.',
  deleteFailed: 'Ihre Daten konnten nicht gelöscht werden.',
  downloaded: ({ fileName }) => `Ihre Daten wurden als ${fileName} heruntergeladen.`,
  exportFailed: 'Ihre Daten konnten nicht exportiert werden.',
  note: 'Seglet arbeitet in Ihrem Browser.',
}

describe("the panel in the shop's language", () => {
  const dialog = () => root()!.querySelector('[role="dialog"]')!
  const reportSummary = async () => ({ epsilonPerDay: 2, spentToday: 0.5, last: { sentDay: '2024-03-05', sessionDay: '2024-03-04', epsilon: 0.5, held: 'whether the visit ended in a purchase', delivery: 'sent' as const } })

  it('shows every word in German, with its numbers and dates, and is marked lang="de" with no English left', async () => {
    const { panel } = make({ text: GERMAN, getReportSummary: reportSummary })
    panel.show()
    await flush()
    expect(dialog().getAttribute('lang')).toBe('de')
    expect(root()!.getElementById(dialog().getAttribute('aria-labelledby')!)!.textContent).toBe('Warum sehe ich das?')
    expect(root()!.querySelector('h2')!.textContent).toBe('Warum sehe ich das?')
    for (const part of [
      'Kaufbereit',
      'Interessiert › Kaufbereit',
      // Numbers as German writes them: a space before %, a decimal comma.
      'Wie sicher72\u00a0%',
      'Kaufwahrscheinlichkeit in diesem Besuch81\u00a0% (hoch)',
      'Aus Ihren BestellungenTreu',
      'Wahrscheinlichkeit einer neuen Bestellung in 90 Tagen40\u00a0%',
      'Worauf das beruht',
      '8 Einkaufsseiten angesehen',
      'Ereignisse42',
      `Seit${new Date(Date.UTC(2024, 0, 2)).toLocaleDateString('de')}`,
      'SpeicherIn diesem Browser (IndexedDB)',
      'Ihre Einwilligungerteilt',
      'Letzter Berichtgesendet am 5. März 2024, über einen Besuch am 4. März 2024',
      'Er enthieltwhether the visit ended in a purchase, verrauscht',
      'Privatsphäre-Budgetε 0,5 von 2 heute verbraucht',
      'Seglet arbeitet in Ihrem Browser.',
    ]) {
      expect(text()).toContain(part)
    }
    for (const english of ['How sure', 'Chance you buy', 'Stored on this device', 'Private reports', 'Forget me', 'High-intent browser', 'randomised']) {
      expect(text()).not.toContain(english)
    }
    expect(button('Vergiss mich').tagName).toBe('BUTTON')
    expect(button('Meine Daten exportieren').tagName).toBe('BUTTON')
    expect(button('Schließen').tagName).toBe('BUTTON')
    // Only what the report held is English (it names the report's question), and is marked so.
    expect([...root()!.querySelectorAll('[lang="en"]')].map((e) => e.textContent)).toEqual(['whether the visit ended in a purchase'])

    Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:seglet-test'), revokeObjectURL: vi.fn() })
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {})
    button('Meine Daten exportieren').click()
    await vi.waitFor(() => expect(root()!.querySelector('.status')!.textContent).toBe('Ihre Daten wurden als seglet-data.json heruntergeladen.'))
    button('Vergiss mich').click()
    await vi.waitFor(() => expect(root()!.querySelector('.status')!.textContent).toBe('Erledigt. Alles ist gelöscht.'))
    expect(text()).toContain('Noch kein Segment')
  })

  it("marks what a report held, which is English, lang=\"en\" inside the shop's words of a German panel", async () => {
    const { panel } = make({ text: { lang: 'de', reportHeldValue: '{held}, verrauscht', lastReportSent: ({ sent }) => `gesendet am ${sent}` }, getReportSummary: reportSummary })
    panel.show()
    await flush()
    const held = [...root()!.querySelectorAll('.reports dd')][1]!
    expect(held.textContent).toBe('whether the visit ended in a purchase, verrauscht')
    expect([...held.querySelectorAll('[lang="en"]')].map((e) => e.textContent)).toEqual(['whether the visit ended in a purchase'])
  })

  it('falls back to English for a missing key, and marks those words lang="en" inside a German panel', async () => {
    const { panel } = make({ text: { lang: 'de', title: 'Warum sehe ich das?', forget: 'Vergiss mich' } })
    panel.show()
    await flush()
    expect(dialog().getAttribute('lang')).toBe('de')
    expect(button('Vergiss mich').querySelector('[lang="en"]')).toBeNull()
    const exportButton = button('Export my data')
    expect(exportButton.querySelector('[lang="en"]')!.textContent).toBe('Export my data')
    expect(button('Close').getAttribute('lang')).toBe('en')
    expect(text()).toContain('Chance you buy in this visit81\u00a0% (high)')
    expect(root()!.querySelector('dd [lang="en"]')!.textContent).toBe('81\u00a0% (high)')
    expect([...root()!.querySelectorAll('li')].map((li) => li.getAttribute('lang'))).toEqual(['en', 'en'])
  })

  it("words a restored segment's labels in German, and in English marked lang=\"en\" when the shop's words lack them", async () => {
    const restored = makeSegment({ restored: true, intent: 0.64, funnel: { cartReached: true, checkoutReached: false, productsAdded: 1, cartValue: 20, inIntent: true } })
    const labels = () => [...root()!.querySelectorAll('.segment dt')].map((dt) => [dt.textContent, dt.querySelector('[lang="en"]') !== null])
    make({ text: GERMAN, getSegment: () => restored }).panel.show()
    expect(labels()).toEqual([['Wie sicher', false], ['Auf einer früheren Seite', false], ['Kaufwahrscheinlichkeit, auf einer früheren Seite geschätzt', false]])
    panels.forEach((p) => p.destroy())
    // A translation made before these words existed: its own words for this visit are not taken for an earlier one.
    const older: PanelText = { ...GERMAN }
    delete older.onEarlierPage
    delete older.chanceToBuyEarlier
    make({ text: older, getSegment: () => restored }).panel.show()
    expect(labels()).toEqual([['Wie sicher', false], ['On an earlier page', true], ['Chance you buy, as estimated on an earlier page', true]])
  })

  it("names a German panel without the shop's title by its English title, marked English", async () => {
    const { panel } = make({ text: { lang: 'de', forget: 'Vergiss mich' } })
    panel.show()
    await flush()
    // The dialog is German (lang="de"): an aria-label on it would be read as German words.
    expect(dialog().getAttribute('aria-label')).toBeNull()
    const name = root()!.getElementById(dialog().getAttribute('aria-labelledby') ?? '')!
    expect(name.textContent).toBe('Why am I seeing this?')
    expect(name.querySelector('[lang="en"]')!.textContent).toBe('Why am I seeing this?')
  })

  it('stays English and lang="en" without words of the shop, and with English ones', async () => {
    make().panel.show()
    await flush()
    expect(dialog().getAttribute('lang')).toBe('en')
    expect(root()!.querySelector('span[lang="en"]')).toBeNull()
    panels.forEach((p) => p.destroy())
    make({ text: { lang: 'en-GB', title: 'Why this?' } }).panel.show()
    await flush()
    expect(dialog().getAttribute('lang')).toBe('en-GB')
    expect(root()!.querySelector('h2')!.textContent).toBe('Why this?')
    expect(root()!.querySelector('[lang="en"]')).toBeNull()
  })

  it("fills the funnel and intent templates with numbers written in the panel's language, and shows English when a template function fails", async () => {
    const checkout = makeSegment({ intent: 0.03, intentThreshold: 0.49, funnel: { cartReached: true, checkoutReached: true, cartValue: 59.9, productsAdded: 2, inIntent: false } })
    const { panel } = make({
      getSegment: () => checkout,
      text: { lang: 'de', funnelCartValue: () => { throw new Error('oops') }, intentCheckout: ({ percent }) => `${percent}, nur geschätzt` },
    })
    panel.show()
    await flush()
    expect(text()).toContain('3\u00a0%, nur geschätzt')
    expect(text()).toContain('reached checkout · 59,9 put in the cart')
    const values = [...root()!.querySelectorAll('dd')].map((dd) => [dd.textContent, dd.querySelector('[lang="en"]') !== null])
    expect(values).toContainEqual(['reached checkout · 59,9 put in the cart', true])
    expect(values).toContainEqual(['3\u00a0%, nur geschätzt', false])
  })

  it('leaves a placeholder that names no value as written, even one an object has by default ({constructor}, {__proto__})', async () => {
    const { panel } = make({ text: { lang: 'de', intentHigh: '{percent} (hoch) {constructor} {toString} {__proto__} {x}' } })
    panel.show()
    await flush()
    expect(text()).toContain('81\u00a0% (hoch) {constructor} {toString} {__proto__} {x}')
    expect(text()).not.toMatch(/function|\[object Object\]/)
  })

  it("writes the number of stored events in the panel's language", async () => {
    const { panel } = make({ text: { lang: 'de', events: 'Ereignisse' }, getStoredSummary: async () => ({ events: 12345, mode: 'indexeddb', consent: 'granted' }) })
    panel.show()
    await flush()
    expect(text()).toContain('Ereignisse12.345')
  })

  it("writes an English panel's numbers alike with lang 'en' and without panelText", async () => {
    const cart = makeSegment({ funnel: { cartReached: true, checkoutReached: false, cartValue: 1234.5, productsAdded: 2, inIntent: true } })
    const shown = async (text?: PanelText) => {
      panels.forEach((p) => p.destroy())
      make({ text, getSegment: () => cart, getStoredSummary: async () => ({ events: 12345, mode: 'indexeddb', consent: 'granted' }) }).panel.show()
      await flush()
      return [...root()!.querySelectorAll('dd')].map((dd) => dd.textContent)
    }
    const plain = await shown()
    expect(plain).toContain('reached the cart · 1234.5 put in the cart')
    expect(await shown({ lang: 'en' })).toEqual(plain)
    expect(await shown({ lang: 'en-GB' })).toEqual(plain)
  })

  it('writes right to left in a right-to-left language, and English left to right on a right-to-left page', async () => {
    document.documentElement.dir = 'rtl'
    try {
      const english = make()
      english.panel.show()
      expect(dialog().getAttribute('dir')).toBe('ltr')
      english.panel.destroy()
      for (const lang of ['ar', 'he-IL', 'fa', 'ur', 'ku-Arab']) {
        const { panel } = make({ text: { lang, title: 'عنوان' } })
        panel.show()
        expect(dialog().getAttribute('dir'), lang).toBe('rtl')
        panel.destroy()
      }
      const german = make({ text: { lang: 'de' } })
      german.panel.show()
      expect(dialog().getAttribute('dir')).toBe('ltr')
    } finally {
      document.documentElement.removeAttribute('dir')
    }
  })

  it('writes English words left to right inside a right-to-left panel', async () => {
    const { panel } = make({ text: { lang: 'ar', reportHeldValue: '{held}، عشوائيًا' }, getReportSummary: reportSummary })
    panel.show()
    await flush()
    const english = [...root()!.querySelectorAll('[lang="en"]')].filter((e) => e.textContent)
    expect(english.map((e) => e.textContent)).toEqual(expect.arrayContaining(['Why am I seeing this?', '8 product pages viewed', 'whether the visit ended in a purchase']))
    expect(english.filter((e) => e.getAttribute('dir') !== 'ltr').map((e) => e.textContent)).toEqual([])
    panel.destroy()
    const german = make({ text: { lang: 'de' } })
    german.panel.show()
    expect([...root()!.querySelectorAll('[lang="en"][dir]')]).toEqual([])
  })

  it("takes a shop's locale written with an underscore (de_DE) as its language tag (de-DE)", async () => {
    expect(checkPanelText({ lang: 'de_DE' }, 'personalize.panelText')).toEqual({ lang: 'de-DE' })
    const { panel } = make({ text: { lang: 'de_DE', title: 'Warum sehe ich das?' } })
    panel.show()
    await flush()
    expect(dialog().getAttribute('lang')).toBe('de-DE')
    expect(text()).toContain('72\u00a0%')
  })

  it.each([
    [{ titel: 'Warum?' }, "unknown option 'text.titel' — did you mean 'text.title'?"],
    [{ forget: 3 }, 'text.forget must be text of 1–2048 characters; got 3'],
    [{ title: '' }, 'text.title must be text'],
    [{ close: () => 'x' }, 'text.close must be text of 1–2048 characters; got'],
    [{ lang: 'deutsch!' }, "text.lang must be a language tag ('de', 'fr-CH')"],
    [{ lang: 'de', segmentNames: { engaged: 1 } }, 'text.segmentNames must be an object of segment ids to names'],
    [{ reason: 'x' }, 'text.reason must be a function'],
    ['de', 'text must be an object'],
  ])('refuses %j with an OptionsError (invalid_option)', (input, message) => {
    let error: unknown
    try {
      createPanel({ getSegment: () => null, getStoredSummary: async () => ({ events: 0, mode: 'memory', consent: 'pending' }), forget: async () => {}, exportData: async () => ({}), text: input as PanelText })
    } catch (e) {
      error = e
    }
    expect((error as SegletError).code).toBe('invalid_option')
    expect((error as SegletError).message).toContain(message)
  })

  it('checkPanelText() leaves out and reports each bad key of the option, keeping the good ones', () => {
    const errors: SegletError[] = []
    const checked = checkPanelText({ lang: 'fr', titre: 'Pourquoi ?', title: 'Pourquoi je vois ceci ?', forget: 42 }, 'personalize.panelText', (e) => errors.push(e))
    expect(checked).toEqual({ lang: 'fr', title: 'Pourquoi je vois ceci ?' })
    expect(errors.map((e) => [e.code, e.field])).toEqual([
      ['invalid_option', 'personalize.panelText.titre'],
      ['invalid_option', 'personalize.panelText.forget'],
    ])
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
