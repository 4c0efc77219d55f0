// The collector's dashboard read in a browser set to another language: figures in the reader's number format, and,
// where the reader's digits are Arabic-Indic (ar-EG), in Latin digits, which the page's English lays out in order.
import { readFile } from 'node:fs/promises'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDashboardServer, type DashboardServer } from './dashboardServer'

/**
 * The order-value band note's first band as laid out: its text, and whether its lower edge is drawn left of its upper
 * one (the page is English, written left to right), from the glyphs' own boxes.
 */
function firstBand(page: Page): Promise<{ text: string; inOrder: boolean }> {
  return page.evaluate(() => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? ''
      // 0–25 in any digits: Latin, or Arabic-Indic (U+0660…).
      const band = /([0\u0660])–([2\u0662][5\u0665])/.exec(text)
      if (!text.includes('order-value bands') || !band) continue
      const box = (at: number) => {
        const range = document.createRange()
        range.setStart(node!, at)
        range.setEnd(node!, at + 1)
        return range.getBoundingClientRect()
      }
      return { text: band[0], inOrder: box(band.index).left < box(band.index + 2).left }
    }
    throw new Error('no order-value band note')
  })
}

describe('the dashboard in the reader\'s language', () => {
  let dashboard: DashboardServer | undefined
  let browser: Browser
  let base: string
  beforeAll(async () => {
    dashboard = await startDashboardServer(1200)
    ;({ browser, base } = dashboard)
  }, 120_000)
  afterAll(() => dashboard?.close())

  async function openIn(locale: string) {
    const context = await browser.newContext({ locale, viewport: { width: 1100, height: 900 } })
    const page = await context.newPage()
    await page.goto(`${base}/seglet/dashboard`)
    await page.waitForFunction(() => document.querySelectorAll('#pages tbody tr').length > 1)
    const band = await firstBand(page)
    const reports = await page.evaluate(() => document.body.innerText.match(/Reports\s*\n\s*(\S+)/)?.[1] ?? '')
    const share = await page.evaluate(() => (document.querySelector('#segments tbody tr td') as HTMLElement | null)?.innerText ?? '')
    await context.close()
    return { band, reports, share }
  }

  it('writes the bands and figures of a reader whose digits are Arabic-Indic in Latin digits, laid out in order', async () => {
    const arabic = await openIn('ar-EG')
    // In Arabic-Indic digits the band was ٠–٢٥, drawn as ٢٥–٠ among the English words.
    expect(arabic.band).toMatchObject({ text: '0–25', inOrder: true })
    // The locale's Latin-digit format (ar-EG-u-nu-latn) has Latin separators too.
    expect(arabic.reports).toBe('1,200')
    expect(arabic.share).toMatch(/^\d+\.\d%\n95%: \d+\.\d% to \d+\.\d%$/)
  })

  it('keeps the reader\'s own number format elsewhere: German separators, English ones', async () => {
    const german = await openIn('de-DE')
    expect(german.band).toMatchObject({ text: '0–25', inOrder: true })
    expect(german.reports).toBe('1.200')
    expect(german.share).toMatch(/^\d+,\d%/)
    const english = await openIn('en-US')
    expect(english.reports).toBe('1,200')
    expect(english.share).toMatch(/^\d+\.\d%/)
  })

  /** The download's format picked for a reader of `locale`, and the file the button then saves. */
  async function downloadIn(locale: string) {
    const context = await browser.newContext({ locale, acceptDownloads: true })
    const page = await context.newPage()
    await page.goto(`${base}/seglet/dashboard`)
    await page.waitForFunction(() => !(document.getElementById('download') as HTMLButtonElement).hidden)
    const format = await page.locator('#download-format').inputValue()
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')])
    const text = await readFile((await download.path())!, 'utf8')
    await context.close()
    return { format, lines: text.replace(/^\uFEFF/, '').split('\r\n') }
  }

  it('downloads the figures as a spreadsheet set to the reader\'s language reads a CSV: semicolons and 0,5 in German and French', async () => {
    for (const locale of ['de-DE', 'fr-FR']) {
      const { format, lines } = await downloadIn(locale)
      expect(format, locale).toBe('comma')
      expect(lines[0]).toBe('section;day;name;measure;estimate;low;high;status;pack;epsilon;id')
      const share = lines.find((l) => l.startsWith('segments;;') && l.includes(';share of sessions;'))!
      expect(share, locale).toMatch(/;share of sessions;0,\d+;0,\d+;0,\d+;;/)
    }
    const { format, lines } = await downloadIn('en-US')
    expect(format).toBe('point')
    expect(lines[0]).toBe('section,day,name,measure,estimate,low,high,status,pack,epsilon,id')
    expect(lines.find((l) => l.startsWith('segments,,') && l.includes(',share of sessions,'))).toMatch(/,share of sessions,0\.\d+,0\.\d+,0\.\d+,,/)
  })
})
