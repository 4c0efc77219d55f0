// The transparency panel for shoppers who use a keyboard, a screen reader or a dark colour scheme, in Chromium:
// what the European Accessibility Act asks of a shop's pages (WCAG 2.1 AA).
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { contrast } from './contrast'
import { useHarness, waitForSegment } from './helpers'

/** Opens the demo shop's home page and the panel from its "Why am I seeing this?" button, by keyboard. */
async function openPanelByKeyboard(page: Page, base: string, before?: () => Promise<unknown>): Promise<void> {
  await page.goto(base + '/')
  await waitForSegment(page)
  await before?.()
  await page.locator('[data-demo-action="panel"]').first().focus()
  await page.keyboard.press('Enter')
  await page.waitForFunction(() => document.querySelector('seglet-panel')?.shadowRoot?.activeElement?.getAttribute('role') === 'dialog')
}

/** The focused element inside the panel's shadow root, if any. */
const focusedInPanel = (page: Page) =>
  page.evaluate(() => {
    const inner = document.querySelector('seglet-panel')?.shadowRoot?.activeElement
    if (!inner || document.activeElement?.tagName !== 'SEGLET-PANEL') return undefined
    const style = getComputedStyle(inner)
    return { text: inner.getAttribute('aria-label') ?? inner.textContent, outline: `${style.outlineStyle} ${style.outlineWidth}`, outlineColor: style.outlineColor }
  })

describe('the transparency panel, by keyboard and screen reader', () => {
  const h = useHarness()

  it('opens with focus in it, moves through its buttons with a visible focus, lets the keyboard out, closes with Escape and gives focus back', async () => {
    const page = await h.newPage()
    await openPanelByKeyboard(page, h.baseUrl)
    const cdp = await page.context().newCDPSession(page)
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: Array<{ role?: { value: string }; name?: { value: string }; ignored: boolean }> }
    const named = nodes.filter((n) => !n.ignored).map((n) => `${n.role?.value} ${n.name?.value ?? ''}`)
    expect(named).toContain('dialog Why am I seeing this?')
    expect(named).toEqual(expect.arrayContaining(['heading Why am I seeing this?', 'button Close', 'button Forget me', 'button Export my data']))

    const seen = []
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Tab')
      const focused = await focusedInPanel(page)
      expect(focused?.outline).toBe('solid 2px')
      seen.push(focused?.text)
    }
    expect(seen).toEqual(['Close', 'Forget me', 'Export my data'])
    // Not a trap: the next Tab leaves the panel for the page.
    await page.keyboard.press('Tab')
    expect(await focusedInPanel(page)).toBeUndefined()
    await page.keyboard.press('Shift+Tab')
    expect((await focusedInPanel(page))?.text).toBe('Export my data')
    await page.keyboard.press('Escape')
    expect(await page.locator('seglet-panel').count()).toBe(0)
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Why am I seeing this?')
  })

  it('gives the focus to a control the shopper can see when the page hid the opener while the panel was open', async () => {
    const page = await h.newPage()
    await openPanelByKeyboard(page, h.baseUrl)
    // The opener sat in a block the page hid meanwhile (a block of another segment, after Forget me).
    await page.evaluate(() => document.querySelector('[data-demo-action="panel"]')!.parentElement!.setAttribute('hidden', ''))
    await page.keyboard.press('Escape')
    expect(await page.locator('seglet-panel').count()).toBe(0)
    const focused = await page.evaluate(() => {
      const active = document.activeElement as HTMLElement
      return { tag: active.tagName, visible: active.checkVisibility(), width: active.getBoundingClientRect().width }
    })
    expect(focused.tag).not.toBe('BODY')
    expect(focused.visible).toBe(true)
    expect(focused.width).toBeGreaterThan(0)
  })

  it("is read in English on a shop whose page is in another language", async () => {
    const page = await h.newPage()
    await openPanelByKeyboard(page, h.baseUrl, () => page.evaluate(() => (document.documentElement.lang = 'de')))
    const lang = await page.evaluate(() => {
      const dialog = document.querySelector('seglet-panel')!.shadowRoot!.querySelector('[role="dialog"]')!
      return { en: dialog.matches(':lang(en)'), de: dialog.matches(':lang(de)') }
    })
    expect(lang).toEqual({ en: true, de: false })
  })

  it('shows its section headings as written, not in capitals a screen reader may spell out letter by letter', async () => {
    const page = await h.newPage()
    await openPanelByKeyboard(page, h.baseUrl)
    const headings = await page.evaluate(() =>
      Array.from(document.querySelector('seglet-panel')!.shadowRoot!.querySelectorAll('h3'), (h) => ({ text: h.textContent, transform: getComputedStyle(h).textTransform })),
    )
    expect(headings.length).toBeGreaterThan(1)
    for (const heading of headings) expect(heading, heading.text ?? '').toMatchObject({ transform: 'none' })
  })

  it('gives the focus to a control the shopper can see when the page removed the opener while the panel was open', async () => {
    const page = await h.newPage()
    await openPanelByKeyboard(page, h.baseUrl)
    // The app rendered that part of the page again without the button.
    await page.evaluate(() => document.querySelector('[data-demo-action="panel"]')!.remove())
    await page.keyboard.press('Escape')
    const focused = await page.evaluate(() => {
      const active = document.activeElement as HTMLElement
      return { tag: active.tagName, visible: active.checkVisibility() }
    })
    expect(focused.tag).not.toBe('BODY')
    expect(focused.visible).toBe(true)
  })

  it("gives the focus back to an opener inside the shop's own web component", async () => {
    const page = await h.newPage()
    await page.goto(h.baseUrl + '/')
    await waitForSegment(page)
    await page.evaluate(() => {
      const header = document.body.appendChild(document.createElement('shop-header'))
      const button = header.attachShadow({ mode: 'open' }).appendChild(document.createElement('button'))
      button.textContent = 'Why?'
      button.addEventListener('click', () => (document.querySelector('[data-demo-action="panel"]') as HTMLElement).click())
      button.focus()
    })
    await page.keyboard.press('Enter')
    await page.waitForFunction(() => document.querySelector('seglet-panel')?.shadowRoot?.activeElement?.getAttribute('role') === 'dialog')
    await page.keyboard.press('Escape')
    expect(await page.evaluate(() => document.querySelector('shop-header')!.shadowRoot!.activeElement?.textContent)).toBe('Why?')
  })

  it('wraps a long word (a German segment name, a file name) inside the panel instead of scrolling it sideways', async () => {
    const page = await h.newPage()
    await openPanelByKeyboard(page, h.baseUrl)
    // A new visitor's panel has its first term and value in what is stored, once read.
    await page.waitForFunction(() => document.querySelector('seglet-panel')!.shadowRoot!.querySelector('dd'))
    const overflow = await page.evaluate(() => {
      const root = document.querySelector('seglet-panel')!.shadowRoot!
      root.querySelector('.name')!.textContent = 'Schnäppchenjägerinnenundschnäppchenjägerfreundeskreis'
      root.querySelector('dd')!.textContent = 'Wiederholungskaufwahrscheinlichkeitsschätzungsergebnis'
      root.querySelector('.status')!.textContent = 'Your data was downloaded as paperleaf_books_seglet_export_of_everything_stored.json.'
      const dialog = root.querySelector('.panel')!
      return dialog.scrollWidth - dialog.clientWidth
    })
    expect(overflow).toBe(0)
  })

  it('keeps the words of a value whole beside a long label, as after an order in the demo shop', async () => {
    const page = await h.newPage()
    await openPanelByKeyboard(page, h.baseUrl)
    // A new visitor's panel has its first term and value in what is stored, once read.
    await page.waitForFunction(() => document.querySelector('seglet-panel')!.shadowRoot!.querySelector('dd'))
    const broken = await page.evaluate(() => {
      const root = document.querySelector('seglet-panel')!.shadowRoot!
      const [label, value] = [root.querySelector('dt')!, root.querySelector('dd')!]
      label.textContent = 'Chance you order again within 90 days'
      value.textContent = 'reached checkout · 18.9 put in the cart'
      // A word drawn on two lines has two boxes.
      const words: string[] = []
      const text = value.firstChild!
      for (const match of value.textContent.matchAll(/\S+/g)) {
        const range = document.createRange()
        range.setStart(text, match.index!)
        range.setEnd(text, match.index! + match[0].length)
        if (range.getClientRects().length > 1) words.push(match[0])
      }
      return words
    })
    expect(broken).toEqual([])
  })

  it('writes an English panel left to right on a right-to-left page', async () => {
    const page = await h.newPage()
    await openPanelByKeyboard(page, h.baseUrl, () => page.evaluate(() => ((document.documentElement.dir = 'rtl'), (document.documentElement.lang = 'he'))))
    const layout = await page.evaluate(() => {
      const dialog = document.querySelector('seglet-panel')!.shadowRoot!.querySelector('[role="dialog"]')!
      const box = dialog.getBoundingClientRect()
      const close = dialog.querySelector('.close')!.getBoundingClientRect()
      return { direction: getComputedStyle(dialog).direction, closeOnTheRight: close.right > box.right - 40 }
    })
    expect(layout).toEqual({ direction: 'ltr', closeOnTheRight: true })
  })

  it('has its status line in the accessibility tree before a button is pressed, so "Deleting…" is announced', async () => {
    const page = await h.newPage()
    await openPanelByKeyboard(page, h.baseUrl)
    const cdp = await page.context().newCDPSession(page)
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: Array<{ role?: { value: string }; ignored: boolean; ignoredReasons?: Array<{ name: string }> }> }
    // A live region a screen reader does not know of yet (display: none while empty) announces nothing when its words appear.
    const status = nodes.filter((n) => n.role?.value === 'status')
    expect(status.length).toBe(1)
    expect(status[0]!.ignoredReasons?.map((r) => r.name) ?? []).not.toContain('notRendered')
  })

  it('on a 320 px phone, lets Escape show a control the keyboard reached behind the panel, without moving the focus', async () => {
    const context = await h.browser.newContext({ viewport: { width: 320, height: 640 } })
    try {
      const page = await context.newPage()
      await openPanelByKeyboard(page, h.baseUrl)
      // Out of the panel (not a trap) and on through the page until the focused control lies wholly under the panel.
      const coveredFocus = () =>
        page.evaluate(() => {
          const active = document.activeElement
          const panel = document.querySelector('seglet-panel')?.shadowRoot?.querySelector('.panel')?.getBoundingClientRect()
          if (!active || active === document.body || active.tagName === 'SEGLET-PANEL' || !panel) return undefined
          const box = active.getBoundingClientRect()
          const covered = box.left >= panel.left && box.right <= panel.right && box.top >= panel.top && box.bottom <= panel.bottom
          return covered ? active.textContent!.trim() || active.getAttribute('aria-label') : undefined
        })
      let covered: string | null | undefined
      for (let i = 0; i < 20 && !covered; i++) {
        await page.keyboard.press('Tab')
        covered = await coveredFocus()
      }
      expect(covered, 'a control of the demo shop under the panel').toBeTruthy()
      await page.keyboard.press('Escape')
      expect(await page.locator('seglet-panel').count()).toBe(0)
      const after = await page.evaluate(() => {
        const box = document.activeElement!.getBoundingClientRect()
        return { name: document.activeElement!.textContent!.trim() || document.activeElement!.getAttribute('aria-label'), shown: box.bottom > 0 && box.top < innerHeight }
      })
      expect(after).toEqual({ name: covered, shown: true })
    } finally {
      await context.close()
    }
  })

  it('adds a dialog to the page, not a second banner landmark', async () => {
    const page = await h.newPage()
    await openPanelByKeyboard(page, h.baseUrl)
    const cdp = await page.context().newCDPSession(page)
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: Array<{ role?: { value: string }; ignored: boolean }> }
    const roles = nodes.filter((n) => !n.ignored).map((n) => n.role?.value)
    // The demo shop's own <header> is the page's one banner.
    expect(roles.filter((role) => role === 'banner')).toEqual(['banner'])
    expect(roles.filter((role) => role === 'dialog')).toEqual(['dialog'])
  })

  it('shows the keyboard focus with at least 3:1 contrast against the panel, light and dark', async () => {
    const page = await h.newPage()
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme })
      await openPanelByKeyboard(page, h.baseUrl)
      await page.keyboard.press('Tab')
      const focused = await focusedInPanel(page)
      const background = await page.evaluate(() => getComputedStyle(document.querySelector('seglet-panel')!.shadowRoot!.querySelector('.panel')!).backgroundColor)
      expect(focused?.text).toBe('Close')
      expect(contrast(focused!.outlineColor, background), `${colorScheme}: ${focused!.outlineColor} on ${background}`).toBeGreaterThanOrEqual(3)
    }
  })
})
