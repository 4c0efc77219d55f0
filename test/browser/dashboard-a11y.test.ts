// The collector's dashboard for a marketer who uses a screen reader, a keyboard or a narrow (zoomed) window, in
// Chromium: what the European Accessibility Act asks of it (WCAG 2.1 AA).
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createReportEstimator } from '../../collector/estimates/createReportEstimator'
import { createCollector } from '../../collector/server/createCollector'
import type { Database } from '../../collector/storage/types'
import { TEST_PAGE_KEYS } from '../../collector/testing/reports'
import { contrast } from './contrast'
import { startDashboardServer, type DashboardServer } from './dashboardServer'

/**
 * How the table `id` fits its card: whether its box scrolls sideways, the cells drawn past the card's right edge (read
 * only once the table is scrolled), and the cells of three words or more set one word a line (a column squeezed to its
 * longest word). Where the rows stack, the columns' headers are clipped out of sight: each row's cells are what is drawn.
 */
function howItFits(page: Page, id: string): Promise<{ scrolls: boolean; cut: Array<string | null>; broken: Array<string | null> }> {
  return page.evaluate((id) => {
    const table = document.getElementById(id)!
    const box = table.parentElement!
    const card = box.closest('section')!.getBoundingClientRect()
    const cells = Array.from(table.querySelectorAll(getComputedStyle(table).display === 'table' ? 'th, td' : 'tbody th, tbody td'))
    return {
      scrolls: box.scrollWidth > box.clientWidth + 1,
      cut: cells.filter((c) => c.getBoundingClientRect().right > card.right + 0.5).map((c) => c.textContent),
      broken: cells
        .filter((c) => {
          const words = (c.textContent ?? '').trim().split(/\s+/).length
          const range = document.createRange()
          range.selectNodeContents(c)
          const lines = new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.bottom))).size
          return words >= 3 && lines >= words
        })
        .map((c) => c.textContent),
    }
  }, id)
}

describe('the dashboard, by screen reader and at a narrow width', () => {
  let dashboard: DashboardServer | undefined
  let db: Database
  let browser: Browser
  let base: string
  beforeAll(async () => {
    dashboard = await startDashboardServer(400)
    ;({ db, browser, base } = dashboard)
  }, 120_000)
  afterAll(() => dashboard?.close())

  /** Opens the dashboard with a line for every segment on every day (the collector's own days have too few reports). */
  async function openWithDailyLines(page: Page): Promise<void> {
    await page.route('**/seglet/insights.json', async (route) => {
      const doc = await (await route.fetch()).json()
      const share = { value: 0.3, low: 0.25, high: 0.35, enough: true }
      for (const day of doc.daily) day.segments = doc.insights.segments.map((s: { leaf: number | null }) => ({ leaf: s.leaf, share }))
      // And a segment's conversion readable, so the bar chart draws a bar (and its legend) rather than folding to its note.
      doc.insights.segments[0].conversion = { value: 0.032, low: 0.021, high: 0.043, enough: true }
      await route.fulfill({ json: doc })
    })
    await open(page)
  }

  /** Which of the daily chart's lines are shown, as Chart.js draws them. */
  function lineVisibility(page: Page): Promise<boolean[]> {
    return page.evaluate(() => {
      const chart = (window as unknown as { Chart: { getChart(c: Element): { data: { datasets: unknown[] }; isDatasetVisible(i: number): boolean } } }).Chart.getChart(document.getElementById('segments-over-time')!)
      return chart.data.datasets.map((_, i) => chart.isDatasetVisible(i))
    })
  }

  async function open(page: Page): Promise<void> {
    await page.goto(`${base}/seglet/dashboard`)
    await page.waitForFunction(() => document.querySelectorAll('#pages tbody tr').length > 1)
  }

  /** At 1100 and at 320 px, each in a page of its own: the dashboard drawn from insights.json as `edit` changes it, then `check`. */
  async function atBothWidths(edit: (doc: any) => void, check: (page: Page, width: number) => Promise<void>): Promise<void> {
    for (const width of [1100, 320]) {
      const context = await browser.newContext({ viewport: { width, height: 900 } })
      try {
        const page = await context.newPage()
        await page.route('**/seglet/insights.json', async (route) => {
          const doc = await (await route.fetch()).json()
          edit(doc)
          await route.fulfill({ json: doc })
        })
        await open(page)
        await check(page, width)
      } finally {
        await context.close()
      }
    }
  }

  /** Names of the accessibility tree's nodes that are not ignored (what a screen reader can reach). */
  async function readable(page: Page): Promise<string[]> {
    const cdp = await page.context().newCDPSession(page)
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: Array<{ role?: { value: string }; name?: { value: string }; ignored: boolean }> }
    return nodes.filter((n) => !n.ignored && n.name?.value).map((n) => n.name!.value)
  }

  it('gives the daily segment shares of the line chart as text, not only as a picture', async () => {
    const context = await browser.newContext()
    try {
      const page = await context.newPage()
      // One day with a readable share for the first segment (the reports here are too few for daily shares).
      await page.route('**/seglet/insights.json', async (route) => {
        const doc = await (await route.fetch()).json()
        const day = doc.daily.find((d: { day: string }) => d.day === '2026-11-29')
        const leaf = doc.insights.segments[0].leaf
        day.segments = [{ leaf, share: { value: 0.4237, low: 0.3811, high: 0.4663, enough: true } }]
        await route.fulfill({ json: doc })
      })
      await open(page)
      // Behind a disclosure under the chart, opened by keyboard.
      await page.getByText('Segment shares per day as a table').focus()
      await page.keyboard.press('Enter')
      const names = await readable(page)
      expect(names.some((name) => name.includes('42.4%'))).toBe(true)
      expect(names.some((name) => name.includes('11-29'))).toBe(true)
    } finally {
      await context.close()
    }
  })

  it('makes each table\'s answer, segment or page its row\'s header, read with each figure of the row, and drawn as the row\'s cells are', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 } })
    try {
      const page = await context.newPage()
      await open(page)
      const cdp = await context.newCDPSession(page)
      const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: Array<{ role?: { value: string }; name?: { value: string }; ignored: boolean }> }
      const rowHeaders = nodes.filter((n) => !n.ignored && n.role?.value === 'rowheader').map((n) => n.name?.value ?? '')
      for (const id of ['traffic', 'segments', 'value-segments', 'pages']) {
        const table = page.locator(`#${id}`)
        // By role, as a screen reader finds them: one row header a row, naming what the row's figures are of.
        const firsts = await table.locator('tbody tr > :first-child').allTextContents()
        expect(firsts.length, id).toBeGreaterThan(1)
        expect(await table.getByRole('rowheader').allTextContents(), id).toEqual(firsts)
        // And so in Chromium's own accessibility tree, which a screen reader reads.
        for (const first of firsts) expect(rowHeaders, id).toContain(first.trim())
        // Drawn as the row's figures are, not as a column's small grey header.
        const looks = await table.evaluate((t) => {
          const row = t.querySelector('tbody tr')!
          const look = (c: Element) => { const s = getComputedStyle(c); return [s.fontSize, s.fontWeight, s.color, s.textAlign, s.verticalAlign, s.paddingLeft, s.borderBottom].join(' ') }
          return { head: look(row.children[0]!), cell: look(row.children[1]!) }
        })
        expect(looks.head, id).toBe(looks.cell)
      }
    } finally {
      await context.close()
    }
  })

  it('keeps each day of a 7-day period on one line in the segment-share table, and makes the period its row\'s header', async () => {
    const context = await browser.newContext({ viewport: { width: 700, height: 800 } })
    try {
      const page = await context.newPage()
      // Single days too thin to show a share, each 7 days readable: the chart and its table are of the 7 days.
      await page.route('**/seglet/insights.json', async (route) => {
        const doc = await (await route.fetch()).json()
        const share = { value: 0.3, low: 0.25, high: 0.35, enough: true }
        for (const day of doc.daily) day.segments = []
        for (const period of doc.sevenDays) Object.assign(period, { reports: 10, segments: doc.insights.segments.map((s: { leaf: number | null }) => ({ leaf: s.leaf, share })) })
        await route.fulfill({ json: doc })
      })
      await open(page)
      await page.getByText('Segment shares over each 7 days as a table').click()
      const rows = await page.locator('#segments-daily tbody tr').evaluateAll((trs) =>
        trs.map((tr) => {
          const head = tr.children[0]!
          const style = getComputedStyle(head)
          // Lines of text in the cell: "2026-11-03 to" and "2026-11-09" at most, never a day broken at its hyphens.
          const height = Math.round((head.getBoundingClientRect().height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom) - parseFloat(style.borderBottomWidth)) / parseFloat(style.lineHeight))
          return { tag: head.tagName, scope: head.getAttribute('scope'), text: head.textContent, height: height <= 3, lines: [...head.querySelectorAll('.day')].map((d) => d.getClientRects().length) }
        }),
      )
      expect(rows.length).toBeGreaterThan(1)
      for (const row of rows) expect(row, row.text!).toEqual({ tag: 'TH', scope: 'row', text: expect.stringMatching(/^\d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d$/), height: true, lines: [1, 1] })
    } finally {
      await context.close()
    }
  })

  it('names each data table after its section\'s heading in the accessibility tree', async () => {
    const context = await browser.newContext()
    try {
      const page = await context.newPage()
      await open(page)
      await page.getByText('Segment shares per day as a table').click()
      const named = await page.locator('main table').evaluateAll((tables) => tables.map((t) => [t.id, t.closest('section')!.querySelector('h2')!.textContent!]))
      expect(named.length).toBe(5)
      for (const [id, heading] of named) {
        const table = page.getByRole('table', { name: heading, exact: true })
        expect(await table.count(), id).toBe(1)
        expect(await table.getAttribute('id'), heading).toBe(id)
      }
    } finally {
      await context.close()
    }
  })

  it('writes every figure in the number format of the marketer\'s browser, not some in English and some in German', async () => {
    const context = await browser.newContext({ locale: 'de-DE' })
    try {
      const page = await context.newPage()
      const estimate = (value: number, low: number, high: number) => ({ value, low, high, enough: true })
      await page.route('**/seglet/insights.json', async (route) => {
        const doc = await (await route.fetch()).json()
        doc.insights.overall = { conversion: estimate(0.0321, 0.0254, 0.0388), averageOrderValue: estimate(1234.5, 1100, 1369), revenuePerSession: estimate(39.6, 31.05, 48.2) }
        doc.insights.pageViewsPerSession = estimate(2.54, 2.31, 2.77)
        doc.insights.lift.difference = estimate(0.0123, -0.0031, 0.0277)
        doc.traffic[0] = { ...doc.traffic[0], halfWidthNow: 0.0123, enough: true }
        await route.fulfill({ json: doc })
      })
      await open(page)
      const figures = await page.locator('#overall .value, #overall .ci, #lift .value, #lift .ci').allTextContents()
      expect(figures).toEqual([
        '3,2%', '95%: 2,5% to 3,9%',
        '1.234,50', '95%: 1.100,00 to 1.369,00',
        '39,60', '95%: 31,05 to 48,20',
        '2,5', '95%: 2,3 to 2,8',
        '+1,2 pts', '95%: -0,3 pts to +2,8 pts',
      ])
      // The row's answer is its header: its interval now is the first of its cells.
      expect(await page.locator('#traffic tbody tr').first().locator('td').first().textContent()).toBe('± 1,2 pts')
    } finally {
      await context.close()
    }
  })

  it.each([320, 1100])('at %i px, leaves each chart of a pack\'s 16 segments a plot to read beside its legend and labels', async (width) => {
    const context = await browser.newContext({ viewport: { width, height: 800 } })
    try {
      const page = await context.newPage()
      await page.route('**/seglet/insights.json', async (route) => {
        const doc = await (await route.fetch()).json()
        const share = { value: 0.06, low: 0.04, high: 0.08, enough: true }
        const leaves = [...Array.from({ length: 16 }, (_, leaf) => leaf), null]
        doc.segmentNames = Array.from({ length: 16 }, (_, leaf) => `Returning shoppers ${leaf + 1}`)
        doc.insights.segments = leaves.map((leaf) => ({ ...doc.insights.segments[0], leaf, share, conversion: { value: 0.031, low: 0.02, high: 0.042, enough: true } }))
        for (const day of doc.daily) day.segments = leaves.map((leaf) => ({ leaf, share }))
        await route.fulfill({ json: doc })
      })
      await open(page)
      // Each plot at least 140 px high, and every segment in its legend (none cut off at the legend's foot).
      const unreadable = () =>
        page.evaluate(() =>
          Array.from(document.querySelectorAll('canvas')).flatMap((canvas) => {
            type Box = { top: number; bottom: number; height: number }
            const chart = (window as unknown as { Chart: { getChart(c: HTMLCanvasElement): { chartArea: Box; legend: Box & { legendHitBoxes: Box[] } } } }).Chart.getChart(canvas)
            const plot = chart.chartArea.bottom - chart.chartArea.top
            const cut = chart.legend.legendHitBoxes.filter((b) => b.top + b.height > chart.legend.bottom + 1).length
            return [...(plot < 140 ? [`${canvas.id}: plot ${Math.round(plot)} px`] : []), ...(cut > 0 ? [`${canvas.id}: ${cut} legend items cut`] : [])]
          }),
        )
      await expect.poll(unreadable, { timeout: 5000 }).toEqual([])
      // Widened again (a phone turned, a window made wide): the charts give back the height they took.
      await page.setViewportSize({ width: 1100, height: 800 })
      await expect.poll(() => page.evaluate(() => Array.from(document.querySelectorAll('.chart'), (box) => box.clientHeight).filter((h) => h > 300)), { timeout: 5000 }).toEqual([])
    } finally {
      await context.close()
    }
  })

  it('says the outcome of "Rewrite the page-statistics table now" in a status a screen reader announces', async () => {
    const context = await browser.newContext()
    try {
      const page = await context.newPage()
      await open(page)
      await page.getByRole('button', { name: 'Rewrite the page-statistics table now' }).press('Enter')
      await expect.poll(() => page.locator('#regenerate-result').textContent()).toMatch(/^Written: /)
      expect(await page.getByRole('status').filter({ hasText: /^Written: / }).count()).toBe(1)
    } finally {
      await context.close()
    }
  })

  it('shows the table it has just rewritten in the page-statistics section, without a reload', async () => {
    const context = await browser.newContext()
    try {
      const page = await context.newPage()
      const errors: string[] = []
      page.on('pageerror', (error) => errors.push(error.message))
      // Opened before any table was written (other tests here write one).
      let loads = 0
      await page.route('**/seglet/insights.json', async (route) => {
        const doc = await (await route.fetch()).json()
        if (loads++ === 0) doc.pageStats = undefined
        await route.fulfill({ json: doc })
      })
      await open(page)
      expect(await page.locator('#page-stats-note').textContent()).toContain('has not been written yet')
      await page.getByRole('button', { name: 'Rewrite the page-statistics table now' }).press('Enter')
      await expect.poll(() => page.locator('#regenerate-result').textContent()).toMatch(/^Written: /)
      const integrity = /^Written: \d+ pages, (\S+)$/.exec((await page.locator('#regenerate-result').textContent())!)![1]!
      await expect.poll(() => page.locator('#page-stats-note').textContent()).toContain(`integrity ${integrity}`)
      expect(await page.locator('#regenerate-result').textContent()).toMatch(/^Written: /)
      expect(await page.locator('#pages tbody tr').count()).toBeGreaterThan(1)
      expect(errors).toEqual([])
    } finally {
      await context.close()
    }
  })

  it.each([360, 1100])('at %i px, says in the status when the figures cannot be reloaded after a rewrite, and marks them as from before', async (width) => {
    const context = await browser.newContext({ viewport: { width, height: 800 } })
    try {
      const page = await context.newPage()
      await open(page)
      // The table is written, then the collector answers no more (stopped, or its database down) before the reload.
      await page.route('**/seglet/page-stats.json', async (route) => {
        const response = await route.fetch()
        await page.route('**/seglet/insights.json', (again) => again.fulfill({ status: 500, json: { error: 'internal' } }))
        await route.fulfill({ response })
      })
      await page.getByRole('button', { name: 'Rewrite the page-statistics table now' }).press('Enter')
      await expect.poll(() => page.getByRole('status').textContent()).toMatch(/^Written: \d+ pages, \S+, but the figures below could not be reloaded and may be out of date: the collector ran into an error[^()]* \(HTTP 500: internal\)$/)
      const sections = await page.locator('main section').evaluateAll((all) => all.map((s) => s.querySelector('h2 + .stale')?.textContent ?? `${s.querySelector('h2')!.textContent}: not marked`))
      for (const said of sections) expect(said).toMatch(/^Possibly out of date/)
      expect(await page.locator('#facts').textContent()).toMatch(/Reports.*possibly out of date|possibly out of date.*Reports/)
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)
      if (process.env.SEGLET_SCREENSHOT_DIR) {
        await page.locator('header').screenshot({ path: `${process.env.SEGLET_SCREENSHOT_DIR}/reload-failed-facts-${width}.png` })
        await page.locator('#regenerate').locator('xpath=ancestor::section').screenshot({ path: `${process.env.SEGLET_SCREENSHOT_DIR}/reload-failed-pages-${width}.png` })
      }
    } finally {
      await context.close()
    }
  })

  it('says so in the status when the rewrite is refused with a page that is not JSON (a sign-in that expired)', async () => {
    const context = await browser.newContext()
    try {
      const page = await context.newPage()
      await open(page)
      await page.route('**/seglet/page-stats.json', (route) => route.fulfill({ status: 401, contentType: 'text/plain', body: 'sign in first' }))
      await page.getByRole('button', { name: 'Rewrite the page-statistics table now' }).press('Enter')
      await expect.poll(() => page.getByRole('status').filter({ hasText: /^The table was not rewritten: you are not signed in/ }).count()).toBe(1)
      expect(await page.locator('#regenerate-result').textContent()).toMatch(/\(HTTP 401\)$/)
    } finally {
      await context.close()
    }
  })

  it('at 360 px, says in plain words that the collector\'s database did not answer in time, when to try again, and draws the figures once it answers', async () => {
    // The same store behind a collector whose database says nothing until the test lets it answer.
    let silent = true
    let release = () => {}
    const answering = new Promise<void>((resolve) => (release = resolve))
    const hold = async () => void (silent && (await answering))
    const held: Database = { ...db, query: async (text, params) => (await hold(), db.query(text, params)), transaction: async (work) => (await hold(), db.transaction(work)) }
    const stalled = createCollector(held, createReportEstimator({ pageKeys: TEST_PAGE_KEYS }), { now: () => Date.parse('2026-11-30T12:00:00Z'), readTimeoutMs: 1000 })
    const stalledServer = createServer(stalled.listener)
    await new Promise<void>((ready) => stalledServer.listen(0, '127.0.0.1', ready))
    const context = await browser.newContext({ viewport: { width: 360, height: 800 } })
    try {
      const page = await context.newPage()
      await page.goto(`http://127.0.0.1:${(stalledServer.address() as AddressInfo).port}/seglet/dashboard`)
      const facts = page.locator('#facts dd')
      // The collector gives up on its database after its 1 s read limit: wait for that answer well past it (a poll
      // gives up after 1 s by default, from after the page's load).
      await expect.poll(() => facts.textContent(), { timeout: 15_000 }).toMatch(/^Could not load the figures/)
      expect(await facts.textContent()).toBe(
        "Could not load the figures: the collector is running, but its database did not answer in time: try again in 1 second; if it keeps happening, the collector's operator should check that its database is up and reachable" +
          'HTTP 503: storage_timeout',
      )
      expect(await page.locator('#facts .detail').textContent()).toBe('HTTP 503: storage_timeout')
      expect(await facts.getAttribute('role')).toBe('alert')
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
      if (process.env.SEGLET_SCREENSHOT_DIR) await page.locator('header').screenshot({ path: `${process.env.SEGLET_SCREENSHOT_DIR}/load-storage-timeout-360.png` })
      // The database answers again: a reload draws the figures.
      silent = false
      release()
      await page.reload()
      await page.waitForFunction(() => document.querySelectorAll('#pages tbody tr').length > 1)
      expect(await page.locator('#facts .problem').count()).toBe(0)
    } finally {
      silent = false
      release()
      await context.close()
      await new Promise((closed) => stalledServer.close(closed))
      await stalled.close()
    }
  })

  it.each([360, 1100])('at %i px, says in plain words that the collector could not be reached, with the browser\'s own words after them', async (width) => {
    const context = await browser.newContext({ viewport: { width, height: 800 } })
    try {
      const page = await context.newPage()
      await open(page)
      // The collector stopped after the page loaded: the rewrite, then a reload of the page, reach no server.
      await page.route('**/seglet/page-stats.json', (route) => route.abort('connectionrefused'))
      await page.getByRole('button', { name: 'Rewrite the page-statistics table now' }).press('Enter')
      await expect.poll(() => page.getByRole('status').textContent()).toMatch(/^The table was not rewritten: the collector could not be reached: check that it is running/)
      expect(await page.locator('#regenerate-result').textContent()).toMatch(/\(Failed to fetch\)$/)
      if (process.env.SEGLET_SCREENSHOT_DIR) await page.locator('#regenerate').locator('xpath=ancestor::section').screenshot({ path: `${process.env.SEGLET_SCREENSHOT_DIR}/rewrite-unreachable-${width}.png` })
      await page.route('**/seglet/insights.json', (route) => route.abort('connectionrefused'))
      await page.goto(`${base}/seglet/dashboard`)
      await expect.poll(() => page.locator('#facts dd').textContent()).toMatch(/^Could not load the figures: the collector could not be reached: check that it is running[^]*reload this page/)
      expect(await page.locator('#facts .detail').textContent()).toBe('Failed to fetch')
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)
      if (process.env.SEGLET_SCREENSHOT_DIR) await page.locator('header').screenshot({ path: `${process.env.SEGLET_SCREENSHOT_DIR}/load-unreachable-${width}.png` })
    } finally {
      await context.close()
    }
  })

  it.each([320, 1100])('at %i px, says over each empty chart why it is empty inside the plot, clear of its axes and legend', async (width) => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 } })
    try {
      const page = await context.newPage()
      await open(page)
      // Narrowed after it was drawn, as a window is: the charts lay out again, and the notes with them.
      await page.setViewportSize({ width, height: 800 })
      await page.waitForFunction((w) => document.querySelector('canvas')!.getBoundingClientRect().width < w - 40, width)
      await page.waitForTimeout(200)
      // 400 reports of one day: no day has a readable share and no segment a readable conversion yet.
      const outside = await page.evaluate(() =>
        Array.from(document.querySelectorAll('canvas')).flatMap((canvas) => {
          const note = canvas.parentElement!.querySelector('.chart-empty')
          if (!note) return [`${canvas.id}: no note`]
          // A chart folded to its note has no plot: its note stands in the page's flow instead, in a short box.
          if (canvas.parentElement!.classList.contains('bare')) return canvas.parentElement!.getBoundingClientRect().height < 100 ? [] : [`${canvas.id}: folded, yet tall`]
          const area = (window as unknown as { Chart: { getChart(c: HTMLCanvasElement): { chartArea: { left: number; top: number; right: number; bottom: number } } } }).Chart.getChart(canvas).chartArea
          const box = canvas.getBoundingClientRect()
          const range = document.createRange()
          range.selectNodeContents(note)
          return Array.from(range.getClientRects())
            .filter((r) => r.left < box.left + area.left || r.right > box.left + area.right || r.top < box.top + area.top || r.bottom > box.top + area.bottom)
            .map((r) => `${canvas.id}: text at ${Math.round(r.left - box.left)}–${Math.round(r.right - box.left)} × ${Math.round(r.top - box.top)}–${Math.round(r.bottom - box.top)}, plot ${Math.round(area.left)}–${Math.round(area.right)} × ${Math.round(area.top)}–${Math.round(area.bottom)}`)
        }),
      )
      expect(outside).toEqual([])
    } finally {
      await context.close()
    }
  })

  it('reflows at 320 px with a pack id of full version numbers: the facts wrap it instead of running off the page', async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 } })
    try {
      const page = await context.newPage()
      await page.route('**/seglet/insights.json', async (route) => {
        const doc = await (await route.fetch()).json()
        // As packContextOf names a pack of a session model and a lifetime model, each with its full version.
        doc.context = { ...doc.context, packId: 'session@1.0.0+lifetime@1.0.0' }
        await route.fulfill({ json: doc })
      })
      await open(page)
      expect(await page.locator('#facts').textContent()).toContain('session@1.0.0+lifetime@1.0.0')
      const overflowing = await page.evaluate(() => Array.from(document.querySelectorAll('#facts dd')).filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent))
      expect(overflowing).toEqual([])
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
    } finally {
      await context.close()
    }
  })

  it('writes ε and the counts beside it in the number format of the marketer\'s browser, as every other figure', async () => {
    const context = await browser.newContext({ locale: 'de-DE' })
    try {
      const page = await context.newPage()
      await page.route('**/seglet/insights.json', async (route) => {
        const doc = await (await route.fetch()).json()
        // A shop running at ε 0.5, with a rollout of another pack at an earlier ε and many candidate pages.
        doc.epsilon = 0.5
        doc.pageKeys = 1500
        doc.publishedPages = 1200
        doc.pageStats = { path: '/seglet/page-stats.json', integrity: 'sha256-x', day: '2026-11-30', pages: Array.from({ length: 1200 }, (_, i) => `page/${i}`) }
        doc.otherGroups = [{ packId: 'session@2+lifetime@1', epsilon: 1.5, reports: 2400 }]
        doc.insights = null
        await route.fulfill({ json: doc })
      })
      await page.goto(`${base}/seglet/dashboard`)
      await page.waitForSelector('#no-reports')
      const facts = Object.fromEntries(await page.locator('#facts > div').evaluateAll((items) => items.map((d) => [d.querySelector('dt')!.textContent, d.querySelector('dd')!.textContent])))
      expect(facts).toMatchObject({ 'Privacy level (ε)': '0,5', 'Published pages': '1.200 of 1.500', 'Not counted above': '2.400 reports of session@2+lifetime@1 at ε 1,5' })
      expect(await page.locator('#no-reports').textContent()).toBe('No reports at ε 0,5 in this window yet.')
    } finally {
      await context.close()
    }
  })

  it('folds away the pages without a figure, at 1100 and at 320 px, and a keyboard unfolds them', async () => {
    await atBothWidths(
      (doc) => {
        // A shop with 30 more candidate pages than the reports can say anything of yet.
        const few = { value: 0.01, low: -0.03, high: 0.05, enough: false }
        const quiet = Array.from({ length: 30 }, (_, i) => ({ ...doc.insights.pages[0], key: `product/q${i}`, viewShare: few, bounceRate: few, exitRate: few, valueReports: 0, published: false }))
        doc.insights.pages.push(...quiet)
        doc.pageKeys += quiet.length
      },
      async (page, width) => {
        const shownKeys = () => page.locator('#pages tbody tr:visible th').allTextContents()
        await expect.poll(async () => (await shownKeys()).filter((key) => key.startsWith('product/q'))).toEqual([])
        const more = page.getByRole('button', { name: /^Show the \d+ pages without figures yet$/ })
        expect(await more.getAttribute('aria-expanded')).toBe('false')
        // Reached with the keyboard, and opened with it.
        await more.focus()
        await page.keyboard.press('Enter')
        await expect.poll(async () => (await shownKeys()).filter((key) => key.startsWith('product/q')).length).toBe(30)
        const less = page.getByRole('button', { name: /^Hide the \d+ pages without figures yet$/ })
        expect(await less.getAttribute('aria-expanded')).toBe('true')
        await expect.poll(() => less.evaluate((e) => e === document.activeElement)).toBe(true)
        // Nothing sticks out of the page at a narrow width.
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)
        if (process.env.SEGLET_SCREENSHOT_DIR) await page.locator('#pages-fold').locator('xpath=ancestor::section').screenshot({ path: `${process.env.SEGLET_SCREENSHOT_DIR}/pages-folded-${width}.png` })
      },
    )
  })

  it('says which pack the figures follow and that a retrained pack collecting reports is left out, readable at 320 px', async () => {
    await atBothWidths(
      (doc) => {
        // A retrain published on the 28th: browsers that loaded it report under it since.
        const retrained = 'session@1+r20261128+lifetime@1'
        doc.otherGroups = [{ packId: retrained, epsilon: 2, segmentLeaves: 4, valueLeaves: 4, reports: 150, known: true }]
        for (const day of doc.daily) day.otherPackReports = day.day === '2026-11-28' || day.day === '2026-11-29' ? 75 : 0
      },
      async (page, width) => {
        const note = page.locator('#pack-note')
        await expect.poll(() => note.isVisible()).toBe(true)
        expect(await note.textContent()).toMatch(/^The figures follow the pack session@1\+lifetime@1: they are of its 400 reports in this window\. Another known pack, session@1\+r20261128\+lifetime@1 \(retrained Nov 28, 2026\), has 150 reports in this window/)
        expect(await page.locator('#segments-daily-note').textContent()).toContain('150 reports on 2 days from 2026-11-28 to 2026-11-29 are of session@1+r20261128+lifetime@1')
        // Nothing sticks out of the page at a narrow width: the long pack ids wrap.
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true)
        if (process.env.SEGLET_SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SEGLET_SCREENSHOT_DIR}/pack-note-${width}.png`, fullPage: true })
      },
    )
  })

  it('downloads the figures it shows as a CSV file, from a button a keyboard reaches', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 }, acceptDownloads: true })
    try {
      const page = await context.newPage()
      await page.route('**/seglet/insights.json', async (route) => {
        const doc = await (await route.fetch()).json()
        doc.segmentNames = ['Bargain, "deal" hunters', '=1+1']
        await route.fulfill({ json: doc })
      })
      await open(page)
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download these figures (CSV)' }).press('Enter')])
      expect(download.suggestedFilename()).toMatch(/^seglet-figures-\d{4}-\d\d-\d\d-to-\d{4}-\d\d-\d\d\.csv$/)
      const chunks: Buffer[] = []
      for await (const chunk of (await download.createReadStream())!) chunks.push(chunk as Buffer)
      const text = Buffer.concat(chunks).toString('utf8')
      expect(text.startsWith('\uFEFFsection,day,name,measure,estimate,low,high,status,pack,epsilon,id\r\n')).toBe(true)
      expect(text).toMatch(/\r\nprojections,,segment shares within ±1 point,target half-width,0\.01,,,,[^,\r\n]+,\d+(\.\d+)?,\r\n/)
      expect(text).toContain('segments,,"Bargain, ""deal"" hunters",share of sessions,')
      expect(text).toContain("segments,,'=1+1,share of sessions,")
      const pages = await page.locator('#pages tbody tr th:first-child').allTextContents()
      for (const key of pages) expect(text, key).toContain(`pages,,${key},share of views (of each session's last 12 keyed pages),`)
    } finally {
      await context.close()
    }
  })

  it('hides and shows a chart\'s lines from its legend by keyboard, as a mouse does', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 } })
    try {
      const page = await context.newPage()
      await openWithDailyLines(page)
      const visible = () => lineVisibility(page)
      expect((await visible()).every(Boolean)).toBe(true)
      // Tabbed to from the top of the page, as a keyboard reaches it.
      const first = await page.evaluate(() => (window as unknown as { Chart: { getChart(c: Element): { data: { datasets: { label: string }[] } } } }).Chart.getChart(document.getElementById('segments-over-time')!).data.datasets[0]!.label)
      let reached = false
      for (let i = 0; i < 40 && !reached; i++) {
        await page.keyboard.press('Tab')
        reached = await page.evaluate((label) => document.activeElement?.textContent?.trim() === label && !!document.activeElement.closest('section')?.querySelector('#segments-over-time'), first)
      }
      expect(reached).toBe(true)
      await page.keyboard.press('Enter')
      await expect.poll(visible).toEqual((await visible()).map((_, i) => i !== 0))
      expect(await page.evaluate(() => document.activeElement!.getAttribute('aria-pressed'))).toBe('false')
      await page.keyboard.press('Space')
      await expect.poll(async () => (await visible()).every(Boolean)).toBe(true)
      expect(await page.evaluate(() => document.activeElement!.getAttribute('aria-pressed'))).toBe('true')
    } finally {
      await context.close()
    }
  })

  it('keeps a line hidden from the legend hidden after a rewrite draws the charts again', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 } })
    try {
      const page = await context.newPage()
      await openWithDailyLines(page)
      const visible = () => lineVisibility(page)
      const legend = page.locator('#segments-over-time').locator('xpath=../following-sibling::ul[1]').getByRole('button')
      await legend.nth(0).press('Enter')
      const hidden = (await visible()).map((_, i) => i !== 0)
      await expect.poll(visible).toEqual(hidden)
      const before = await page.evaluate(() => (window as unknown as { Chart: { getChart(c: Element): { id: number } } }).Chart.getChart(document.getElementById('segments-over-time')!).id)
      await page.getByRole('button', { name: 'Rewrite the page-statistics table now' }).press('Enter')
      await expect.poll(() => page.evaluate(() => (window as unknown as { Chart: { getChart(c: Element): { id: number } } }).Chart.getChart(document.getElementById('segments-over-time')!).id)).not.toBe(before)
      expect(await visible()).toEqual(hidden)
      expect(await legend.nth(0).getAttribute('aria-pressed')).toBe('false')
      if (process.env.SEGLET_SCREENSHOT) await page.locator('#segments-over-time').locator('xpath=ancestor::section').screenshot({ path: process.env.SEGLET_SCREENSHOT })
    } finally {
      await context.close()
    }
  })

  it('reads the figures again by itself every 5 minutes while shown, at once when shown again on a later UTC day, and keeps a keyboard on its legend', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 } })
    try {
      const page = await context.newPage()
      // The reader's clock: 12 minutes before a UTC midnight.
      await page.clock.install({ time: new Date('2026-11-30T23:48:00Z') })
      let reads = 0
      let failing = false
      await page.route('**/seglet/insights.json', async (route) => {
        reads++
        if (failing) return route.fulfill({ status: 500, json: { error: 'internal' } })
        const doc = await (await route.fetch()).json()
        // Each read has 10 reports more than the last, as a shop's reports arrive through the day.
        doc.reports += 10 * reads
        const share = { value: 0.3, low: 0.25, high: 0.35, enough: true }
        for (const day of doc.daily) day.segments = doc.insights.segments.map((s: { leaf: number | null }) => ({ leaf: s.leaf, share }))
        doc.manifest = { version: 3, expires: '2026-11-20T00:00:00.000Z', daysLeft: -10.9, renewWithinDays: 14, status: 'expired', renew: 'npm run collector -- publish-pack --dir packs' }
        await route.fulfill({ json: doc })
      })
      const fact = (name: string) => page.evaluate((name) => [...document.querySelectorAll('#facts > div')].find((d) => d.querySelector('dt')!.textContent === name)?.querySelector('dd')!.textContent, name)
      const stale = () => page.evaluate(() => [...document.querySelectorAll('main section .stale')].map((p) => p.textContent))
      const hide = (hidden: boolean) =>
        page.evaluate((hidden) => {
          Object.defineProperty(document, 'visibilityState', { value: hidden ? 'hidden' : 'visible', configurable: true })
          document.dispatchEvent(new Event('visibilitychange'))
        }, hidden)
      // No read comes after `ms` more of the reader's clock.
      const noReadAfter = async (ms: number) => {
        const before = reads
        await page.clock.fastForward(ms)
        await page.waitForTimeout(300)
        expect(reads).toBe(before)
      }
      await open(page)
      expect(reads).toBe(1)
      const base = Number((await fact('Reports'))!.replace(/\D/g, '')) - 10
      const legend = page.locator('#segments-over-time').locator('xpath=../following-sibling::ul[1]').getByRole('button')
      const label = (await legend.nth(1).textContent())!
      await legend.nth(1).focus()
      // The expired manifest's alert, marked to tell whether a refresh writes it again (a screen reader would announce it again).
      await page.evaluate(() => ((document.getElementById('manifest-note')!.firstChild as unknown as { kept: boolean }).kept = true))

      // Every 5 minutes while shown: the figures and the time they were read, with the keyboard where it was.
      await noReadAfter(4 * 60_000)
      await page.clock.fastForward(60_000)
      await expect.poll(() => fact('Reports')).toBe((base + 20).toLocaleString('en-US'))
      expect(reads).toBe(2)
      expect(await page.evaluate(() => ({ legend: !!document.activeElement!.closest('ul.legend'), text: document.activeElement!.textContent }))).toEqual({ legend: true, text: label })
      expect(await page.evaluate(() => { const note = document.getElementById('manifest-note')!; return { role: note.getAttribute('role'), kept: (note.firstChild as unknown as { kept?: boolean }).kept, text: note.textContent } })).toEqual({
        role: 'alert',
        kept: true,
        text: expect.stringMatching(/^The signed model packs' manifest \(version 3\) expired on /),
      })
      await page.clock.fastForward(5 * 60_000)
      await expect.poll(() => reads).toBe(3)
      // Hidden, it asks nothing; shown again on the next UTC day (00:00:30), less than 5 minutes after its last read,
      // it reads at once.
      await hide(true)
      await noReadAfter(2.5 * 60_000)
      await hide(false)
      await expect.poll(() => reads).toBe(4)
      await expect.poll(() => fact('Reports')).toBe((base + 40).toLocaleString('en-US'))
      // Hidden and shown again within the same day and 5 minutes: no read then, the next one 5 minutes after the last.
      await hide(true)
      await noReadAfter(60_000)
      await hide(false)
      await noReadAfter(3.5 * 60_000)
      await page.clock.fastForward(30_000)
      await expect.poll(() => reads).toBe(5)
      // `reads` counts a read when it is asked for; the page shows its figures (and the time they were read) a moment later.
      await expect.poll(() => fact('Reports')).toBe((base + 50).toLocaleString('en-US'))

      // A read that fails leaves the figures, each section saying from when they are and why they were not read again.
      const updated = await fact('Updated')
      failing = true
      await page.clock.fastForward(5 * 60_000)
      await expect.poll(() => reads).toBe(6)
      await expect.poll(stale).toEqual(Array(await page.locator('main section').count()).fill(`Possibly out of date: these figures were read at ${updated} and could not be read again since (this page tries again every 5 minutes): the collector ran into an error computing the figures: try again; if it keeps failing, its operator should check that its database is up and its disk is not full (HTTP 500: internal).`))
      expect(await fact('Reports')).toBe((base + 50).toLocaleString('en-US'))
      expect(await fact('Status')).toBe('possibly out of date')
      if (process.env.SEGLET_SCREENSHOT_DIR) await page.locator('header').screenshot({ path: `${process.env.SEGLET_SCREENSHOT_DIR}/refresh-failed-1100.png` })
      failing = false
      await page.clock.fastForward(5 * 60_000)
      await expect.poll(() => reads).toBe(7)
      await expect.poll(stale).toEqual([])
      expect(await fact('Reports')).toBe((base + 70).toLocaleString('en-US'))
      expect(await fact('Status')).toBeUndefined()
    } finally {
      await context.close()
    }
  })

  it('keeps a line hidden from the legend hidden after the page is reloaded, until it is shown again', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 } })
    try {
      const page = await context.newPage()
      await openWithDailyLines(page)
      const visible = () => lineVisibility(page)
      const legend = page.locator('#segments-over-time').locator('xpath=../following-sibling::ul[1]').getByRole('button')
      const bars = page.locator('#conversion-by-segment').locator('xpath=../following-sibling::ul[1]').getByRole('button')
      await legend.nth(0).press('Enter')
      await bars.nth(1).press('Enter')
      const hidden = (await visible()).map((_, i) => i !== 0)
      await expect.poll(visible).toEqual(hidden)
      await page.reload()
      await page.waitForFunction(() => document.querySelectorAll('#pages tbody tr').length > 1)
      expect(await visible()).toEqual(hidden)
      expect(await legend.nth(0).getAttribute('aria-pressed')).toBe('false')
      expect(await bars.nth(1).getAttribute('aria-pressed')).toBe('false')
      // Shown again, it stays shown after the next reload.
      await legend.nth(0).press('Enter')
      await page.reload()
      await page.waitForFunction(() => document.querySelectorAll('#pages tbody tr').length > 1)
      expect((await visible()).every(Boolean)).toBe(true)
      expect(await bars.nth(1).getAttribute('aria-pressed')).toBe('false')
    } finally {
      await context.close()
    }
  })

  it('keeps each legend swatch in its line\'s colour in forced colours (Windows High Contrast), as the chart keeps its lines', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 }, forcedColors: 'active' })
    try {
      const page = await context.newPage()
      await open(page)
      const pairs = await page.evaluate(() => {
        const chart = (window as unknown as { Chart: { getChart(c: Element): { data: { datasets: { borderColor?: string; backgroundColor?: string }[] } } } }).Chart.getChart(document.getElementById('segments-over-time')!)
        const swatches = [...document.getElementById('segments-over-time')!.parentElement!.nextElementSibling!.querySelectorAll('.swatch')]
        const rgb = (hex: string) => `rgb(${hex.match(/[0-9a-f]{2}/gi)!.map((c) => parseInt(c, 16)).join(', ')})`
        return swatches.map((s, i) => [getComputedStyle(s).borderTopColor, rgb(chart.data.datasets[i]!.borderColor!)])
      })
      expect(pairs.length).toBeGreaterThan(1)
      for (const [shown, line] of pairs) expect(shown).toBe(line)
    } finally {
      await context.close()
    }
  })

  it('in a dark colour scheme, writes every text at 4.5:1 or more against what it is drawn on and the charts in colours chosen for the dark card; turned light, draws them again', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, colorScheme: 'dark' })
    try {
      const page = await context.newPage()
      await openWithDailyLines(page)
      // Each element with text of its own that is drawn: its colour against the first box under it with a background.
      const texts = () =>
        page.evaluate(() => {
          const backdrop = (e: Element | null) => {
            while (e && getComputedStyle(e).backgroundColor === 'rgba(0, 0, 0, 0)') e = e.parentElement
            return e ? getComputedStyle(e).backgroundColor : getComputedStyle(document.documentElement).backgroundColor
          }
          return [...document.querySelectorAll('body *')]
            .filter((e) => e.checkVisibility({ opacityProperty: true, visibilityProperty: true }) && [...e.childNodes].some((n) => n.nodeType === 3 && /\S/.test(n.textContent!)))
            .map((e) => ({ text: e.textContent!.trim().slice(0, 40), color: getComputedStyle(e).color, under: backdrop(e), opacity: getComputedStyle(e).opacity }))
        })
      const dark = await texts()
      expect(dark.length).toBeGreaterThan(100)
      expect(dark.filter((t) => t.under === 'rgb(29, 35, 43)').length).toBeGreaterThan(50)
      for (const t of dark) expect(contrast(t.color, t.under), `${t.text}: ${t.color} on ${t.under}`).toBeGreaterThanOrEqual(4.5)
      // The charts' lines, bars and axes: each at least 3:1 against the card under the canvas.
      const drawn = () =>
        page.evaluate(() => {
          type Drawn = { data: { datasets: { borderColor?: string; backgroundColor?: string }[] }; options: { scales: { y: { ticks: { color: string }; grid: { color: string } } } } }
          const Chart = (window as unknown as { Chart: { getChart(c: Element): Drawn } }).Chart
          return ['segments-over-time', 'conversion-by-segment'].map((id) => {
            const canvas = document.getElementById(id)!
            const chart = Chart.getChart(canvas)
            const probe = document.createElement('i')
            const rgbOf = (color: string) => ((probe.style.color = color), document.body.append(probe), getComputedStyle(probe).color)
            const colors = chart.data.datasets.map((d) => rgbOf(id === 'segments-over-time' ? d.borderColor! : d.backgroundColor!))
            const ticks = rgbOf(chart.options.scales.y.ticks.color)
            probe.remove()
            return { id, colors, ticks, under: getComputedStyle(canvas.parentElement!).backgroundColor }
          })
        })
      const darkCharts = await drawn()
      for (const chart of darkCharts) {
        expect(chart.under).toBe('rgb(29, 35, 43)')
        expect(contrast(chart.ticks, chart.under), `${chart.id} axis`).toBeGreaterThanOrEqual(4.5)
        for (const color of chart.colors.slice(0, chart.id === 'conversion-by-segment' ? 1 : undefined)) expect(contrast(color, chart.under), `${chart.id}: ${color}`).toBeGreaterThanOrEqual(3)
      }
      // Turned light with the page open: the same charts drawn again in the light colours, on the white card.
      // The page's colours change with the scheme at once; the charts are drawn again by the scheme's change event.
      await page.emulateMedia({ colorScheme: 'light' })
      await expect.poll(async () => (await drawn())[0]!.colors).not.toEqual(darkCharts[0]!.colors)
      const lightCharts = await drawn()
      expect(lightCharts.map((c) => c.under)).toEqual(['rgb(255, 255, 255)', 'rgb(255, 255, 255)'])
      for (const chart of lightCharts) for (const color of chart.colors.slice(0, chart.id === 'conversion-by-segment' ? 1 : undefined)) expect(contrast(color, chart.under), `${chart.id}: ${color}`).toBeGreaterThanOrEqual(3)
      for (const t of await texts()) expect(contrast(t.color, t.under), `${t.text}: ${t.color} on ${t.under}`).toBeGreaterThanOrEqual(4.5)
    } finally {
      await context.close()
    }
  })

  it('draws the charts and their legends on the card their colours were chosen for in dark forced colours, not on black', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 }, forcedColors: 'active', colorScheme: 'dark' })
    try {
      const page = await context.newPage()
      await open(page)
      const seen = await page.evaluate(() =>
        [...document.querySelectorAll('canvas, .legend .swatch')].map((drawn) => {
          // The colour a canvas or a legend's swatch is drawn over: the first box under it with a background of its own.
          let box: Element | null = drawn
          while (box && getComputedStyle(box).backgroundColor === 'rgba(0, 0, 0, 0)') box = box.parentElement
          return [drawn.id || drawn.closest('li')!.textContent, box ? getComputedStyle(box).backgroundColor : 'none']
        }),
      )
      expect(seen.length).toBeGreaterThan(4)
      // The dark scheme's card, for which the lines' dark colours were chosen (black under Windows' black theme otherwise).
      for (const [name, under] of seen) expect(under, name!).toBe('rgb(29, 35, 43)')
    } finally {
      await context.close()
    }
  })

  // Below 600 px every table stacks its rows (see the phone test below), so none is wider than its card at 320 px; a
  // table wider than its card is one of seven columns in a window a little above that (a tablet, a zoomed window).
  it('at 320 px, scrolls no table and puts no box in the tab order; at 700 px, lets a keyboard reach and scroll each table wider than its card, and names it', async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 } })
    try {
      const page = await context.newPage()
      await open(page)
      // Shown boxes only: a table in a closed <details> is no stop in the tab order (its box is marked when the details
      // opens), and Chromium may lay it out at the new width or not, so its width there says nothing.
      const scrollers = () =>
        page.evaluate(() =>
          Array.from(document.querySelectorAll('main *'))
            .filter((e) => e.checkVisibility() && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX) && e.scrollWidth > e.clientWidth + 1)
            .map((e) => ({ id: e.querySelector('table')?.id ?? e.tagName, tabIndex: (e as HTMLElement).tabIndex, role: e.getAttribute('role'), name: e.getAttribute('aria-label') })),
        )
      expect(await scrollers()).toEqual([])
      expect(await page.evaluate(() => document.querySelectorAll('main [tabindex="0"]').length)).toBe(0)
      await page.setViewportSize({ width: 700, height: 800 })
      await expect.poll(async () => (await scrollers()).map((w) => w.id)).toContain('pages')
      // The page marks a box in the frame after its size changed, so the marks are waited for; a box that never gets
      // them fails here.
      await expect
        .poll(async () => (await scrollers()).filter((w) => !(w.tabIndex === 0 && w.role === 'region' && /\S/.test(w.name ?? ''))))
        .toEqual([])
      // Tabbed to, then scrolled by the arrow keys.
      let reached = false
      for (let i = 0; i < 60 && !reached; i++) {
        await page.keyboard.press('Tab')
        reached = await page.evaluate(() => document.activeElement?.querySelector(':scope > #pages') != null)
      }
      expect(reached).toBe(true)
      await page.keyboard.press('ArrowRight')
      await page.keyboard.press('ArrowRight')
      await expect.poll(() => page.evaluate(() => document.activeElement!.scrollLeft)).toBeGreaterThan(0)
      // Wide again, nothing scrolls: no stop in the tab order that does nothing.
      await page.setViewportSize({ width: 1100, height: 800 })
      await expect.poll(() => page.evaluate(() => document.querySelectorAll('main [tabindex="0"]').length)).toBe(0)
    } finally {
      await context.close()
    }
  })

  it('at 320 px with the reader\'s own text spacing (WCAG 1.4.12), keeps every table in its card, "not enough reports yet" wrapped in its column', async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 } })
    try {
      const page = await context.newPage()
      await open(page)
      // The spacing WCAG's text-spacing criterion names, as a reader's extension applies it over the page's styles.
      await page.evaluate(() => {
        const sheet = new CSSStyleSheet()
        sheet.replaceSync('* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important } p { margin-bottom: 2em !important }')
        document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]
      })
      expect(await page.locator('main .na', { hasText: 'not enough reports yet' }).count()).toBeGreaterThan(0)
      for (const id of ['traffic', 'segments', 'value-segments', 'pages']) {
        const fit = await howItFits(page, id)
        expect({ id, scrolls: fit.scrolls, cut: fit.cut }).toEqual({ id, scrolls: false, cut: [] })
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
    } finally {
      await context.close()
    }
  })

  it('reflows at 320 px: no note runs out of its card once the table is written', async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 } })
    try {
      const page = await context.newPage()
      await open(page)
      await page.click('#regenerate')
      await expect.poll(() => page.locator('#regenerate-result').textContent()).toMatch(/^Written: /)
      expect(await page.evaluate(() => { const p = document.getElementById('regenerate')!.parentElement!; return p.scrollWidth <= p.clientWidth })).toBe(true)
      await page.reload()
      await page.waitForFunction(() => document.querySelectorAll('#pages tbody tr').length > 1)
      expect(await page.locator('#page-stats-note').textContent()).toContain('integrity')
      const overflowing = await page.evaluate(() =>
        Array.from(document.querySelectorAll('p, dd, .figures div')).filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => `${e.id || e.className}: ${e.scrollWidth} > ${e.clientWidth}`),
      )
      expect(overflowing).toEqual([])
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
    } finally {
      await context.close()
    }
  })

  it('at 320 px, writes each option of the retrain command on one line, never broken after its dashes', async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 } })
    try {
      const page = await context.newPage()
      // A window a retrain would fit from, of a collector on a folder store (this one's is in memory, which no retrain
      // can open): the status names the command and its options.
      await page.route('**/seglet/insights.json', async (route) => {
        const doc = await (await route.fetch()).json()
        Object.assign(doc.training, { status: 'ready', answers: 24_000, fitAnswers: 14_000, checkAnswers: 10_000, store: 'embedded' })
        await route.fulfill({ json: doc })
      })
      await open(page)
      const lines = await page.evaluate(() =>
        Array.from(document.querySelectorAll('#training-status code')).map((c) => [c.textContent, new Set(Array.from(c.getClientRects()).map((r) => Math.round(r.top))).size]),
      )
      expect(lines.map(([code]) => code)).toContain('--window-days')
      expect(lines.filter(([, n]) => n !== 1)).toEqual([])
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
    } finally {
      await context.close()
    }
  })

  it.each([
    ['pages', 'Page statistics', ['Page key', 'Share of views (last 12 keyed pages)', 'Bounce rate', 'Exit rate', 'Sessions viewing it', 'Page value', 'In the table']],
    ['segments', 'Conversion and revenue by segment', ['Segment', 'Share of sessions', 'Conversion', 'Revenue per session']],
  ])('fits the %s table in its card on a 390 px phone, each figure beside its column\'s name, still a table to a screen reader, and keeps the wide layout at 1200 px', async (id, name, columns) => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } })
    try {
      const page = await context.newPage()
      await openWithDailyLines(page)
      const fit = () => howItFits(page, id)
      expect(await fit()).toEqual({ scrolls: false, cut: [], broken: [] })
      // Each figure on a line of its own, its column's name drawn to its left, the figure and its interval beside it.
      const beside = await page.evaluate((id) => {
        const td = document.querySelector(`#${id} tbody td[data-label]`)!
        const label = getComputedStyle(td, '::before').content
        const figure = td.lastElementChild ?? td
        return { label, right: figure.getBoundingClientRect().left > td.getBoundingClientRect().left + 40 }
      }, id)
      expect(beside).toEqual({ label: `"${columns[1]}" / ""`, right: true })
      const table = page.getByRole('table', { name, exact: true })
      const heads = await page.locator(`#${id} tbody tr > th[scope="row"]`).allTextContents()
      expect(heads.length).toBeGreaterThan(1)
      expect(await table.getByRole('rowheader').allTextContents()).toEqual(heads)
      expect(await table.getByRole('columnheader').allTextContents()).toEqual(columns)
      // The column's name drawn beside a figure is not read again with it: each cell is named by its figure alone.
      const cdp = await page.context().newCDPSession(page)
      const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: Array<{ role?: { value: string }; name?: { value: string }; ignored: boolean }> }
      const cellNames = nodes.filter((n) => !n.ignored && n.role?.value === 'cell').map((n) => n.name?.value ?? '')
      expect(cellNames.length).toBeGreaterThan(heads.length)
      const drawn = new RegExp(`^(${columns.slice(1).join('|')})\\s*\\S`)
      expect(cellNames.filter((n) => drawn.test(n))).toEqual([])
      await page.setViewportSize({ width: 1200, height: 800 })
      expect(await page.evaluate((id) => getComputedStyle(document.getElementById(id)!).display, id)).toBe('table')
      expect((await fit()).cut).toEqual([])
    } finally {
      await context.close()
    }
  })

  it('fits the traffic table in its card on a 390 px phone, no text set one word a line, and keeps the wide layout at 1200 px', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } })
    try {
      const page = await context.newPage()
      await open(page)
      const traffic = () => howItFits(page, 'traffic')
      expect(await traffic()).toEqual({ scrolls: false, cut: [], broken: [] })
      // Still a table to a screen reader, its answers the rows' headers, and each figure read once, not with the
      // column's name drawn beside it (the column header is read with it already).
      const table = page.getByRole('table', { name: 'From what traffic each answer is usable', exact: true })
      const answers = await page.locator('#traffic tbody tr > :first-child').allTextContents()
      expect(answers.length).toBeGreaterThan(1)
      expect(await table.getByRole('rowheader').allTextContents()).toEqual(answers)
      expect(await table.getByRole('columnheader').allTextContents()).toEqual(['Answer', 'Interval now', 'Reports needed', 'Status'])
      const named = await readable(page)
      expect(named.filter((n) => /^(Interval now|Reports needed|Status)\s*\S/.test(n))).toEqual([])
      await page.setViewportSize({ width: 1200, height: 800 })
      expect(await traffic()).toEqual({ scrolls: false, cut: [], broken: [] })
    } finally {
      await context.close()
    }
  })
})
