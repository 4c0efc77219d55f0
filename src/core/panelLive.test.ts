import { afterEach, describe, expect, it } from 'vitest'
import { PANEL_TAG } from '../personalize/panel'
import type { PanelText } from '../personalize/panelText'
import { createSeglet } from './index'
import type { Seglet, SegletOptions } from './createSeglet'

let running: Seglet[] = []
let n = 0
afterEach(async () => {
  for (const seglet of running) await seglet.destroy()
  running = []
  document.body.innerHTML = ''
})

const start = (extra: Partial<SegletOptions> = {}) => {
  const seglet = createSeglet({ consent: 'granted', storage: { dbName: `panel-live-${++n}` }, capture: { autocapture: false }, ...extra })
  running.push(seglet)
  return seglet
}

const browse = async (seglet: Seglet): Promise<void> => {
  for (let i = 0; i < 6; i++) {
    seglet.track({ type: 'page_view', url: `/products/p${i}`, pageType: 'product' })
    seglet.track({ type: 'engagement', url: `/products/p${i}`, pageType: 'product', visibleMs: 45_000, scrollDepth: 0.8 })
  }
  await seglet.flush()
}

const panelText = () => document.querySelector(PANEL_TAG)?.shadowRoot?.querySelector('.segment')?.textContent ?? ''

describe('the open transparency panel follows the page', () => {
  it('shows a decision of the holdout arm, where onSegment() never fires', async () => {
    const seglet = start({ personalize: { holdout: 1 } })
    seglet.showPanel()
    await browse(seglet)
    await expect.poll(() => seglet.getSegment()?.arm, { timeout: 10_000 }).toBe('holdout')
    const segment = seglet.getSegment()!
    await expect.poll(panelText, { timeout: 10_000 }).toContain(segment.name)
    expect(panelText()).not.toContain('No segment yet')
  })

  it('lists the segment hint cookie where the shop turned it on, and no longer after forget() (the page writes none then)', async () => {
    const seglet = start({ personalize: { segmentHint: true } })
    await browse(seglet)
    await expect.poll(() => document.cookie, { timeout: 10_000 }).toContain('seglet_hint=')
    seglet.showPanel()
    const stored = () => document.querySelector(PANEL_TAG)?.shadowRoot?.querySelector('.stored')?.textContent ?? ''
    await expect.poll(stored, { timeout: 10_000 }).toContain('seglet_hint, for 30 minutes')
    await seglet.forget()
    seglet.hidePanel()
    seglet.showPanel()
    await expect.poll(stored, { timeout: 10_000 }).toContain('Only while this page is open')
    expect(stored()).not.toContain('seglet_hint')
  })

  it('with consent pending, the reports section says the earlier visits\' reports are not read', async () => {
    const seglet = start({ consent: 'pending', reports: { endpoint: '/seglet/reports' } })
    seglet.showPanel()
    const reports = () => document.querySelector(PANEL_TAG)?.shadowRoot?.querySelector('.reports')?.textContent ?? ''
    await expect.poll(reports, { timeout: 10_000 }).toContain('not read while your consent is not asked yet')
    expect(reports()).not.toContain('none sent yet')
    await seglet.setConsent('granted')
    seglet.hidePanel()
    seglet.showPanel()
    await expect.poll(reports, { timeout: 10_000 }).toContain('none sent yet')
  })

  it('does not list the segment hint cookie in the holdout arm, which gets none', async () => {
    const seglet = start({ personalize: { segmentHint: true, holdout: 1 } })
    await browse(seglet)
    await expect.poll(() => seglet.getSegment()?.arm, { timeout: 10_000 }).toBe('holdout')
    seglet.showPanel()
    const stored = () => document.querySelector(PANEL_TAG)?.shadowRoot?.querySelector('.stored')?.textContent ?? ''
    await expect.poll(stored, { timeout: 10_000 }).toContain('In this browser (IndexedDB)')
    expect(stored()).not.toContain('seglet_hint')
  })

  it('clears the segment when the page calls forget(), not only on its own button', async () => {
    const seglet = start()
    await browse(seglet)
    await expect.poll(() => seglet.getSegment(), { timeout: 10_000 }).not.toBeNull()
    seglet.showPanel()
    const segment = seglet.getSegment()!
    await expect.poll(panelText, { timeout: 10_000 }).toContain(segment.name)
    await seglet.forget()
    await expect.poll(panelText, { timeout: 10_000 }).toContain('No segment yet')
  })

  it('clears a holdout decision when the page calls forget(), though the holdout arm sets no <html> marker', async () => {
    const seglet = start({ personalize: { holdout: 1 } })
    await browse(seglet)
    await expect.poll(() => seglet.getSegment()?.arm, { timeout: 10_000 }).toBe('holdout')
    seglet.showPanel()
    await expect.poll(panelText, { timeout: 10_000 }).toContain(seglet.getSegment()!.name)
    expect(document.documentElement.hasAttribute('data-seglet-segment')).toBe(false)
    await seglet.forget()
    expect(seglet.getSegment()).toBeNull()
    await expect.poll(panelText, { timeout: 10_000 }).toContain('No segment yet')
  })

  it("shows the shop's words and language, and reports a bad key of personalize.panelText instead of throwing", async () => {
    const errors: Array<{ code: string; field?: string }> = []
    const seglet = start({
      personalize: { panelText: { lang: 'de', title: 'Warum sehe ich das?', noSegment: 'Noch kein Segment', titel: 'Warum?' } as PanelText },
      onError: (error) => errors.push(error),
    })
    seglet.showPanel()
    const dialog = () => document.querySelector(PANEL_TAG)?.shadowRoot?.querySelector('[role="dialog"]')
    await expect.poll(() => dialog()?.getAttribute('lang'), { timeout: 10_000 }).toBe('de')
    expect(dialog()!.querySelector('h2')!.textContent).toBe('Warum sehe ich das?')
    expect(panelText()).toContain('Noch kein Segment')
    expect(errors).toContainEqual(expect.objectContaining({ code: 'invalid_option', field: 'personalize.panelText.titel' }))
  })

  it("tells what is stored no more once another tab's forget() or withdrawn consent deleted it", async () => {
    const dbName = `panel-live-other-tab-${++n}`
    const seglet = start({ storage: { dbName } })
    await browse(seglet)
    await expect.poll(() => seglet.getSegment(), { timeout: 10_000 }).not.toBeNull()
    seglet.showPanel()
    const storedText = () => document.querySelector(PANEL_TAG)?.shadowRoot?.querySelector('.stored')?.textContent ?? ''
    await expect.poll(storedText, { timeout: 10_000 }).toContain('In this browser (IndexedDB)')
    // The shopper clicks "Forget me" in another tab, and comes back to this one, where the panel is still open.
    await new Promise((done) => (indexedDB.deleteDatabase(dbName).onsuccess = done))
    window.dispatchEvent(new FocusEvent('blur'))
    window.dispatchEvent(new FocusEvent('focus'))
    await expect.poll(panelText, { timeout: 10_000 }).toContain('No segment yet')
    await expect.poll(storedText, { timeout: 5_000 }).toContain('Only while this page is open')
    expect(storedText()).not.toContain('In this browser (IndexedDB)')
  })
})

describe("the panel's counted lines say what they count", () => {
  const reasons = () => [...(document.querySelector(PANEL_TAG)?.shadowRoot?.querySelectorAll('ul li') ?? [])].map((li) => li.textContent ?? '')

  it('counts a home page as a shopping page, not a product page, and names the pages a page count leaves out', async () => {
    const seglet = start()
    // Two products shown on a home page and on a page of no type (what the URL rules make of '/lookbook'):
    // no product page was viewed; the home page is one of the shopping pages, the other page is in no count.
    seglet.track({ type: 'page_view', url: '/', pageType: 'home' })
    seglet.track({ type: 'product_view', productId: 'mug', price: 12 })
    seglet.track({ type: 'engagement', url: '/', pageType: 'home', visibleMs: 30_000, scrollDepth: 0.5 })
    seglet.track({ type: 'page_view', url: '/lookbook', pageType: 'other' })
    seglet.track({ type: 'product_view', productId: 'bowl', price: 14 })
    seglet.track({ type: 'engagement', url: '/lookbook', pageType: 'other', visibleMs: 30_000, scrollDepth: 0.5 })
    await seglet.flush()
    await expect.poll(() => seglet.getSegment()?.coldStart, { timeout: 10_000 }).toBe(false)
    seglet.showPanel()
    await expect.poll(() => reasons().length, { timeout: 10_000 }).toBeGreaterThan(0)
    const lines = reasons()
    expect(lines.join(' | ')).not.toMatch(/product page/)
    expect(lines).toContain('1 shopping page viewed')
    // Two pages were viewed, but the model counts the page of no type nowhere: the words say which pages it counts.
    expect(lines).toContain('1 shopping, account or information page viewed')
    expect(lines).toContain('30 s on shopping pages')
  })
})
