// The dashboard's own script (static/dashboard.js) drawing a real insights document, here under jsdom with the
// chart library stubbed: what the tables say, not how the charts look (test/browser has the screenshot).
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createReportEstimator } from '../estimates/createReportEstimator'
import { packLeafIds, packLeafNames } from '../estimates/packLeafNames'
import { pageKeyListId } from '../estimates/pageKeyListId'
import { COLOUR_VISION, type ColourVision, colourDifference } from '../testing/colourDifference'
import { reportBodies, TEST_CONTEXT, TEST_PAGE_KEYS } from '../testing/reports'

const DAY = '2026-11-29'
const STATIC = join(dirname(fileURLToPath(import.meta.url)), 'static')

/** The insights document of `n` reports of one day (and `others` of another pack), as the collector serves it. */
function insightsOf(n: number, others = 0) {
  const estimator = createReportEstimator({ pageKeys: TEST_PAGE_KEYS })
  const rowsOf = (bodies: string[]) => {
    const parsed = bodies.map((body) => estimator.parse(JSON.parse(body)))
    const group = parsed.length > 0 ? estimator.groupOf(parsed[0]!) : undefined
    return group ? [...estimator.addUp(group, parsed)].map(([counter, value]) => ({ ...group, counter, value })) : []
  }
  const rows = [
    ...rowsOf(reportBodies(n, { day: DAY, seed: 5 })),
    ...rowsOf(reportBodies(others, { day: DAY, seed: 6, context: { ...TEST_CONTEXT, packId: 'session@2+lifetime@1' } })),
  ]
  return estimator.insights(rows, { from: DAY, to: DAY, epsilon: 2, pageKeyLists: { [pageKeyListId(TEST_PAGE_KEYS)]: TEST_PAGE_KEYS } })
}

/**
 * `doc` with `n` more candidate pages that the reports can say nothing of yet (every estimate short of its reports), as
 * a shop with many pages has early on: the document and the pages added.
 */
function withQuietPages(doc: unknown, n: number) {
  type Estimate = { value: number | null; low: number; high: number; enough: boolean }
  type Page = { key: string; viewShare: Estimate; bounceRate: Estimate; exitRate: Estimate; valueReports: number; published?: boolean }
  const withPages = doc as { pageKeys: number; insights: { pages: Page[] } }
  const few: Estimate = { value: 0.01, low: -0.03, high: 0.05, enough: false }
  const quiet = Array.from({ length: n }, (_, i) => ({ ...withPages.insights.pages[0]!, key: `product/q${i}`, viewShare: few, bounceRate: few, exitRate: few, valueReports: 0, published: false }))
  withPages.insights.pages.push(...quiet)
  withPages.pageKeys += n
  return { doc: withPages, quiet }
}

/** `doc` with its first segment's conversion readable, as thousands of reports a day give it: the bar chart draws a bar. */
function withConversion<T>(doc: T): T {
  ;(doc as unknown as { insights: { segments: { conversion: object }[] } }).insights.segments[0]!.conversion = { value: 0.032, low: 0.021, high: 0.043, enough: true }
  return doc
}

/** Runs the dashboard's script over its page with `doc` as /seglet/insights.json; resolves once it has drawn. */
async function draw(doc: unknown, charts: unknown[] = []): Promise<void> {
  const html = readFileSync(join(STATIC, 'index.html'), 'utf8')
  document.body.innerHTML = /<body>([\s\S]*)<\/body>/.exec(html)![1]!
  vi.stubGlobal('fetch', async () => ({ ok: true, json: async () => doc }))
  // The chart library stubbed: each chart's configuration is kept in `charts`, to check what it was asked to draw.
  vi.stubGlobal('Chart', class { constructor(_canvas: unknown, config: unknown) { charts.push(config) } })
  new Function(readFileSync(join(STATIC, 'dashboard.js'), 'utf8'))()
  await vi.waitFor(() => expect(document.querySelector('#traffic tbody')).not.toBeNull())
}

/** sRGB channels of `#rgb`, `#rrggbb` or `rgba(r,g,b,a)`, the last blended over `under`. */
function rgb(color: string, under = [255, 255, 255]): number[] {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color)?.[1]
  if (hex) return (hex.length === 3 ? [...hex].map((c) => c + c) : hex.match(/../g)!).map((c) => parseInt(c, 16))
  const [r, g, b, a = 1] = /^rgba?\(([^)]*)\)$/.exec(color)![1]!.split(',').map(Number)
  return [r!, g!, b!].map((c, i) => c * a + under[i]! * (1 - a))
}
/** WCAG 2.1 contrast ratio of `color` over `background`. */
function contrast(color: string, background: string): number {
  const back = rgb(background)
  const luminance = (channels: number[]) =>
    channels.map((c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)).reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i]!, 0)
  const [hi, lo] = [luminance(rgb(color, back)), luminance(back)].sort((x, y) => y - x)
  return (hi! + 0.05) / (lo! + 0.05)
}

const cells = (table: string, column: number) => [...document.querySelectorAll(`#${table} tbody tr`)].map((tr) => tr.children[column]?.textContent ?? '')

afterEach(() => {
  vi.unstubAllGlobals()
  // The legend's hidden series are kept in storage across page loads: each test starts with none.
  localStorage.clear()
  document.body.innerHTML = ''
})

describe('dashboard', () => {
  it.each([40, 400, 4000])('with %i reports: an interval only where there are enough reports, never wider than a rate can be', async (n) => {
    const doc = insightsOf(n) as unknown as { traffic: { halfWidthNow: number | null; enough: boolean }[] }
    await draw(doc)
    const intervals = cells('traffic', 1)
    expect(intervals).toHaveLength(doc.traffic.length)
    doc.traffic.forEach((t, i) => {
      if (t.halfWidthNow === null) expect(intervals[i]).toBe('—')
      else if (!t.enough) expect(intervals[i]).toBe('not enough reports yet')
      else {
        const half = Number(/^± (\d+(?:\.\d)?) pts$/.exec(intervals[i]!)?.[1])
        expect(half).toBeLessThanOrEqual(50)
        expect(half).toBeCloseTo(Math.min(50, t.halfWidthNow * 100), t.halfWidthNow < 0.1 ? 1 : 0)
      }
    })
    // Every interval the tables show lies within 0–100%.
    const shown = [...document.querySelectorAll('#segments .ci, #value-segments .ci, #pages .ci')].map((e) => e.textContent!)
    if (n === 4000) expect(shown.length).toBeGreaterThan(0)
    for (const text of shown) {
      for (const [, value] of text.matchAll(/(-?\d+(?:\.\d+)?)%/g)) {
        expect(Number(value)).toBeGreaterThanOrEqual(0)
        expect(Number(value)).toBeLessThanOrEqual(100)
      }
    }
  })

  it('says an answer whose interval it shows needs more reports, not that it has "not enough reports yet" to show it', async () => {
    const doc = insightsOf(4000) as unknown as { traffic: { halfWidthNow: number; enough: boolean; target: number }[] }
    // The segment shares: shown in their table, their interval wider than ±1 point.
    expect(doc.traffic[0]).toMatchObject({ enough: true })
    expect(doc.traffic[0]!.halfWidthNow).toBeGreaterThan(doc.traffic[0]!.target)
    await draw(doc)
    expect(cells('traffic', 1)[0]).toMatch(/^± \d/)
    expect(cells('traffic', 3)[0]).toBe('needs more reports')
    expect(document.querySelector('#traffic tbody tr:first-child td:nth-child(4) .na')).toBeNull()
    // One whose cell is too small to show keeps the page's "not enough reports yet", and one within its target is usable.
    expect(cells('traffic', 3)[1]).toBe('not enough reports yet')
    Object.assign(doc.traffic[0]!, { halfWidthNow: 0.008, reportsNeeded: 4000 })
    await draw(doc)
    expect(cells('traffic', 3)[0]).toBe('usable now')
  })

  it('says why where the cell behind an answer has too few reports, however wide its interval', async () => {
    const doc = insightsOf(4000) as unknown as { traffic: { halfWidthNow: number | null; enough: boolean }[] }
    // The widest conversion cell is a segment too small to read: its raw half-width is far past 100 points.
    const conversion = doc.traffic[1]!
    expect(conversion).toMatchObject({ enough: false })
    expect(conversion.halfWidthNow).toBeGreaterThan(1)
    await draw(doc)
    expect(cells('traffic', 1)[1]).toBe('not enough reports yet')
    expect(cells('traffic', 3)[1]).toBe('not enough reports yet')
    expect(document.querySelector('#traffic')!.textContent).not.toMatch(/\d{3,}(\.\d)? pts/)
    // Nor a projection squared from that noise (millions of reports, a different figure at every rewrite).
    expect(cells('traffic', 2)[1]).toBe('cannot be projected from these reports yet')
  })

  it('with reports in, says an answer it cannot project yet cannot be, not that it comes "after the first reports"', async () => {
    const doc = insightsOf(400) as unknown as { reports: number; traffic: { answer: string; halfWidthNow: number | null; enough: boolean; reportsNeeded: number | null }[] }
    // As the collector serves a shop without a holdout (personalize.holdout 0, the default): no lift to project from.
    Object.assign(doc.traffic[2]!, { halfWidthNow: null, enough: false, reportsNeeded: null })
    await draw(doc)
    expect(doc.reports).toBe(400)
    expect(cells('traffic', 2)[2]).not.toBe('after the first reports')
    expect(cells('traffic', 2)[2]).toBe('cannot be projected from these reports yet')
    expect(cells('traffic', 3)[2]).toBe('not enough reports yet')
  })

  it('does not project the reports it has now for an answer whose interval is narrow enough but whose cell is too small to read', async () => {
    const doc = insightsOf(4000) as unknown as { reports: number; traffic: { halfWidthNow: number | null; enough: boolean; target: number; reportsNeeded: number | null }[] }
    // As a pack with a segment of 1% of sessions projects its shares: every half-width under a point, and that
    // segment's share still unreadable (an interval wider than the share); the projection is then the reports now.
    Object.assign(doc.traffic[0]!, { halfWidthNow: 0.008, enough: false, target: 0.01, reportsNeeded: doc.reports })
    await draw(doc)
    expect(cells('traffic', 3)[0]).toBe('not enough reports yet')
    expect(cells('traffic', 2)[0]).not.toBe(`about ${(4000).toLocaleString()}`)
    expect(cells('traffic', 2)[0]).toBe('cannot be projected from these reports yet')
  })

  it('writes the sign of an interval once, in its cells, not again in the column\'s header', async () => {
    await draw(insightsOf(4000))
    const shown = cells('traffic', 1).filter((c) => c.startsWith('±'))
    expect(shown.length).toBeGreaterThan(0)
    expect(document.querySelectorAll('#traffic th')[1]!.textContent).not.toContain('±')
  })

  it('projects the reports an answer needs up to 100 million, and past that says "more than"', async () => {
    const doc = insightsOf(40) as unknown as { traffic: { reportsNeeded: number | null }[] }
    // As 48 reports of the browser suite's shoppers projected the page rates (rare bounces, a wide ratio).
    doc.traffic[3]!.reportsNeeded = 2.8e33
    await draw(doc)
    const needed = cells('traffic', 2)
    doc.traffic.forEach((t, i) => {
      if (t.reportsNeeded === null || needed[i] === 'reached') return
      if (t.reportsNeeded > 1e8) expect(needed[i]).toBe(`more than ${(1e8).toLocaleString()}`)
      else expect(needed[i]).toBe(`about ${Math.round(t.reportsNeeded).toLocaleString()}`)
    })
    expect(needed).toContain(`more than ${(1e8).toLocaleString()}`)
  })

  it('with no reports yet, every section says so in place instead of standing empty', async () => {
    await draw(insightsOf(0))
    const none = 'No reports at ε 2 in this window yet.'
    for (const chart of ['segments-over-time', 'conversion-by-segment']) {
      expect(document.getElementById(chart)!.parentElement!.querySelector('.chart-empty')?.textContent).toBeTruthy()
    }
    expect(document.getElementById('lift')!.textContent).toContain('no reports')
    expect(document.getElementById('lift')!.textContent).not.toContain('not enough reports yet')
    // Neither chart has a series to show or hide: no legend.
    expect(document.querySelectorAll('.legend')).toHaveLength(0)
    for (const id of ['segments', 'value-segments', 'pages']) expect(cells(id, 0)).toHaveLength(1)
    // The one sentence that explains it all stands first, not under the last section.
    expect(document.querySelector('main')!.firstElementChild!.textContent).toBe(none)
    // Before any views are estimated, the table lists the candidate pages for page value (here all of them), as it says.
    expect(document.getElementById('page-stats-note')!.textContent).toContain(`asks about all ${TEST_PAGE_KEYS.length} candidate pages`)
  })

  it('shows the collector\'s notice (simulated figures) as a banner under the title, and no banner without one', async () => {
    const notice = 'Simulated figures: the reports of 40 simulated shoppers, not any shop\'s traffic.'
    await draw({ ...insightsOf(40), notice })
    const banner = document.getElementById('notice')!
    expect(banner.hidden).toBe(false)
    expect(banner.textContent).toBe(notice)
    expect(banner.previousElementSibling!.tagName).toBe('H1')
    // The tab says so too, and so does the download, in its first row after the header.
    expect(document.title).toBe('Simulated figures · Seglet insights')
    // and so does the file's name, before it is opened.
    const simulated = await downloaded({ ...insightsOf(40), notice })
    const rows = parseCsv(simulated.text.slice(1))
    expect(rows[1]).toMatchObject({ 0: 'notice', 7: notice })
    expect(rows.filter((r) => r[0] === 'notice')).toHaveLength(1)
    const doc = insightsOf(40)
    expect(simulated.name).toBe(`seglet-simulated-figures-${doc.from}-to-${doc.to}.csv`)
    // A notice of any wording gives a file name of plain letters, digits and hyphens.
    expect((await downloaded({ ...doc, notice: '  Démo / Test figures!: made up' })).name).toBe(`seglet-demo-test-figures-${doc.from}-to-${doc.to}.csv`)
    await draw(doc)
    expect(document.getElementById('notice')!.hidden).toBe(true)
    expect(document.title).toBe('Seglet insights')
    const own = await downloaded(doc)
    expect(own.name).toBe(`seglet-figures-${doc.from}-to-${doc.to}.csv`)
    expect(parseCsv(own.text.slice(1)).filter((r) => r[0] === 'notice')).toEqual([])
  })

  it('with no reports yet, offers neither a download nor a rewrite of nothing, and draws the window\'s days as the facts give them', async () => {
    const charts: { data: { labels: string[] } }[] = []
    const doc = { ...insightsOf(0), from: '2026-11-27', to: '2026-11-29' }
    await draw(doc, charts)
    expect(document.getElementById('download')!.hidden).toBe(true)
    expect(document.getElementById('download-format-label')!.hidden).toBe(true)
    expect(document.getElementById('regenerate')!.hidden).toBe(true)
    expect(document.getElementById('regenerate-none')!.hidden).toBe(false)
    expect(document.getElementById('regenerate-none')!.textContent).toMatch(/once reports arrive/)
    // The chart's days are the window's, under its note; the table below says the same as the chart, not "no days".
    const day = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' })
    expect(charts[0]!.data.labels).toEqual(['2026-11-27', '2026-11-28', '2026-11-29'].map((d) => day.format(Date.parse(`${d}T00:00:00Z`))))
    expect(document.querySelector('#segments-over-time')!.parentElement!.querySelector('.chart-empty')!.textContent).toBe('No reports on any day of this window yet.')
    expect(cells('segments-daily', 0)).toEqual(['No reports on any day of this window yet.'])
    // Once reports arrive, both are offered again.
    await draw(insightsOf(400))
    expect(document.getElementById('download')!.hidden).toBe(false)
    expect(document.getElementById('regenerate')!.hidden).toBe(false)
    expect(document.getElementById('regenerate-none')!.hidden).toBe(true)
  })

  it('says which pages page value is asked about as they were chosen, not "the most viewed" when no view decided it', async () => {
    const note = () => document.getElementById('page-stats-note')!.textContent!
    // A shop with no more candidates than the question asks about: all of them, however few its reports.
    await draw(insightsOf(400))
    expect(note()).toContain(`asks about all ${TEST_PAGE_KEYS.length} candidate pages`)
    expect(note()).not.toMatch(/most viewed/)
    // A collector given no candidate pages: about none, not "all 0".
    await draw({ ...insightsOf(400), pageKeys: 0, valuePages: [] })
    expect(note()).toContain('asks about no page: the collector was given no candidate pages')
    // More candidates than it asks about, before any report: the first ones in the shop's order.
    const empty = insightsOf(0) as unknown as { valuePages: string[]; reports: number }
    empty.valuePages = TEST_PAGE_KEYS.slice(0, 3)
    await draw(empty)
    expect(note()).toContain('asks about the first 3 candidate pages, in the order the collector was given them')
    expect(note()).not.toMatch(/most viewed/)
    // With reports: ranked by their estimated views, which it says rather than claim they are the most viewed.
    const some = insightsOf(400) as unknown as { valuePages: string[] }
    some.valuePages = some.valuePages.slice(0, 3)
    await draw(some)
    expect(note()).toContain('asks about the 3 pages with the most estimated views')
  })

  it('says how many reports of other packs or ε its figures leave out', async () => {
    const doc = insightsOf(400, 300)
    expect(doc).toMatchObject({ reports: 400, otherGroups: [{ packId: 'session@2+lifetime@1', reports: 300 }] })
    await draw(doc)
    const facts = document.getElementById('facts')!.textContent!
    expect(facts).toContain('400')
    expect(facts).toMatch(/300 reports? of session@2\+lifetime@1 at ε 2/)
  })

  it('lists a candidate page left out of the window\'s estimates, and says why, instead of dropping it', async () => {
    const doc = insightsOf(400) as unknown as { pageKeys: number; partialPageKeys: string[] }
    // As the collector serves a key added to --page-keys after some of the window's raw reports were purged.
    doc.pageKeys += 1
    doc.partialPageKeys = ['help/returns']
    await draw(doc)
    const keys = cells('pages', 0)
    expect(keys).toHaveLength(TEST_PAGE_KEYS.length + 1)
    expect(keys).toContain('help/returns')
    const row = [...document.querySelectorAll('#pages tbody tr')].find((tr) => tr.children[0]!.textContent === 'help/returns')!
    expect(row.textContent).toMatch(/added after/)
  })

  it('folds away the pages without a figure past 20 of them, behind a button that shows them again; the download keeps them', async () => {
    const { doc, quiet } = withQuietPages(insightsOf(4000), 30)
    await draw(doc)
    const rows = () => [...document.querySelectorAll<HTMLTableRowElement>('#pages tbody tr')]
    const hasFigure = (tr: HTMLTableRowElement) => tr.querySelector('.ci') !== null || tr.children[6]!.textContent !== 'no'
    // Every page stays in the table; only those without any figure are folded, and all of them.
    expect(rows()).toHaveLength(TEST_PAGE_KEYS.length + quiet.length)
    const folded = rows().filter((tr) => tr.hidden)
    expect(folded.map((tr) => tr.children[0]!.textContent)).toEqual(expect.arrayContaining(quiet.map((p) => p.key)))
    for (const tr of rows()) expect(tr.hidden, tr.children[0]!.textContent!).toBe(!hasFigure(tr))
    expect(rows().some((tr) => !tr.hidden)).toBe(true)
    const button = document.getElementById('pages-more') as HTMLButtonElement
    expect(document.getElementById('pages-fold')!.hidden).toBe(false)
    expect(button.textContent).toBe(`Show the ${folded.length} pages without figures yet`)
    expect(button.getAttribute('aria-expanded')).toBe('false')
    expect(button.getAttribute('aria-controls')).toBe('pages')
    button.click()
    expect(rows().filter((tr) => tr.hidden)).toEqual([])
    expect(button.textContent).toBe(`Hide the ${folded.length} pages without figures yet`)
    expect(button.getAttribute('aria-expanded')).toBe('true')
    button.click()
    expect(rows().filter((tr) => tr.hidden)).toHaveLength(folded.length)
    // The download holds every page, folded or not.
    const { text } = await downloaded(doc)
    for (const p of quiet) expect(text).toContain(`pages,,${p.key},share of views (of each session's last 12 keyed pages),`)
    // With no page showing a figure yet, the folded table says so instead of standing empty.
    const none = withQuietPages(insightsOf(4000), 30).doc
    none.insights.pages = none.insights.pages.map((p) => ({ ...quiet[0]!, key: p.key }))
    await draw(none)
    const shown = () => rows().filter((tr) => !tr.hidden).map((tr) => tr.textContent)
    expect(shown()).toEqual(['No page has a figure yet.'])
    ;(document.getElementById('pages-more') as HTMLButtonElement).click()
    expect(shown()).toHaveLength(TEST_PAGE_KEYS.length + 30)
    expect(shown()).not.toContain('No page has a figure yet.')
    // A shop with few pages (20 or fewer without a figure) sees them all, with no button.
    await draw(insightsOf(4000))
    expect(rows().filter((tr) => tr.hidden)).toEqual([])
    expect(document.getElementById('pages-fold')!.hidden).toBe(true)
  })

  it('keeps the pages without a figure unfolded through its own read of the figures 5 minutes later', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    try {
      document.body.innerHTML = /<body>([\s\S]*)<\/body>/.exec(readFileSync(join(STATIC, 'index.html'), 'utf8'))![1]!
      let reads = 0
      const { doc } = withQuietPages(insightsOf(4000), 30)
      vi.stubGlobal('fetch', async () => (reads++, { ok: true, json: async () => structuredClone(doc) }))
      vi.stubGlobal('Chart', class {})
      new Function(readFileSync(join(STATIC, 'dashboard.js'), 'utf8'))()
      await vi.waitFor(() => expect(document.querySelector('#pages tbody tr[hidden]')).not.toBeNull())
      const before = document.querySelector('#pages tbody')
      ;(document.getElementById('pages-more') as HTMLButtonElement).click()
      expect(document.querySelector('#pages tbody tr[hidden]')).toBeNull()
      await vi.advanceTimersByTimeAsync(5 * 60_000)
      expect(reads).toBe(2)
      // Drawn again from the new read, and still unfolded.
      await vi.waitFor(() => expect(document.querySelector('#pages tbody')).not.toBe(before))
      expect(document.querySelector('#pages tbody tr[hidden]')).toBeNull()
      expect(document.getElementById('pages-more')!.getAttribute('aria-expanded')).toBe('true')
    } finally {
      vi.useRealTimers()
    }
  })

  it('shows the whole shop\'s conversion, average order value, revenue and page views per session with their intervals', async () => {
    const doc = insightsOf(4000) as unknown as { insights: { overall: Record<string, { value: number; low: number; high: number; enough: boolean }> } }
    await draw(doc)
    const figures = [...document.querySelectorAll('#overall > div')].map((d) => d.textContent!)
    expect(figures).toHaveLength(4)
    const { conversion, averageOrderValue, revenuePerSession } = doc.insights.overall
    expect(conversion!.enough).toBe(true)
    expect(figures[0]).toContain('Conversion')
    expect(figures[0]).toContain(`${(conversion!.value * 100).toFixed(1)}%`)
    const money = (x: number) => Math.max(0, x).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 })
    expect(figures[1]).toContain(averageOrderValue!.enough ? money(averageOrderValue!.value) : 'not enough reports yet')
    expect(figures[2]).toContain(revenuePerSession!.enough ? money(revenuePerSession!.value) : 'not enough reports yet')
    expect(figures[3]).toMatch(/^Page views per session \(of each session's last 12 keyed pages\)(\d+\.\d|not enough)/)
    // Before any report, each figure says so in place.
    await draw(insightsOf(0))
    expect([...document.querySelectorAll('#overall > div')].map((d) => d.textContent)).toEqual([
      'Conversionno reports', 'Average order valueno reports', 'Revenue per sessionno reports', "Page views per session (of each session's last 12 keyed pages)no reports",
    ])
  })

  it('says the money figures are estimated from order-value bands, naming each band and the value it counts for, in the shop\'s currency units as they are', async () => {
    const doc = insightsOf(4000) as unknown as { currency?: string }
    await draw(doc)
    const note = document.getElementById('order-value-note')!.textContent!
    const n = (x: number) => x.toLocaleString(undefined, { maximumFractionDigits: 1 })
    expect(note).toContain('estimated from order-value bands')
    expect(note).toContain(`${n(0)}–${n(25)} (counted as ${n(12.5)}), ${n(25)}–${n(50)} (${n(37.5)}), ${n(50)}–${n(100)} (${n(75)}), ${n(100)}–${n(250)} (${n(175)}), ${n(250)}–${n(500)} (${n(375)}), ${n(500)} and above (${n(750)})`)
    expect(note).toContain("in the shop's currency units as they are")
    expect(note).toContain('more than 10% of orders are in the top band, or more than 70% in the lowest, these figures are not shown')
    doc.currency = 'JPY'
    await draw(doc)
    expect(document.getElementById('order-value-note')!.textContent).toContain(`(here JPY: the top band starts at ${new Intl.NumberFormat(undefined, { style: 'currency', currency: 'JPY' }).format(500)})`)
  })

  it('says why, in place of the money figures, where the order-value bands cannot measure the shop\'s order values', async () => {
    type E = { value: number; low: number; high: number; enough: boolean; reason?: string }
    const doc = insightsOf(4000) as unknown as { insights: { overall: Record<string, E>; segments: { revenuePerSession: E }[]; pages: { key: string; valueReports: number; pageValue: E }[] } }
    const reason = "an estimated 96% of orders are in the top order-value band (500 and above, counted as 750 each), over the 10% it can stand: this shop's order values cannot be measured with these bands"
    const hidden = (value: number): E => ({ value, low: value - 5, high: value + 5, enough: false, reason })
    doc.insights.overall.averageOrderValue = hidden(748)
    doc.insights.overall.revenuePerSession = hidden(111)
    for (const s of doc.insights.segments) s.revenuePerSession = hidden(100)
    const page = doc.insights.pages[0]!
    Object.assign(page, { valueReports: 500, pageValue: hidden(200) })
    await draw(doc)
    const figures = [...document.querySelectorAll('#overall > div')].map((d) => d.textContent)
    expect(figures[1]).toBe(`Average order value${reason}`)
    expect(figures[2]).toBe(`Revenue per session${reason}`)
    // In a table, its last clause.
    expect(new Set(cells('segments', 3))).toEqual(new Set(["this shop's order values cannot be measured with these bands"]))
    expect(cells('pages', 5)[cells('pages', 0).indexOf(page.key)]).toBe("this shop's order values cannot be measured with these bands")
    // The download says it in full, with no figure.
    const rows = parseCsv((await downloaded(doc)).text.slice(1))
    const aov = rows.find((r) => r[0] === 'whole shop' && r[3] === 'average order value')!
    expect(aov.slice(4, 8)).toEqual(['', '', '', reason])
    expect(rows.find((r) => r[0] === 'pages' && r[2] === page.key && r[3] === 'page value')![7]).toBe(reason)
  })

  it('greys a lift whose interval spans 0 and says it is not distinguishable from 0 yet, on the page and in the download', async () => {
    type Lift = { difference: object; distinguishableFromZero?: boolean }
    const doc = insightsOf(4000) as unknown as { insights: { lift: Lift } }
    const liftFigure = () => [...document.querySelectorAll('#lift > div')].find((d) => d.textContent!.startsWith('Lift'))!
    const status = async () => parseCsv((await downloaded(doc)).text.slice(1)).find((r) => r[0] === 'holdout' && r[3] === 'lift (treatment − holdout)')!
    doc.insights.lift.difference = { value: 0.021, low: -0.039, high: 0.081, enough: true }
    doc.insights.lift.distinguishableFromZero = false
    await draw(doc)
    expect(liftFigure().classList.contains('muted')).toBe(true)
    expect(liftFigure().querySelector('.value')!.textContent).toBe(`${(2.1).toLocaleString(undefined, { minimumFractionDigits: 1, signDisplay: 'exceptZero' })} pts`)
    expect(liftFigure().querySelector('.na')!.textContent).toBe('not distinguishable from 0 yet')
    expect((await status()).slice(4, 8)).toEqual(['0.021', '-0.039', '0.081', 'not distinguishable from 0 yet'])
    // Wholly above 0: a plain figure.
    doc.insights.lift.difference = { value: 0.05, low: 0.01, high: 0.09, enough: true }
    doc.insights.lift.distinguishableFromZero = true
    await draw(doc)
    expect(liftFigure().classList.contains('muted')).toBe(false)
    expect(liftFigure().querySelector('.na')).toBeNull()
    expect((await status())[7]).toBe('')
    // A document without the field (an older collector): judged from the interval.
    delete doc.insights.lift.distinguishableFromZero
    doc.insights.lift.difference = { value: -0.01, low: -0.03, high: 0.005, enough: true }
    await draw(doc)
    expect(liftFigure().classList.contains('muted')).toBe(true)
    // The header says the lift's rule.
    expect(document.querySelector('.lede')!.textContent).toMatch(/lift \(treatment − holdout\) is shown once both conversions are, however wide its own interval; while that interval reaches both sides of 0 it is greyed and marked not distinguishable from 0 yet/)
  })

  it('says when the figures were read as a UTC day and time, as the window\'s days are, not a bare local time', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      // Late on a UTC day: the next day already east of UTC.
      vi.setSystemTime(new Date('2026-12-06T23:46:00Z'))
      await draw(insightsOf(400))
      const updated = [...document.querySelectorAll('#facts div')].find((d) => d.querySelector('dt')!.textContent === 'Updated')!.querySelector('dd')!.textContent
      const time = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }).format(Date.parse('2026-12-06T23:46:00Z'))
      expect(updated).toBe(`2026-12-06 ${time} UTC`)
    } finally {
      vi.useRealTimers()
    }
  })

  it('says "no reports" for a figure not one report answered, and "not enough reports yet" where some did, on the page and in the CSV', async () => {
    type Doc = { reports: number; insights: { reportsByQuestion: Record<string, number>; segments: unknown[] } }
    const doc = insightsOf(40) as unknown as Doc
    // Reports came, but none answered the order question (a thin first day): the whole shop's figures have none behind
    // them, while the segment shares (answered, too few) need more traffic.
    doc.insights.reportsByQuestion.order = 0
    await draw(doc)
    const figures = [...document.querySelectorAll('#overall > div')].map((d) => d.textContent)
    expect(figures.slice(0, 3)).toEqual(['Conversionno reports', 'Average order valueno reports', 'Revenue per sessionno reports'])
    expect(cells('segments', 1).every((c) => c === 'not enough reports yet' || c.includes('95%'))).toBe(true)
    expect(cells('segments', 1)).toContain('not enough reports yet')
    expect(new Set(cells('segments', 3))).toEqual(new Set(['no reports']))
    const rows = parseCsv((await downloaded(doc)).text.slice(1))
    const status = (section: string, measure: string) => [...new Set(rows.filter((r) => r[0] === section && r[3] === measure).map((r) => r[7]))]
    expect(status('whole shop', 'conversion')).toEqual(['no reports'])
    expect(status('segments', 'revenue per session')).toEqual(['no reports'])
    expect(status('segments', 'share of sessions')).toContain('not enough reports yet')
  })

  it('says "no reports" over an empty chart, in the daily table and in the CSV where reports came but none answered its question', async () => {
    type Doc = { reports: number; insights: { reportsByQuestion: Record<string, number> } }
    const doc = insightsOf(40) as unknown as Doc
    // Reports came, but none answered the segment or the outcome question: more traffic of the same kind is not what
    // is missing, as "not enough reports yet" would say; the tables already say "no reports".
    doc.insights.reportsByQuestion.segment = 0
    doc.insights.reportsByQuestion.outcome = 0
    await draw(doc)
    const note = (chart: string) => document.getElementById(chart)!.parentElement!.querySelector('.chart-empty')?.textContent
    expect(new Set(cells('segments', 2))).toEqual(new Set(['no reports']))
    expect(note('conversion-by-segment')).toBe("No reports yet for a segment's conversion.")
    expect(new Set(cells('segments', 1))).toEqual(new Set(['no reports']))
    expect(note('segments-over-time')).toBe('No reports yet for the segment shares.')
    expect(new Set(cells('segments-daily', 1))).toEqual(new Set(['no reports']))
    const rows = parseCsv((await downloaded(doc)).text.slice(1))
    expect([...new Set(rows.filter((r) => r[0] === 'segment shares by day').map((r) => r[7]))]).toEqual(['no reports'])
    // With segment answers, too few, both charts say so as before.
    doc.insights.reportsByQuestion.segment = 7
    doc.insights.reportsByQuestion.outcome = 3
    await draw(doc)
    expect(note('conversion-by-segment')).toBe('No segment has enough reports yet for its conversion.')
    expect(note('segments-over-time')).toMatch(/has enough reports yet for its segment shares\.$/)
    expect(cells('segments-daily', 1)).toContain('not enough reports yet')
  })

  it('says "no reports" in the projections and the page-value note where reports came but none answered their question', async () => {
    type Doc = { reports: number; valuePages: string[]; insights: { reportsByQuestion: Record<string, number> }; traffic: { answer: string; halfWidthNow: number | null; enough: boolean }[] }
    const doc = insightsOf(40) as unknown as Doc
    expect(doc.traffic.map((t) => t.enough)).toEqual([false, false, false, false])
    // Reports came, but none answered the segment, outcome or page questions: more traffic of the same kind is not
    // what is missing there. The holdout's arm question was answered: its projection keeps "not enough reports yet".
    for (const q of ['segment', 'outcome', 'pageView', 'pageExit']) doc.insights.reportsByQuestion[q] = 0
    expect(doc.insights.reportsByQuestion.arm).toBeGreaterThan(0)
    doc.valuePages = doc.valuePages.slice(0, 3)
    await draw(doc)
    expect(cells('traffic', 3)).toEqual(['no reports', 'no reports', 'not enough reports yet', 'no reports'])
    // An interval behind too few answers says the same as the status beside it.
    doc.traffic.forEach((t, i) => {
      if (t.halfWidthNow !== null) expect(cells('traffic', 1)[i]).toBe(i === 2 ? 'not enough reports yet' : 'no reports')
    })
    const rows = parseCsv((await downloaded(doc)).text.slice(1)).filter((r) => r[0] === 'projections' && r[3] === 'half-width now')
    doc.traffic.forEach((t, i) => {
      if (t.halfWidthNow !== null) expect(rows[i]![7]).toBe(i === 2 ? 'not enough reports yet' : 'no reports')
    })
    // No view is estimated without a page-view answer: the pages asked about are the first candidates, as before any report.
    const note = document.getElementById('page-stats-note')!.textContent!
    expect(note).toContain('asks about the first 3 candidate pages, in the order the collector was given them (no reports of page views yet')
    expect(note).not.toMatch(/most estimated views/)
    // With answers, too few, each says so as before.
    Object.assign(doc.insights.reportsByQuestion, { segment: 7, outcome: 3, pageView: 5, pageExit: 2 })
    await draw(doc)
    expect(cells('traffic', 3)).toEqual(Array(4).fill('not enough reports yet'))
    // Page-view answers came, too few for any page's views to be estimated: still the first candidates, said so.
    expect(document.getElementById('page-stats-note')!.textContent).toContain('asks about the first 3 candidate pages, in the order the collector was given them (no views are estimated yet)')
  })

  it('draws the conversion interval as a thin line across its bar, not a second bar, however few segments there are', async () => {
    // One segment's bar fills a wide chart; Chart.js sizes a bar from its category's width unless capped.
    const doc = insightsOf(4000) as unknown as { insights: { segments: object[] } }
    doc.insights.segments.length = 1
    const charts: { type: string; data: { datasets: { label: string; maxBarThickness?: number }[] } }[] = []
    await draw(doc, charts)
    const [bar, interval] = charts.find((c) => c.type === 'bar')!.data.datasets
    expect(interval!.label).toBe('95% interval')
    expect(interval!.maxBarThickness).toBeLessThanOrEqual(4)
    expect(bar!.maxBarThickness).toBeGreaterThan(8 * interval!.maxBarThickness!)
  })

  it('draws a conversion estimate below zero as an empty bar on a 0–100% axis, not hidden under it', async () => {
    const doc = insightsOf(4000) as unknown as { insights: { segments: { conversion: object }[] } }
    // As an unbiased estimate of a segment that rarely orders can come out.
    doc.insights.segments[0]!.conversion = { value: -0.004, low: -0.02, high: 0.012, enough: true }
    const charts: { type: string; data: { datasets: { data: unknown[] }[] }; options: { scales: { y: { min: number; suggestedMax?: number } } } }[] = []
    await draw(doc, charts)
    const bars = charts.find((c) => c.type === 'bar')!
    expect(bars.data.datasets[0]!.data[0]).toBe(0)
    for (const v of bars.data.datasets[0]!.data as number[]) expect(v).toBeGreaterThanOrEqual(0)
    // With nothing to draw, the axis still reads as a percentage, 0–100%, not Chart.js's 0–1.0.
    charts.length = 0
    await draw(insightsOf(0), charts)
    expect(charts.find((c) => c.type === 'bar')!.options.scales.y).toMatchObject({ min: 0, suggestedMax: 100 })
  })

  it('explains "not enough reports yet" in text on the page, not only in a tooltip a keyboard or touch cannot open', async () => {
    await draw(insightsOf(40))
    expect(document.querySelectorAll('#traffic .na, #segments .na, #pages .na').length).toBeGreaterThan(0)
    // Said once, as text every reader gets, and no cell hides an explanation in a hover title.
    const lede = document.querySelector('header .lede')!.textContent!.replace(/\s+/g, ' ')
    expect(lede).toMatch(/too few reports, or an interval too wide to read/i)
    // And what a shown interval means: the rule that shows a figure reads the figure, and its interval allows for that.
    expect(lede).toContain('A figure is shown once its 95% interval is no wider than the figure (for a rate, no wider than the larger of the rate and 20 points)')
    expect(lede).toContain('the intervals shown hold the true figure about 95% of the time')
    expect([...document.querySelectorAll('[title]')].map((e) => e.getAttribute('title'))).toEqual([])
  })

  it('draws every segment line in a colour of at least 3:1 against the card, and no two lines alike, up to 16 segments', async () => {
    const doc = insightsOf(400) as unknown as { insights: { segments: { leaf: number | null }[] } }
    // As many segments as a pack can have (16 leaves), and sessions without one.
    const template = doc.insights.segments[0]!
    doc.insights.segments = [...Array.from({ length: 16 }, (_, leaf) => leaf), null].map((leaf) => ({ ...template, leaf }))
    const charts: { type: string; data: { datasets: { borderColor?: string; backgroundColor?: string; borderDash?: number[] }[] } }[] = []
    await draw(doc, charts)
    const card = /--card:\s*(#[0-9a-f]{3,6})/i.exec(readFileSync(join(STATIC, 'dashboard.css'), 'utf8'))![1]!
    const lines = charts.find((c) => c.type === 'line')!.data.datasets
    expect(lines).toHaveLength(17)
    for (const d of lines) expect(contrast(d.borderColor!, card), d.borderColor).toBeGreaterThanOrEqual(3)
    expect(new Set(lines.map((d) => `${d.borderColor} ${(d.borderDash ?? []).join(',')}`)).size).toBe(17)
    // The conversion bar too, as drawn over the card.
    for (const d of charts.find((c) => c.type === 'bar')!.data.datasets) expect(contrast(d.backgroundColor!, card), d.backgroundColor).toBeGreaterThanOrEqual(3)
  })

  // Thin lines are told apart by colour far less easily than large areas: a CIEDE2000 difference of 30 with normal
  // colour vision (a purple and a magenta 20 apart were mistaken for each other), and of 15 under simulated
  // protanopia, deuteranopia (about 1 in 12 men see one of these ways) and tritanopia.
  const TELL_APART: Record<ColourVision, number> = { normal: 30, protanopia: 15, deuteranopia: 15, tritanopia: 15 }
  it.each([
    [1, 'light'],
    [5, 'light'],
    [9, 'light'],
    [17, 'light'],
    [1, 'dark'],
    [5, 'dark'],
    [9, 'dark'],
    [17, 'dark'],
  ] as const)('draws %i segment lines in colours told apart with and without red or green cones, each 3:1 against the %s card', async (n, scheme) => {
    const doc = insightsOf(400) as unknown as { insights: { segments: { leaf: number | null }[] } }
    const template = doc.insights.segments[0]!
    doc.insights.segments = [...Array.from({ length: n - 1 }, (_, leaf) => leaf), null].map((leaf) => ({ ...template, leaf }))
    const charts: { type: string; data: { datasets: { borderColor: string; borderDash?: number[]; backgroundColor?: string }[] } }[] = []
    vi.stubGlobal('matchMedia', (query: string) => ({ matches: scheme === 'dark' && query === '(prefers-color-scheme: dark)', addEventListener() {} }))
    await draw(doc, charts)
    // The card of the scheme: the stylesheet's first --card, or the one its dark colour scheme sets.
    const css = readFileSync(join(STATIC, 'dashboard.css'), 'utf8')
    const cardOf = (text: string) => /--card:\s*(#[0-9a-f]{3,6})/i.exec(text)![1]!
    const card = scheme === 'dark' ? cardOf(/@media \(prefers-color-scheme: dark\)[^}]*\}/.exec(css)![0]) : cardOf(css)
    expect(card).toBe(scheme === 'dark' ? '#1d232b' : '#fff')
    const lines = charts.find((c) => c.type === 'line')!.data.datasets
    for (const d of lines) expect(contrast(d.borderColor, card), d.borderColor).toBeGreaterThanOrEqual(3)
    // The conversion bar as drawn over the card, and its interval line over the bar.
    const [bar, interval] = charts.find((c) => c.type === 'bar')!.data.datasets
    expect(contrast(bar!.backgroundColor!, card), bar!.backgroundColor).toBeGreaterThanOrEqual(3)
    const barOnCard = `rgb(${rgb(bar!.backgroundColor!, rgb(card)).map(Math.round).join(',')})`
    expect(contrast(interval!.backgroundColor!, barOnCard), interval!.backgroundColor).toBeGreaterThanOrEqual(3)
    // Every two lines the chart draws at once: of two colours, far enough apart for every reader; of one, dashed apart.
    for (const [i, x] of lines.entries()) {
      for (const y of lines.slice(i + 1)) {
        if (x.borderColor === y.borderColor) {
          expect(String(x.borderDash), `${x.borderColor} twice`).not.toBe(String(y.borderDash))
          continue
        }
        for (const vision of Object.keys(COLOUR_VISION) as ColourVision[]) {
          expect(colourDifference(rgb(x.borderColor), rgb(y.borderColor), vision), `${x.borderColor} against ${y.borderColor}, ${vision}`).toBeGreaterThanOrEqual(TELL_APART[vision])
        }
      }
    }
    // The legend draws each line's swatch as the line is drawn: solid, dashed or dotted.
    const swatches = [...document.querySelectorAll<HTMLElement>('.chart:has(#segments-over-time) + .legend .swatch')]
    expect(swatches.map((s) => s.style.borderTopStyle)).toEqual(lines.map((d) => (!d.borderDash?.length ? 'solid' : d.borderDash[0]! > 3 ? 'dashed' : 'dotted')))
    expect(new Set(swatches.map((s) => `${s.style.borderTopColor} ${s.style.borderTopStyle}`)).size).toBe(n)
  })

  it.each([
    ['the collector fails (its database is down)', async () => ({ ok: false, status: 500, json: async () => ({ error: 'internal' }) }), /collector ran into an error/, 'HTTP 500: internal'],
    ['a sign-in in front of the collector refuses with a page', async () => ({ ok: false, status: 401, json: async () => JSON.parse('<!doctype html>') }), /not signed in/i, 'HTTP 401'],
    ['the collector cannot be reached (not running)', async () => { throw new TypeError('Failed to fetch') }, /collector could not be reached.*running/, 'Failed to fetch'],
    ['the proxy in front of the collector cannot reach it', async () => ({ ok: false, status: 502, json: async () => JSON.parse('<html>') }), /collector could not be reached.*running/, 'HTTP 502'],
    [
      "the collector's database does not answer in time",
      async () => ({ ok: false, status: 503, headers: new Headers({ 'retry-after': '20' }), json: async () => ({ error: 'storage_timeout', message: 'the database did not answer in time' }) }),
      /^Could not load the figures: the collector is running, but its database did not answer in time: try again in 20 seconds; if it keeps happening, the collector's operator should check that its database is up and reachable$/,
      'HTTP 503: storage_timeout',
    ],
    [
      "the collector's database cannot sum the reports stored last (a full disk)",
      async () => ({ ok: false, status: 503, json: async () => ({ error: 'storage_failed', message: "the database's disk is full" }) }),
      /^Could not load the figures: the collector is running, but its database cannot add the latest reports to the figures, most often because its disk is full: the collector's operator should free space on the database's disk, or check that the database is up and can write, then try again; no stored report is lost/,
      'HTTP 503: storage_failed',
    ],
  ])('says in plain words what went wrong and what to do when %s, with the code in smaller text', async (_, answer, said, code) => {
    document.body.innerHTML = /<body>([\s\S]*)<\/body>/.exec(readFileSync(join(STATIC, 'index.html'), 'utf8'))![1]!
    vi.stubGlobal('fetch', answer)
    vi.stubGlobal('Chart', class {})
    new Function(readFileSync(join(STATIC, 'dashboard.js'), 'utf8'))()
    const status = () => document.querySelector('#facts dd')!
    await vi.waitFor(() => expect(status().textContent).toMatch(/^Could not load the figures/))
    const detail = status().querySelector('.detail')!
    expect(detail.textContent).toBe(code)
    // The words before the code: what happened, and what to do about it, with no server code or browser text.
    const words = status().textContent!.slice(0, -code.length)
    expect(words).toMatch(said)
    expect(words).toMatch(/(reload this page|try again)/i)
    expect(words).not.toMatch(/HTTP|internal|Failed to fetch/)
    // Said to a screen reader as it appears: the page is otherwise silent, with "loading…" where the figures go.
    expect(status().getAttribute('role')).toBe('alert')
  })

  it.each([-0.0004, 0.0004])('writes a lift of %f as 0.0 pts, with no sign a tenth of a point would not show', async (value) => {
    const doc = insightsOf(400) as unknown as { insights: { lift: { difference: object } } }
    doc.insights.lift.difference = { value, low: -0.0213, high: 0.0205, enough: true }
    await draw(doc)
    const lift = [...document.querySelectorAll('#lift > div')].find((d) => d.textContent!.startsWith('Lift'))!
    expect(lift.querySelector('.value')!.textContent).toBe('0.0 pts')
    expect(lift.querySelector('.ci')!.textContent).toBe('95%: -2.1 pts to +2.1 pts')
  })

  it('says the same of a listed page\'s sessions viewing it as of its page value, both from the page-value answer', async () => {
    const doc = insightsOf(400) as unknown as { valuePages: string[]; insights: { pages: { key: string; valueReports: number }[] } }
    // Pages the next table lists for the page-value answer, that no report has answered about yet.
    const waiting = doc.insights.pages.filter((p) => p.valueReports === 0 && doc.valuePages.includes(p.key)).map((p) => p.key)
    expect(waiting.length).toBeGreaterThan(0)
    await draw(doc)
    for (const tr of document.querySelectorAll('#pages tbody tr')) {
      if (!waiting.includes(tr.children[0]!.textContent!)) continue
      expect([tr.children[4]!.textContent, tr.children[5]!.textContent]).toEqual(['in the next page-statistics table', 'in the next page-statistics table'])
    }
  })

  it('after a table rewrite shows the new table, even when the figures it loaded first arrive after the new ones', async () => {
    const html = readFileSync(join(STATIC, 'index.html'), 'utf8')
    document.body.innerHTML = /<body>([\s\S]*)<\/body>/.exec(html)![1]!
    const before = insightsOf(400)
    const after = { ...before, pageStats: { path: '/seglet/page-stats.json', integrity: 'sha256-new', day: DAY } }
    // The first figures are slow to come (a large window); the rewrite and the figures after it are quick.
    let first: (value: unknown) => void = () => {}
    let insightsCalls = 0
    vi.stubGlobal('fetch', async (url: string, init?: { method?: string }) => {
      if (init?.method === 'POST') return { ok: true, status: 200, json: async () => ({ pages: 3, integrity: 'sha256-new' }) }
      if (++insightsCalls === 1) return new Promise((resolve) => (first = resolve))
      return { ok: true, json: async () => after }
    })
    vi.stubGlobal('Chart', class {})
    new Function(readFileSync(join(STATIC, 'dashboard.js'), 'utf8'))()
    ;(document.getElementById('regenerate') as HTMLButtonElement).click()
    const note = () => document.getElementById('page-stats-note')!.textContent
    await vi.waitFor(() => expect(note()).toContain('sha256-new'))
    first({ ok: true, json: async () => before })
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(note()).toContain('sha256-new')
  })

  it('says which pages the table last written holds, not which pages an estimate right now would publish', async () => {
    const doc = insightsOf(4000) as unknown as { publishedPages: number; pageKeys: number; pageStats?: object; insights: { pages: { key: string; published: boolean }[] } }
    // As the estimate over the window stands right now: the first three pages would be published.
    doc.insights.pages.forEach((p, i) => (p.published = i < 3))
    doc.publishedPages = 3
    const now = doc.insights.pages.filter((p) => p.published).map((p) => p.key)
    // Written an hour ago, from fewer reports: it holds one page the estimate now would publish, and one it would not.
    const notNow = doc.insights.pages.find((p) => !p.published)!.key
    doc.pageStats = { path: '/seglet/page-stats.json', integrity: 'sha256-old', day: DAY, pages: [now[0], notNow] }
    await draw(doc)
    const inTable = Object.fromEntries([...document.querySelectorAll('#pages tbody tr')].map((tr) => [tr.children[0]!.textContent, tr.children[6]!.textContent]))
    expect(inTable[now[0]!]).toMatch(/^yes/)
    expect(inTable[notNow]).toMatch(/^yes/)
    for (const key of now.slice(1)) expect(inTable[key]).toMatch(/^no/)
    const facts = Object.fromEntries([...document.querySelectorAll('#facts div')].map((d) => [d.children[0]!.textContent, d.children[1]!.textContent]))
    expect(facts['Published pages']).toMatch(new RegExp(`^2 of ${doc.pageKeys}`))
    // Before any table is written, no page is in it, whatever the estimate now.
    delete doc.pageStats
    await draw(doc)
    expect(cells('pages', 6).every((c) => /^no/.test(c))).toBe(true)
    expect(document.getElementById('facts')!.textContent).toContain(`Published pages0 of ${doc.pageKeys}`)
  })

  it('says what the table gives of each page, rates, a page value or both, and what a rewrite now would give', async () => {
    type Page = { key: string; published: boolean; ratesPublished: boolean; pageValue: { enough: boolean } }
    const doc = insightsOf(4000) as unknown as { pageStats?: object; insights: { pages: Page[] } }
    const [a, b, c, d, e] = doc.insights.pages.map((p) => p.key)
    // Now: a with both, b with its page value alone, c with its rates alone, d with its page value alone, e not at all.
    const next: Record<string, [boolean, boolean]> = { [a!]: [true, true], [b!]: [false, true], [c!]: [true, true], [d!]: [false, false], [e!]: [false, true] }
    for (const p of doc.insights.pages) {
      const [rates, value] = next[p.key] ?? [false, false]
      Object.assign(p, { ratesPublished: rates, published: rates || value, pageValue: { ...p.pageValue, enough: value } })
    }
    doc.pageStats = { path: '/seglet/page-stats.json', integrity: 'sha256-old', day: DAY, pages: [a, b, c, d], withRates: [a, c], withValue: [a, b, d] }
    await draw(doc)
    const inTable = Object.fromEntries([...document.querySelectorAll('#pages tbody tr')].map((tr) => [tr.children[0]!.textContent, tr.children[6]!.textContent]))
    expect([a, b, c, d, e].map((key) => inTable[key!])).toEqual(['rates and page value', 'page value', 'rates, next: rates and page value', 'page value, next: no', 'no, next: page value'])
  })

  it('names the table under its own name, and tells the shop to render its pages from the pointer, not page-stats.json', async () => {
    const doc = insightsOf(400) as Record<string, unknown>
    const file = `page-stats-${'3f'.repeat(32)}.json`
    doc.pageStats = { path: '/seglet/page-stats.json', file, integrity: 'sha256-P/8n', day: DAY }
    await draw(doc)
    const note = document.getElementById('page-stats-note')!.textContent!
    expect(note).toContain(`/seglet/${file}`)
    expect(note).toContain('integrity sha256-P/8n')
    expect(note).toContain('page-stats.current.json')
    // Not that browsers load the fixed page-stats.json with this integrity: a page rendered so refuses the next table.
    expect(note).not.toMatch(/loads? [^.]*from \/seglet\/page-stats\.json/)
  })

  it('says where the answer came from when a sign-in in front of the collector redirects to its own page', async () => {
    document.body.innerHTML = /<body>([\s\S]*)<\/body>/.exec(readFileSync(join(STATIC, 'index.html'), 'utf8'))![1]!
    // The session ran out: the sign-in answers insights.json with a redirect to its login page, which fetch follows.
    vi.stubGlobal('fetch', async () => ({ ok: true, status: 200, redirected: true, url: 'https://shop.example/admin/login', json: async () => JSON.parse('<!doctype html>') }))
    vi.stubGlobal('Chart', class {})
    new Function(readFileSync(join(STATIC, 'dashboard.js'), 'utf8'))()
    await vi.waitFor(() => expect(document.getElementById('facts')!.textContent).toContain('Could not load the figures'))
    const status = document.querySelector('#facts dd')!
    expect(status.textContent).toMatch(/^Could not load the figures: the answer was a web page, not the figures: most likely the shop's sign-in/)
    expect(status.querySelector('.detail')!.textContent).toBe('HTTP 200 from https://shop.example/admin/login')
  })

  it('tries again by itself every 5 minutes after a first read that failed, without writing (and announcing) the same alert again', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    try {
      document.body.innerHTML = /<body>([\s\S]*)<\/body>/.exec(readFileSync(join(STATIC, 'index.html'), 'utf8'))![1]!
      let reads = 0
      let doc: unknown = null
      vi.stubGlobal('fetch', async () => {
        reads++
        if (!doc) throw new TypeError('Failed to fetch')
        return { ok: true, json: async () => doc }
      })
      vi.stubGlobal('Chart', class {})
      new Function(readFileSync(join(STATIC, 'dashboard.js'), 'utf8'))()
      await vi.waitFor(() => expect(document.querySelector('#facts .problem')).not.toBeNull())
      const alert = document.querySelector('#facts .problem')!
      expect(alert.getAttribute('role')).toBe('alert')
      await vi.advanceTimersByTimeAsync(5 * 60_000 - 1000)
      expect(reads).toBe(1)
      await vi.advanceTimersByTimeAsync(1000)
      expect(reads).toBe(2)
      // Failed the same way: the alert is the one already there.
      expect(document.querySelector('#facts .problem')).toBe(alert)
      doc = insightsOf(400)
      await vi.advanceTimersByTimeAsync(5 * 60_000)
      expect(reads).toBe(3)
      await vi.waitFor(() => expect(document.querySelector('#traffic tbody')).not.toBeNull())
      expect(document.querySelector('#facts .problem')).toBeNull()
      expect(document.getElementById('facts')!.textContent).toContain('Updated')
    } finally {
      vi.useRealTimers()
    }
  })

  it('folds the conversion chart to its note, without an empty axis or legend, while no segment has a readable conversion', async () => {
    const box = () => document.getElementById('conversion-by-segment')!.parentElement!
    const legend = () => box().nextElementSibling?.classList.contains('legend') ?? false
    for (const [n, note] of [[0, 'No reports yet for a segment\'s conversion.'], [40, 'No segment has enough reports yet for its conversion.']] as const) {
      await draw(insightsOf(n))
      expect(box().classList.contains('bare')).toBe(true)
      expect(box().querySelector('.chart-empty')!.textContent).toBe(note)
      expect(legend()).toBe(false)
    }
    // Once a segment's conversion is readable, the chart and its legend are back.
    await draw(withConversion(insightsOf(4000)))
    expect(box().classList.contains('bare')).toBe(false)
    expect(box().querySelector('.chart-empty')).toBeNull()
    expect(legend()).toBe(true)
  })

  it('gives each chart a text alternative screen readers announce', async () => {
    await draw(insightsOf(400))
    for (const canvas of document.querySelectorAll('canvas')) {
      expect(canvas.getAttribute('role')).toBe('img')
      expect(canvas.getAttribute('aria-label')).toBeTruthy()
    }
  })
})

describe('dashboard: rewriting the page-statistics table', () => {
  /** The dashboard with its rewrite answered when the test says so; `posts` counts the rewrites asked for. */
  async function withSlowRewrite(answer: () => unknown) {
    document.body.innerHTML = /<body>([\s\S]*)<\/body>/.exec(readFileSync(join(STATIC, 'index.html'), 'utf8'))![1]!
    const doc = insightsOf(400)
    const state = { posts: 0, finish: () => {} }
    vi.stubGlobal('fetch', async (_url: string, init?: { method?: string }) => {
      if (init?.method !== 'POST') return { ok: true, json: async () => doc }
      state.posts++
      return new Promise((resolve, reject) => (state.finish = () => { try { resolve(answer()) } catch (error) { reject(error) } }))
    })
    vi.stubGlobal('Chart', class {})
    new Function(readFileSync(join(STATIC, 'dashboard.js'), 'utf8'))()
    await vi.waitFor(() => expect(document.querySelector('#pages tbody')).not.toBeNull())
    return state
  }
  const button = () => document.getElementById('regenerate') as HTMLButtonElement
  const status = () => document.getElementById('regenerate-result')!.textContent

  it.each([
    ['written', () => ({ ok: true, status: 200, json: async () => ({ pages: 3, integrity: 'sha256-new' }) }), /^Written: 3 pages, sha256-new$/],
    ['refused', () => ({ ok: false, status: 500, json: async () => ({ error: 'internal' }) }), /^The table was not rewritten: the collector ran into an error [^()]*try again[^()]* \(HTTP 500: internal\)$/],
    ['unreachable', () => { throw new TypeError('Failed to fetch') }, /^The table was not rewritten: the collector could not be reached[^()]*running[^()]* \(Failed to fetch\)$/],
    // A rewrite the silent database still holds is written once it answers: not told as not done.
    [
      'answered that its database did not answer in time',
      () => ({ ok: false, status: 503, headers: new Headers({ 'retry-after': '20' }), json: async () => ({ error: 'storage_timeout' }) }),
      /^The table is not rewritten yet: the collector is running, but its database did not answer in time: try again in 20 seconds[^()]* \(HTTP 503: storage_timeout\)$/,
    ],
  ])('says it is busy while a rewrite runs, asks for no second one meanwhile, and is ready again once %s', async (_, answer, said) => {
    const state = await withSlowRewrite(answer)
    button().click()
    await vi.waitFor(() => expect(state.posts).toBe(1))
    expect(button().getAttribute('aria-disabled')).toBe('true')
    expect(button().getAttribute('aria-busy')).toBe('true')
    expect(status()).toMatch(/^Rewriting/)
    // Clicked again while the heavy rewrite runs: no second rewrite is queued behind it.
    button().click()
    button().click()
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(state.posts).toBe(1)
    state.finish()
    await vi.waitFor(() => expect(status()).toMatch(said))
    expect(button().getAttribute('aria-disabled')).not.toBe('true')
    expect(button().getAttribute('aria-busy')).not.toBe('true')
    button().click()
    await vi.waitFor(() => expect(state.posts).toBe(2))
  })
})

describe('dashboard: chart tooltips', () => {
  type Tooltip = { callbacks: { label(context: { raw: unknown; dataset: { label: string }; datasetIndex: number; dataIndex: number }): string } }
  type Config = { type: string; data: { datasets: { label: string; data: unknown[] }[] }; options: { plugins: { tooltip?: Tooltip } } }
  const say = (chart: Config, dataset: number, raw: unknown, dataIndex = 0) => {
    const label = chart.options.plugins.tooltip?.callbacks?.label
    // Without a callback Chart.js writes the raw value: "Segment 1: 42.371", or "[17.912, 39.4]" for an interval bar.
    return label
      ? label({ raw, dataset: chart.data.datasets[dataset]!, datasetIndex: dataset, dataIndex })
      : `${chart.data.datasets[dataset]!.label}: ${Array.isArray(raw) ? `[${raw.join(', ')}]` : raw}`
  }

  it('writes a share and a conversion with their unit and in the tables\' format, and an interval as the tables do', async () => {
    const charts: Config[] = []
    const doc = insightsOf(4000) as unknown as { daily: { segments: unknown[] }[]; insights: { segments: { leaf: number | null }[] } }
    // A day whose share of the first segment is readable (one day of these reports is too few for it).
    doc.daily[0]!.segments = [{ leaf: doc.insights.segments[0]!.leaf, share: { value: 0.4237123, low: 0.3811, high: 0.4663, enough: true } }]
    await draw(doc, charts)
    const line = charts.find((c) => c.type === 'line')!
    const bar = charts.find((c) => c.type === 'bar')!
    expect(line.data.datasets[0]!.data[0]).toBeCloseTo(42.37123, 6)
    // A day's share with its interval, as the daily table writes it: a day's estimate is far noisier than the window's.
    expect(say(line, 0, 42.37123)).toBe(`${line.data.datasets[0]!.label}: 42.4% (95%: 38.1% to 46.6%)`)
    expect(say(bar, 0, 3.2149)).toBe('Conversion: 3.2%')
    expect(say(bar, 1, [17.912, 39.4])).toBe('95%: 17.9% to 39.4%')
  })
})

describe('dashboard: the daily chart\'s days', () => {
  it('names each day in the reader\'s own way, not as a bare "11-29" a reader of day-month dates misreads', async () => {
    const charts: { type: string; data: { labels: string[] } }[] = []
    const doc = insightsOf(400) as unknown as { daily: { day: string }[] }
    await draw(doc, charts)
    const labels = charts.find((c) => c.type === 'line')!.data.labels
    const own = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' })
    expect(labels).toEqual(doc.daily.map((d) => own.format(Date.parse(`${d.day}T00:00:00Z`))))
    for (const label of labels) expect(label).not.toMatch(/^\d\d-\d\d$/)
  })
})

describe('dashboard: segment shares over a window of thin days', () => {
  type Share = { value: number; low: number; high: number; enough: boolean }
  type Period = { reports: number; segments: { leaf: number | null; share: Share }[] }
  type Doc = { daily: (Period & { day: string })[]; sevenDays?: (Period & { from: string; to: string })[]; insights: { segments: { leaf: number | null }[] } }
  type Line = { type: string; data: { labels: string[]; datasets: { data: (number | null)[] }[] }; options: { scales: { x: { title?: { text: string } } }; plugins: { tooltip: { callbacks: { title(items: { dataIndex: number }[]): string } } } } }
  const FROM = '2026-11-16'
  /** The insights document of `perDay` reports a day over the `days` days from FROM, as the collector serves it. */
  function windowOf(perDay: number, days = 14): Doc {
    const estimator = createReportEstimator({ pageKeys: TEST_PAGE_KEYS })
    const rows = []
    for (let i = 0; i < days; i++) {
      const day = new Date(Date.parse(`${FROM}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10)
      const parsed = reportBodies(perDay, { day, seed: 20 + i }).map((body) => estimator.parse(JSON.parse(body)))
      const group = estimator.groupOf(parsed[0]!)
      rows.push(...[...estimator.addUp(group, parsed)].map(([counter, value]) => ({ ...group, counter, value })))
    }
    return estimator.insights(rows, { from: FROM, to: new Date(Date.parse(`${FROM}T00:00:00Z`) + (days - 1) * 86_400_000).toISOString().slice(0, 10), epsilon: 2, pageKeyLists: { [pageKeyListId(TEST_PAGE_KEYS)]: TEST_PAGE_KEYS } }) as unknown as Doc
  }
  const shown = (line: Line) => line.data.datasets.flatMap((d) => d.data).filter((v) => v !== null).length

  it('with 600 reports a day for 14 days, draws the shares of each 7 days, pooled, where single days show next to none', async () => {
    const doc = windowOf(600)
    const charts: Line[] = []
    await draw(doc, charts)
    const line = charts.find((c) => c.type === 'line')!
    // The days alone: most shares cannot be shown.
    const dayShares = doc.daily.flatMap((d) => d.segments).filter((s) => s.share.enough).length
    expect(dayShares).toBeLessThan((doc.daily.length * doc.insights.segments.length) / 2)
    // One point per 7 days ending on each day from the 7th, most of them shown.
    expect(line.data.labels).toHaveLength(8)
    expect(shown(line)).toBeGreaterThan(dayShares)
    expect(shown(line)).toBeGreaterThanOrEqual((8 * doc.insights.segments.length) / 2)
    expect(line.options.scales.x.title?.text).toBe('7 days to (UTC day)')
    const own = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' })
    expect(line.options.plugins.tooltip.callbacks.title([{ dataIndex: 7 }])).toBe(`7 days to ${own.format(Date.parse('2026-11-29T00:00:00Z'))} (${own.format(Date.parse('2026-11-23T00:00:00Z'))} – ${own.format(Date.parse('2026-11-29T00:00:00Z'))}, UTC days)`)
    expect(document.getElementById('segments-daily-note')!.textContent).toContain('over the 7 days to each UTC day')
    expect(cells('segments-daily', 0)[7]).toBe('2026-11-23 to 2026-11-29')
    expect(document.getElementById('segments-over-time')!.getAttribute('aria-label')).toBe('Segment shares over each 7 days')
    // The download holds the days and the 7 days alike, each 7 days by their last day.
    const rows = parseCsv((await downloaded(doc)).text.slice(1))
    const weeks = rows.filter((r) => r[0] === 'segment shares over 7 days')
    expect(weeks).toHaveLength(8 * doc.insights.segments.length)
    expect(weeks.filter((r) => r[7] === '').length).toBe(shown(line))
    expect(weeks.at(-1)![1]).toBe('2026-11-29')
    expect(rows.filter((r) => r[0] === 'segment shares by day')).toHaveLength(14 * doc.insights.segments.length)
  })

  it('estimates each 7 days from their reports pooled, with the interval of the 7 days, not an average of the days', () => {
    const doc = windowOf(600)
    const week = doc.sevenDays![7]!
    expect(week).toMatchObject({ from: '2026-11-23', to: '2026-11-29', reports: 4200 })
    // The same reports read as one window of 7 days give the same estimates.
    const estimator = createReportEstimator({ pageKeys: TEST_PAGE_KEYS })
    const rows = []
    for (const [i, day] of doc.daily.slice(7).map((d) => d.day).entries()) {
      const parsed = reportBodies(600, { day, seed: 27 + i }).map((body) => estimator.parse(JSON.parse(body)))
      const group = estimator.groupOf(parsed[0]!)
      rows.push(...[...estimator.addUp(group, parsed)].map(([counter, value]) => ({ ...group, counter, value })))
    }
    const pooled = estimator.insights(rows, { from: '2026-11-23', to: '2026-11-29', epsilon: 2, pageKeyLists: { [pageKeyListId(TEST_PAGE_KEYS)]: TEST_PAGE_KEYS } }) as unknown as { insights: { segments: Period['segments'] } }
    expect(week.segments.map((s) => s.share)).toEqual(pooled.insights.segments.map((s) => s.share))
    // Narrower than any of its days: 7 times the reports.
    for (const s of week.segments) for (const d of doc.daily.slice(7)) expect(s.share.high - s.share.low).toBeLessThan(d.segments.find((x) => x.leaf === s.leaf)!.share.high - d.segments.find((x) => x.leaf === s.leaf)!.share.low)
  })

  it('keeps a point a day where the days have reports enough', async () => {
    const doc = windowOf(4000)
    const charts: Line[] = []
    await draw(doc, charts)
    const line = charts.find((c) => c.type === 'line')!
    expect(line.data.labels).toHaveLength(14)
    expect(line.options.scales.x.title?.text).toBe('UTC day')
    expect(cells('segments-daily', 0)[0]).toBe(FROM)
    expect(document.getElementById('segments-daily-note')!.textContent).toContain('Daily share of sessions')
  })

  it('in a window shorter than 7 days (--window-days 3), pools the whole window where single days show next to none, and says why', async () => {
    const doc = windowOf(600, 3)
    expect(doc.sevenDays).toEqual([])
    const dayShares = doc.daily.flatMap((d) => d.segments).filter((s) => s.share.enough).length
    expect(dayShares).toBeLessThan((doc.daily.length * doc.insights.segments.length) / 2)
    const charts: Line[] = []
    await draw(doc, charts)
    const line = charts.find((c) => c.type === 'line')!
    // One point: the window's own shares, as the segments table gives them, more of them shown than of the days.
    expect(line.data.labels).toHaveLength(1)
    expect(shown(line) / doc.insights.segments.length).toBeGreaterThan(dayShares / (3 * doc.insights.segments.length))
    const window = (doc.insights.segments as unknown as Period['segments']).map((s) => (s.share.enough ? Math.min(100, Math.max(0, s.share.value * 100)) : null))
    expect(line.data.datasets.map((d) => d.data[0])).toEqual(window)
    expect(line.options.scales.x.title?.text).toBe('The whole window (UTC days)')
    expect(cells('segments-daily', 0)).toEqual(['2026-11-16 to 2026-11-18'])
    expect(document.getElementById('segments-over-time')!.getAttribute('aria-label')).toBe('Segment shares over the whole window')
    expect(document.getElementById('segments-daily-note')!.textContent).toMatch(/whole window.*shorter than the 7 days.*--window-days/)
    expect(document.getElementById('segments-daily-note')!.textContent).not.toContain('Gaps are days')
  })

  it('in a window shorter than 7 days, keeps a point a day where the days have reports enough', async () => {
    const charts: Line[] = []
    await draw(windowOf(4000, 3), charts)
    expect(charts.find((c) => c.type === 'line')!.data.labels).toHaveLength(3)
    expect(cells('segments-daily', 0)[0]).toBe(FROM)
  })

  it('says "no reports" for 7 days without a single report (before the shop\'s first), not that they need more reports yet', async () => {
    const doc = windowOf(600) as Doc & { sevenDays: (Period & { otherPackReports: number })[]; daily: (Period & { otherPackReports: number })[] }
    // The shop's reports began on the window's 2nd day: the first day and the 7 days to the 7th have none.
    Object.assign(doc.daily[0]!, { reports: 0, segments: [] })
    Object.assign(doc.sevenDays[0]!, { reports: 0, segments: [] })
    // A period whose reports are all of another pack keeps saying why as before (the note names that pack).
    Object.assign(doc.sevenDays[1]!, { reports: 0, otherPackReports: 30, segments: [] })
    await draw(doc)
    const row = (i: number) => [...document.querySelectorAll('#segments-daily tbody tr')][i]!
    expect([...row(0).querySelectorAll('td')].map((td) => td.textContent)).toEqual(doc.insights.segments.map(() => 'no reports'))
    expect([...row(1).querySelectorAll('td')].map((td) => td.textContent)).toEqual(doc.insights.segments.map(() => 'not enough reports yet'))
    const rows = parseCsv((await downloaded(doc)).text.slice(1))
    const status = (section: string, day: string) => [...new Set(rows.filter((r) => r[0] === section && r[1] === day).map((r) => r[7]))]
    expect(status('segment shares over 7 days', doc.sevenDays[0]!.to)).toEqual(['no reports'])
    expect(status('segment shares over 7 days', doc.sevenDays[1]!.to)).toEqual(['not enough reports yet'])
    expect(status('segment shares by day', doc.daily[0]!.day)).toEqual(['no reports'])
  })

  it('starts a new shop\'s chart at its first reports, not at the window\'s start, and says so, the table keeping every period', async () => {
    const doc = windowOf(600) as Doc & { sevenDays: (Period & { from: string; to: string })[] }
    // The shop's reports began on the window's 3rd day: the first 2 days, and the 7 days to the 7th and 8th, have none.
    for (const d of [doc.daily[0]!, doc.daily[1]!, doc.sevenDays[0]!, doc.sevenDays[1]!]) Object.assign(d, { reports: 0, segments: [] })
    const charts: Line[] = []
    await draw(doc, charts)
    const line = charts.find((c) => c.type === 'line')!
    const rows = document.querySelectorAll('#segments-daily tbody tr')
    expect(rows).toHaveLength(doc.sevenDays.length)
    expect(line.data.labels).toHaveLength(doc.sevenDays.length - 2)
    const day = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' })
    expect(line.data.labels[0]).toBe(day.format(Date.parse(`${doc.sevenDays[2]!.to}T00:00:00Z`)))
    expect(line.options.plugins.tooltip.callbacks.title([{ dataIndex: 0 }])).toContain(line.data.labels[0])
    expect(document.getElementById('segments-daily-note')!.textContent).toContain(`The chart starts at ${line.data.labels[0]}, the first with reports; the table lists the 2 before it as "no reports".`)
    // A window with reports from its first day keeps its whole axis, and says nothing of it.
    charts.length = 0
    await draw(windowOf(600), charts)
    expect(charts.find((c) => c.type === 'line')!.data.labels).toHaveLength(doc.sevenDays.length)
    expect(document.getElementById('segments-daily-note')!.textContent).not.toContain('The chart starts at')
  })

  it('draws an insights.json written without 7-day periods by day, as before', async () => {
    const doc = windowOf(600)
    delete doc.sevenDays
    const charts: Line[] = []
    await draw(doc, charts)
    expect(charts.find((c) => c.type === 'line')!.data.labels).toHaveLength(14)
    expect(cells('segments-daily', 0)[0]).toBe(FROM)
  })
})

describe('dashboard: a rewrite answered by a sign-in page', () => {
  it('says where the answer came from when the sign-in redirects the rewrite to its own page, not "HTTP 200"', async () => {
    document.body.innerHTML = /<body>([\s\S]*)<\/body>/.exec(readFileSync(join(STATIC, 'index.html'), 'utf8'))![1]!
    const doc = insightsOf(400)
    let posts = 0
    // The session ran out: the sign-in answers the POST with a redirect to its login page, which fetch follows.
    vi.stubGlobal('fetch', async (_url: string, init?: { method?: string }) => {
      if (init?.method !== 'POST') return { ok: true, json: async () => doc }
      posts++
      return { ok: true, status: 200, redirected: true, url: 'https://shop.example/admin/login', json: async () => JSON.parse('<!doctype html>') }
    })
    vi.stubGlobal('Chart', class {})
    new Function(readFileSync(join(STATIC, 'dashboard.js'), 'utf8'))()
    await vi.waitFor(() => expect(document.querySelector('#pages tbody')).not.toBeNull())
    ;(document.getElementById('regenerate') as HTMLButtonElement).click()
    await vi.waitFor(() => expect(document.getElementById('regenerate-result')!.textContent).toMatch(/^The table was not rewritten: /))
    expect(posts).toBe(1)
    expect(document.getElementById('regenerate-result')!.textContent).toMatch(/^The table was not rewritten: the answer was a web page, not the table: most likely the shop's sign-in[^()]* \(HTTP 200 from https:\/\/shop\.example\/admin\/login\)$/)
  })
})

describe('dashboard: a series hidden from a chart\'s legend', () => {
  it('stays hidden when a rewrite draws the charts again, until the marketer shows it again', async () => {
    document.body.innerHTML = /<body>([\s\S]*)<\/body>/.exec(readFileSync(join(STATIC, 'index.html'), 'utf8'))![1]!
    const doc = withConversion(insightsOf(4000))
    vi.stubGlobal('fetch', async (_url: string, init?: { method?: string }) =>
      init?.method === 'POST' ? { ok: true, status: 200, json: async () => ({ pages: 3, integrity: 'sha256-new' }) } : { ok: true, json: async () => doc },
    )
    // As Chart.js does: a dataset configured `hidden` starts hidden; the legend's buttons switch it.
    type Dataset = { label: string; hidden?: boolean }
    const charts: { canvas: HTMLCanvasElement; datasets: Dataset[]; visible: boolean[] }[] = []
    vi.stubGlobal('Chart', class {
      canvas: HTMLCanvasElement
      datasets: Dataset[]
      visible: boolean[]
      constructor(canvas: HTMLCanvasElement, config: { data: { datasets: Dataset[] } }) {
        this.canvas = canvas
        this.datasets = config.data.datasets
        this.visible = config.data.datasets.map((d) => !d.hidden)
        charts.push(this)
      }
      isDatasetVisible(i: number) { return this.visible[i] }
      setDatasetVisibility(i: number, on: boolean) { this.visible[i] = on }
      update() {}
      destroy() {}
    })
    new Function(readFileSync(join(STATIC, 'dashboard.js'), 'utf8'))()
    await vi.waitFor(() => expect(document.querySelector('#pages tbody')).not.toBeNull())
    const latest = (id: string) => charts.filter((c) => c.canvas.id === id).at(-1)!
    const buttons = (id: string) => [...document.getElementById(id)!.parentElement!.nextElementSibling!.querySelectorAll('button')]
    // The second segment's line and the conversion chart's intervals hidden.
    buttons('segments-over-time')[1]!.click()
    buttons('conversion-by-segment')[1]!.click()
    const hiddenLabel = latest('segments-over-time').datasets[1]!.label
    expect(latest('segments-over-time').visible[1]).toBe(false)
    const drawn = charts.length
    ;(document.getElementById('regenerate') as HTMLButtonElement).click()
    await vi.waitFor(() => expect(charts.length).toBe(drawn + 2))
    const line = latest('segments-over-time')
    const bar = latest('conversion-by-segment')
    expect(line.datasets.map((d, i) => [d.label, line.visible[i]])).toEqual(line.datasets.map((d) => [d.label, d.label !== hiddenLabel]))
    expect(bar.visible).toEqual([true, false])
    // The legend says so too, and showing the line again keeps it shown after the next rewrite.
    expect(buttons('segments-over-time').map((b) => b.getAttribute('aria-pressed'))).toEqual(line.datasets.map((d) => String(d.label !== hiddenLabel)))
    expect(buttons('conversion-by-segment').map((b) => b.getAttribute('aria-pressed'))).toEqual(['true', 'false'])
    buttons('segments-over-time')[1]!.click()
    expect(latest('segments-over-time').visible[1]).toBe(true)
    await vi.waitFor(() => expect(document.getElementById('regenerate')!.getAttribute('aria-busy')).toBeNull())
    ;(document.getElementById('regenerate') as HTMLButtonElement).click()
    await vi.waitFor(() => expect(charts.length).toBe(drawn + 4))
    expect(latest('segments-over-time').visible.every(Boolean)).toBe(true)
    expect(latest('conversion-by-segment').visible).toEqual([true, false])
  })
})

describe('dashboard: a series hidden from a chart\'s legend, across packs', () => {
  // As Chart.js does: a dataset configured `hidden` starts hidden; the legend's buttons switch it.
  type Dataset = { label: string; hidden?: boolean }
  class FakeChart {
    datasets: Dataset[]
    visible: boolean[]
    constructor(readonly canvas: HTMLCanvasElement, config: { data: { datasets: Dataset[] } }) {
      this.datasets = config.data.datasets
      this.visible = config.data.datasets.map((d) => !d.hidden)
    }
    isDatasetVisible(i: number) { return this.visible[i] }
    setDatasetVisibility(i: number, on: boolean) { this.visible[i] = on }
    update() {}
    destroy() {}
  }
  /** The legend buttons of the chart on `id`, as [label, shown]. */
  const legend = (id: string) => [...document.getElementById(id)!.parentElement!.nextElementSibling!.querySelectorAll('button')].map((b) => [b.textContent, b.getAttribute('aria-pressed') === 'true'])
  const button = (id: string, label: string) => [...document.getElementById(id)!.parentElement!.nextElementSibling!.querySelectorAll('button')].find((b) => b.textContent === label)!
  afterEach(() => localStorage.clear())

  it('keeps a line hidden for the segment of the pack it was hidden in, not for another pack\'s segment of the same label', async () => {
    const packA = insightsOf(4000) as unknown as { context: { packId: string } }
    // The figures move to another pack while the first still has reports in the window (after a retrain).
    const packB = insightsOf(1000, 4000) as unknown as { context: { packId: string }; otherGroups: { packId: string }[] }
    expect(packA.context.packId).not.toBe(packB.context.packId)
    expect(packB.otherGroups.map((g) => g.packId)).toEqual([packA.context.packId])
    // draw() stubs Chart with a recorder: here a chart whose lines the legend can switch.
    const draws = async (doc: unknown) => {
      const html = readFileSync(join(STATIC, 'index.html'), 'utf8')
      document.body.innerHTML = /<body>([\s\S]*)<\/body>/.exec(html)![1]!
      vi.stubGlobal('fetch', async () => ({ ok: true, json: async () => doc }))
      vi.stubGlobal('Chart', FakeChart)
      new Function(readFileSync(join(STATIC, 'dashboard.js'), 'utf8'))()
      await vi.waitFor(() => expect(document.querySelector('#traffic tbody')).not.toBeNull())
    }
    await draws(packA)
    button('segments-over-time', 'Segment 3').click()
    expect(legend('segments-over-time').find(([label]) => label === 'Segment 3')![1]).toBe(false)
    // Another pack without segment names: its "Segment 3" is another segment, shown.
    await draws(packB)
    expect(legend('segments-over-time').every(([, shown]) => shown)).toBe(true)
    // Back on the first pack (the figures follow it again): its segment 3 is still hidden, and only it.
    await draws(packA)
    expect(legend('segments-over-time').filter(([, shown]) => !shown)).toEqual([['Segment 3', false]])
  })

  it('forgets a line hidden for a pack the figures no longer name, but not while the figures fail to load', async () => {
    const KEY = 'seglet-dashboard-hidden-series'
    const packA = insightsOf(4000) as unknown as { context: { packId: string } }
    const lines = () => (JSON.parse(localStorage.getItem(KEY) ?? '{}').charts?.['segments-over-time'] ?? []) as string[]
    // Segment 3 hidden on pack A, and an entry left by a pack the shop stopped using long ago.
    localStorage.setItem(KEY, JSON.stringify({ version: 2, charts: { 'segments-over-time': [JSON.stringify([packA.context.packId, 2]), JSON.stringify(['session@0+lifetime@0', 1])], 'conversion-by-segment': ['95% interval'] } }))
    // The figures fail to load: no pack is named, and nothing is forgotten.
    document.body.innerHTML = /<body>([\s\S]*)<\/body>/.exec(readFileSync(join(STATIC, 'index.html'), 'utf8'))![1]!
    vi.stubGlobal('fetch', async () => ({ ok: false, status: 503, json: async () => ({ error: 'database unavailable' }) }))
    vi.stubGlobal('Chart', FakeChart)
    new Function(readFileSync(join(STATIC, 'dashboard.js'), 'utf8'))()
    await vi.waitFor(() => expect(document.querySelector('#facts .problem')).not.toBeNull())
    expect(lines()).toHaveLength(2)
    // Nor does a window without reports, which names no pack at all.
    await draw(insightsOf(0))
    expect(lines()).toHaveLength(2)
    // Figures of pack A: the gone pack's entry is forgotten, pack A's kept (and its Segment 3 still hidden).
    await draw(packA)
    expect(lines()).toEqual([JSON.stringify([packA.context.packId, 2])])
    expect(legend('segments-over-time').filter(([, shown]) => !shown)).toEqual([['Segment 3', false]])
    // The bar chart's series are not of a pack: kept.
    expect(JSON.parse(localStorage.getItem(KEY)!).charts['conversion-by-segment']).toEqual(['95% interval'])
    // Figures of another pack only, pack A gone from the window: its entry is forgotten too.
    await draw(insightsOf(0, 4000))
    expect(lines()).toEqual([])
  })

  it('reads a hidden series saved by label before without breaking the page: a segment\'s line shown, the bar chart\'s kept', async () => {
    localStorage.setItem('seglet-dashboard-hidden-series', JSON.stringify({ 'segments-over-time': ['Segment 3'], 'conversion-by-segment': ['95% interval'] }))
    await draw(withConversion(insightsOf(4000)))
    expect(legend('segments-over-time').every(([, shown]) => shown)).toBe(true)
    expect(legend('conversion-by-segment')).toEqual([['Conversion (%)', true], ['95% interval', false]])
    // Nor does a value of another shape (a hand edit, another version) break it.
    for (const saved of ['[1,2]', 'null', '{"version":2,"charts":{"segments-over-time":[3,null]}}', '{"version":2}', 'not json']) {
      localStorage.setItem('seglet-dashboard-hidden-series', saved)
      await draw(insightsOf(4000))
      expect(legend('segments-over-time').length, saved).toBeGreaterThan(0)
      expect(legend('segments-over-time').every(([, shown]) => shown), saved).toBe(true)
    }
  })
})

describe('dashboard: the days it counts by', () => {
  it('says its days are UTC days, where a reader west or east of UTC would take them for their own', async () => {
    await draw(insightsOf(400))
    const window = [...document.querySelectorAll('#facts > div')].find((d) => d.querySelector('dt')!.textContent!.startsWith('Window'))!
    expect(window.querySelector('dt')!.textContent).toMatch(/UTC/)
    expect(document.querySelector('#segments-daily th')!.textContent).toMatch(/UTC/)
    // Beside the chart of days, which names them without a time zone.
    const section = document.getElementById('segments-over-time')!.closest('section')!
    expect(section.querySelector('.note')!.textContent).toMatch(/UTC/)
  })
})

describe('dashboard: reading the figures again by itself', () => {
  it('waits for a rewrite that outlasts the 5 minutes, reads once it is written, and again 5 minutes later', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    try {
      document.body.innerHTML = /<body>([\s\S]*)<\/body>/.exec(readFileSync(join(STATIC, 'index.html'), 'utf8'))![1]!
      const doc = insightsOf(400)
      let reads = 0
      let written = () => {}
      vi.stubGlobal('fetch', async (_url: string, init?: { method?: string }) => {
        if (init?.method === 'POST') {
          await new Promise<void>((resolve) => (written = resolve))
          return { ok: true, status: 200, json: async () => ({ pages: 3, integrity: 'sha256-new' }) }
        }
        reads++
        return { ok: true, json: async () => doc }
      })
      vi.stubGlobal('Chart', class { destroy() {} })
      new Function(readFileSync(join(STATIC, 'dashboard.js'), 'utf8'))()
      await vi.waitFor(() => expect(document.querySelector('#pages tbody')).not.toBeNull())
      expect(reads).toBe(1)
      const button = document.getElementById('regenerate') as HTMLButtonElement
      button.click()
      // The rewrite is still being written 6 minutes on: no read meanwhile, nor a check for one again and again
      // (each check asks the button whether a rewrite is running).
      const checks = vi.spyOn(button, 'getAttribute')
      await vi.advanceTimersByTimeAsync(6 * 60_000)
      expect(reads).toBe(1)
      expect(checks.mock.calls.length).toBeLessThanOrEqual(1)
      written()
      await vi.waitFor(() => expect(document.getElementById('regenerate-result')!.textContent).toBe('Written: 3 pages, sha256-new'))
      expect(reads).toBe(2)
      await vi.advanceTimersByTimeAsync(5 * 60_000)
      expect(reads).toBe(3)
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('dashboard: the holdout section', () => {
  it('says lift is measured only when the shop runs a holdout, where "not enough reports yet" would ask for traffic that never helps', async () => {
    await draw(insightsOf(400))
    const note = document.getElementById('lift')!.closest('section')!.querySelector('.note')!.textContent!
    expect(note).toContain('personalize.holdout')
  })
})

describe('dashboard: the figures after a rewrite', () => {
  it('says in the status that the table was written but the figures could not be reloaded, and marks them possibly out of date', async () => {
    document.body.innerHTML = /<body>([\s\S]*)<\/body>/.exec(readFileSync(join(STATIC, 'index.html'), 'utf8'))![1]!
    const doc = insightsOf(400)
    let loads = 0
    // The rewrite is written; the collector then stops before the figures are read again, and comes back after.
    vi.stubGlobal('fetch', async (_url: string, init?: { method?: string }) => {
      if (init?.method === 'POST') return { ok: true, status: 200, json: async () => ({ pages: 3, integrity: 'sha256-new' }) }
      if (++loads === 2) throw new TypeError('Failed to fetch')
      return { ok: true, json: async () => doc }
    })
    vi.stubGlobal('Chart', class { destroy() {} })
    new Function(readFileSync(join(STATIC, 'dashboard.js'), 'utf8'))()
    await vi.waitFor(() => expect(document.querySelector('#pages tbody')).not.toBeNull())
    const status = () => document.getElementById('regenerate-result')!
    const stale = () => [...document.querySelectorAll('main section')].map((s) => s.querySelector('.stale')?.textContent ?? '')
    expect(stale().every((s) => s === '')).toBe(true)
    ;(document.getElementById('regenerate') as HTMLButtonElement).click()
    await vi.waitFor(() => expect(status().textContent).toMatch(/could not be reloaded/))
    // Said in the status a screen reader announces, not only in the facts at the top of the page.
    expect(status().getAttribute('role')).toBe('status')
    expect(status().textContent).toMatch(/^Written: 3 pages, sha256-new, but the figures below could not be reloaded and may be out of date: the collector could not be reached[^()]*reload this page \(Failed to fetch\)$/)
    // Every section's figures say they may be from before the rewrite; the facts above them are kept, and say so too.
    expect(stale().every((s) => /out of date/.test(s))).toBe(true)
    expect(document.getElementById('facts')!.textContent).toContain('Reports')
    expect(document.getElementById('facts')!.textContent).toMatch(/out of date/)
    // Figures loaded again (the next rewrite) are current: the marks go.
    await vi.waitFor(() => expect(document.getElementById('regenerate')!.getAttribute('aria-busy')).toBeNull())
    ;(document.getElementById('regenerate') as HTMLButtonElement).click()
    await vi.waitFor(() => expect(loads).toBe(3))
    await vi.waitFor(() => expect(stale().every((s) => s === '')).toBe(true))
    expect(status().textContent).toBe('Written: 3 pages, sha256-new')
    expect(document.getElementById('facts')!.textContent).not.toMatch(/out of date/)
  })
})

describe('dashboard: the tables\' names', () => {
  it('names each data table after its section\'s heading, for a screen reader listing or entering tables', async () => {
    await draw(insightsOf(400))
    const tables = [...document.querySelectorAll('main table')]
    expect(tables.length).toBe(5)
    for (const table of tables) {
      const heading = table.closest('section')!.querySelector('h2')!
      const ids = (table.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean)
      const name = table.getAttribute('aria-label') ?? ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ')
      expect(name, table.id).toBe(heading.textContent)
    }
  })

  it('makes the answer, segment or page each row is of the header of its row, so a screen reader says it with each figure', async () => {
    const doc = insightsOf(400) as unknown as { pageKeys: number; partialPageKeys: string[] }
    // A page left out of the window's estimates is a row of its own page too.
    doc.pageKeys += 1
    doc.partialPageKeys = ['help/returns']
    await draw(doc)
    const rowsOf = (table: string) => [...document.querySelectorAll(`#${table} tbody tr`)].map((tr) => [...tr.children].map((c) => `${c.tagName}${c.getAttribute('scope') ? ` ${c.getAttribute('scope')}` : ''}`))
    for (const table of ['traffic', 'segments', 'value-segments', 'pages', 'segments-daily']) {
      const rows = rowsOf(table)
      expect(rows.length, table).toBeGreaterThan(0)
      // The row's name alone is its header: every figure of the row stays an ordinary cell.
      for (const row of rows) expect(row, table).toEqual(['TH row', ...row.slice(1).map(() => 'TD')])
    }
    expect([...document.querySelectorAll('#pages tbody th')].map((th) => th.textContent)).toContain('help/returns')
  })

  it('with no rows yet, says so across the table in an ordinary cell, not as a row\'s header', async () => {
    await draw(insightsOf(0))
    for (const table of ['traffic', 'segments', 'value-segments']) {
      expect([...document.querySelectorAll(`#${table} tbody tr > *`)].map((c) => c.tagName), table).toEqual(['TD'])
      expect(document.querySelector(`#${table} tbody td.empty`), table).not.toBeNull()
    }
  })
})

/** RFC 4180: fields split by commas (or `separator`), rows by CRLF, a quoted field's `""` one quote. */
function parseCsv(text: string, separator = ','): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++
      else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === separator) row.push(field), (field = '')
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++
    else field += c
  }
  if (field !== '' || row.length > 0) row.push(field), rows.push(row)
  return rows
}

/**
 * Draws `doc`, clicks the download button (with `format` picked beside it: `point` or `comma`) and gives the file it
 * made: its name and its text.
 */
async function downloaded(doc: unknown, format?: 'point' | 'comma'): Promise<{ name: string; text: string; type: string }> {
  const blobs: Blob[] = []
  vi.stubGlobal('URL', Object.assign(Object.create(URL), { createObjectURL: (blob: Blob) => (blobs.push(blob), `blob:test/${blobs.length}`), revokeObjectURL: () => {} }))
  const names: string[] = []
  const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    names.push(this.download)
  })
  try {
    await draw(doc)
    const button = document.getElementById('download') as HTMLButtonElement
    expect(button.hidden).toBe(false)
    if (format) (document.getElementById('download-format') as HTMLSelectElement).value = format
    button.click()
    await vi.waitFor(() => expect(names).toHaveLength(1))
    // jsdom's Blob has no text(): read as a browser before it had one.
    // Decoded keeping a byte-order mark, which readAsText would drop.
    const text = await new Promise<string>((resolve) => {
      const reader = new FileReader()
      reader.onload = () => resolve(new TextDecoder('utf-8', { ignoreBOM: true }).decode(reader.result as ArrayBuffer))
      reader.readAsArrayBuffer(blobs[0]!)
    })
    return { name: names[0]!, text, type: blobs[0]!.type }
  } finally {
    click.mockRestore()
  }
}

describe('dashboard: downloading the figures', () => {
  it('gives a CSV of the segments, page statistics and other figures the dashboard shows, with their intervals', async () => {
    const doc = insightsOf(4000) as unknown as {
      from: string; to: string
      insights: { segments: { leaf: number | null; share: { value: number; low: number; high: number; enough: boolean } }[]; pages: { key: string; viewShare: { value: number; enough: boolean } }[] }
    }
    const { name, text, type } = await downloaded(doc)
    expect(name).toBe(`seglet-figures-${doc.from}-to-${doc.to}.csv`)
    expect(type).toMatch(/^text\/csv/)
    const rows = parseCsv(text.replace(/^\uFEFF/, ''))
    expect(rows[0]).toEqual(['section', 'day', 'name', 'measure', 'estimate', 'low', 'high', 'status', 'pack', 'epsilon', 'id'])
    for (const row of rows) expect(row).toHaveLength(11)
    // Every segment's share, as the table shows it: its estimate and interval, or "not enough reports yet".
    for (const s of doc.insights.segments) {
      const label = s.leaf === null ? 'No segment yet' : `Segment ${s.leaf + 1}`
      const row = rows.find((r) => r[0] === 'segments' && r[2] === label && r[3] === 'share of sessions')!
      expect(row, label).toBeDefined()
      if (s.share.enough) {
        expect(Number(row[4])).toBeCloseTo(Math.min(1, Math.max(0, s.share.value)), 5)
        expect(Number(row[5])).toBeCloseTo(Math.min(1, Math.max(0, s.share.low)), 5)
        expect(Number(row[6])).toBeCloseTo(Math.min(1, Math.max(0, s.share.high)), 5)
        expect(row[7]).toBe('')
      } else expect(row.slice(4, 8)).toEqual(['', '', '', 'not enough reports yet'])
    }
    // Every candidate page, each of its statistics.
    for (const p of doc.insights.pages) {
      for (const measure of ["share of views (of each session's last 12 keyed pages)", 'bounce rate', 'exit rate', 'sessions viewing it', 'page value', 'in the table']) {
        expect(rows.some((r) => r[0] === 'pages' && r[2] === p.key && r[3] === measure), `${p.key} ${measure}`).toBe(true)
      }
    }
    for (const section of ['whole shop', 'segment shares by day', 'holdout', 'value segments']) expect(rows.some((r) => r[0] === section), section).toBe(true)
  })

  it('quotes labels and page keys with commas, quotes and line breaks, and keeps a spreadsheet from running them as formulas', async () => {
    const doc = insightsOf(4000) as unknown as { segmentNames: string[]; insights: { segments: { leaf: number | null }[]; pages: { key: string }[]; lift: { difference: object } } }
    const labels = ['Big, "loyal"\r\nspenders', '=HYPERLINK("https://evil.example","x")', '+1+2', '-2+3', '@SUM(A1:A9)', '\t=1+1', 'Plain']
    doc.segmentNames = labels
    // A pack's ids are text too: one that starts as a formula is kept from running as one.
    ;(doc as unknown as { segmentIds: string[] }).segmentIds = labels.map((_, leaf) => (leaf === 1 ? '=1+1' : `segment-${leaf}`))
    doc.insights.segments = labels.map((_, leaf) => ({ ...doc.insights.segments[0]!, leaf }))
    doc.insights.pages[0]!.key = '=cmd|\' /C calc\'!A0'
    doc.insights.pages[1]!.key = 'shop/a,b "c"'
    doc.insights.lift.difference = { value: -0.0123, low: -0.0301, high: 0.0055, enough: true }
    const { text } = await downloaded(doc)
    expect(text.startsWith('\uFEFF')).toBe(true)
    const rows = parseCsv(text.slice(1))
    for (const row of rows) expect(row).toHaveLength(11)
    const named = (label: string) => rows.filter((r) => r[2] === label)
    expect(named('Big, "loyal"\r\nspenders').length).toBeGreaterThan(0)
    expect(named('Plain').length).toBeGreaterThan(0)
    for (const label of labels.slice(1, 6)) {
      expect(named(label), label).toEqual([])
      expect(named(`'${label}`).length, label).toBeGreaterThan(0)
    }
    expect(named(`'=cmd|' /C calc'!A0`).length).toBeGreaterThan(0)
    expect(named('shop/a,b "c"').length).toBeGreaterThan(0)
    expect(rows.filter((r) => r[10] === "'=1+1").length).toBeGreaterThan(0)
    // No field a spreadsheet would run: every one that starts so is a number of the dashboard's own.
    for (const field of rows.flat()) if (/^[=+\-@\t\r]/.test(field)) expect(field, field).toMatch(/^-\d+(\.\d+)?(e-\d+)?$/)
    // A negative lift stays a number, not text.
    expect(rows.find((r) => r[0] === 'holdout' && r[3] === 'lift (treatment − holdout)')!.slice(4, 7)).toEqual(['-0.0123', '-0.0301', '0.0055'])
  })

  it('gives the same figures with decimal commas and semicolons for a spreadsheet set to a language that writes 0,5, when picked', async () => {
    const doc = insightsOf(4000) as unknown as { segmentNames: string[]; insights: { segments: { leaf: number | null }[]; lift: { difference: object } } }
    doc.segmentNames = ['Big; loyal, "returning"', 'Plain']
    doc.insights.segments = doc.segmentNames.map((_, leaf) => ({ ...doc.insights.segments[0]!, leaf }))
    doc.insights.lift.difference = { value: -0.0123, low: -0.0301, high: 0.0055, enough: true }
    await draw(doc)
    // The format picked at first follows how the reader's browser writes 0.5 (in the browser, dashboard-locale.test.ts).
    const select = document.getElementById('download-format') as HTMLSelectElement
    expect(select.value).toBe((0.5).toLocaleString().includes(',') ? 'comma' : 'point')
    expect(select.labels![0]!.hidden).toBe(false)
    const plain = await downloaded(doc, 'point')
    const comma = await downloaded(doc, 'comma')
    expect(comma.name).toBe(plain.name)
    expect(comma.text.startsWith('\uFEFF')).toBe(true)
    const a = parseCsv(plain.text.slice(1))
    const b = parseCsv(comma.text.slice(1), ';')
    expect(b).toHaveLength(a.length)
    // Cell for cell the same: each number with a decimal comma in place of its point, every other field as it was.
    let decimals = 0
    for (const [i, row] of a.entries()) {
      expect(b[i], row.join(',')).toHaveLength(row.length)
      for (const [j, field] of row.entries()) {
        const number = /^-?\d+(\.\d+)?(e[-+]\d+)?$/.test(field) && a[0]![j] !== 'day'
        if (number && field.includes('.')) decimals++
        expect(b[i]![j], `${a[0]![j]}: ${field}`).toBe(number ? field.replace('.', ',') : field)
      }
    }
    expect(decimals).toBeGreaterThan(20)
    expect(b.find((r) => r[0] === 'holdout' && r[3] === 'lift (treatment − holdout)')!.slice(4, 7)).toEqual(['-0,0123', '-0,0301', '0,0055'])
    // A text with a separator of either file is quoted in both, so a reader that guesses the separator splits no label.
    for (const { text } of [plain, comma]) expect(text).toContain('"Big; loyal, ""returning"""')
    expect(b.filter((r) => r[2] === 'Big; loyal, "returning"').length).toBeGreaterThan(0)
  })

  it('names in each row the pack its figures are of, so two downloads of one window before and after a retrain are told apart', async () => {
    const before = insightsOf(4000) as unknown as { context: { packId: string } }
    const after = insightsOf(0, 4000) as unknown as { context: { packId: string } }
    expect(before.context.packId).not.toBe(after.context.packId)
    for (const doc of [before, after]) {
      const rows = parseCsv((await downloaded(doc)).text.slice(1))
      expect(rows[0]).toEqual(['section', 'day', 'name', 'measure', 'estimate', 'low', 'high', 'status', 'pack', 'epsilon', 'id'])
      for (const row of rows.slice(1)) expect(row[8], row.join(',')).toBe(doc.context.packId)
    }
  })

  it('names in each row the ε its figures are estimated at, so a file read on its own says how private and how noisy they are', async () => {
    const doc = insightsOf(4000) as unknown as { epsilon: number }
    for (const epsilon of [2, 0.5]) {
      doc.epsilon = epsilon
      const rows = parseCsv((await downloaded(doc)).text.slice(1))
      expect(rows[0]![9]).toBe('epsilon')
      for (const row of rows.slice(1)) expect(row[9], row.join(',')).toBe(String(epsilon))
    }
  })

  it('gives the projections table as its own section, each answer\'s target, interval now, reports needed and status as the page says them', async () => {
    const doc = insightsOf(400) as unknown as { traffic: { answer: string; halfWidthNow: number | null; enough: boolean; target: number; reportsNeeded: number | null }[] }
    // One usable answer, one with too few reports, one past 100 million reports, one that cannot be projected.
    Object.assign(doc.traffic[0]!, { halfWidthNow: 0.008, enough: true, target: 0.01, reportsNeeded: 400 })
    Object.assign(doc.traffic[1]!, { halfWidthNow: 0.2, enough: false, target: 0.05, reportsNeeded: 6400 })
    Object.assign(doc.traffic[2]!, { halfWidthNow: 0.3, enough: true, target: 0.05, reportsNeeded: 2.8e33 })
    Object.assign(doc.traffic[3]!, { halfWidthNow: null, enough: false, target: 0.05, reportsNeeded: null })
    const rows = parseCsv((await downloaded(doc)).text.slice(1)).filter((r) => r[0] === 'projections')
    const of = (t: { answer: string }) => Object.fromEntries(rows.filter((r) => r[2] === t.answer).map((r) => [r[3], [r[4], r[7]]]))
    expect(of(doc.traffic[0]!)).toEqual({ 'target half-width': ['0.01', ''], 'half-width now': ['0.008', ''], 'reports needed': ['', 'reached'], 'usable now': ['', 'yes'] })
    expect(of(doc.traffic[1]!)).toEqual({ 'target half-width': ['0.05', ''], 'half-width now': ['', 'not enough reports yet'], 'reports needed': ['6400', ''], 'usable now': ['', 'no'] })
    expect(of(doc.traffic[2]!)).toMatchObject({ 'half-width now': ['0.3', ''], 'reports needed': ['', 'more than 100000000'], 'usable now': ['', 'no'] })
    expect(of(doc.traffic[3]!)).toMatchObject({ 'half-width now': ['', 'no estimate yet'], 'reports needed': ['', 'cannot be projected from these reports yet'] })
    // The page's own table says the same.
    expect(cells('traffic', 2)).toEqual(['reached', `about ${(6400).toLocaleString()}`, `more than ${(1e8).toLocaleString()}`, 'cannot be projected from these reports yet'])
  })

  it('lists the pages with a measured share of views first, most viewed first, then those with not enough reports by key, whatever their noise', async () => {
    const doc = insightsOf(4000) as unknown as { insights: { pages: { key: string; viewShare: { value: number | null; low: number; high: number; enough: boolean } }[] } }
    const pages = doc.insights.pages
    expect(pages.length).toBeGreaterThanOrEqual(4)
    const share = (value: number | null, enough: boolean) => ({ value, low: (value ?? 0) - 0.01, high: (value ?? 0) + 0.01, enough })
    // Noise put the unmeasured pages' estimates above and between the measured ones.
    const [a, b, c, d] = pages
    Object.assign(a!, { key: 'z/noisy', viewShare: share(0.9, false) })
    Object.assign(b!, { key: 'a/measured-small', viewShare: share(0.1, true) })
    Object.assign(c!, { key: 'b/noisy', viewShare: share(0.5, false) })
    Object.assign(d!, { key: 'm/measured-big', viewShare: share(0.3, true) })
    for (const p of pages.slice(4)) Object.assign(p, { viewShare: share(null, false) })
    const measured = ['m/measured-big', 'a/measured-small']
    const rest = [...pages.slice(4).map((p) => p.key), 'b/noisy', 'z/noisy'].sort()
    const { text } = await downloaded(doc)
    expect(cells('pages', 0)).toEqual([...measured, ...rest])
    // The download lists them in the same order.
    const keys = [...new Set(text.split('\r\n').filter((line) => line.startsWith('pages,')).map((line) => line.split(',')[2]))]
    expect(keys).toEqual([...measured, ...rest])
  })

  it('offers no download before the figures have loaded, nor when they could not be', async () => {
    document.body.innerHTML = /<body>([\s\S]*)<\/body>/.exec(readFileSync(join(STATIC, 'index.html'), 'utf8'))![1]!
    vi.stubGlobal('fetch', async () => ({ ok: false, status: 500, json: async () => ({ error: 'internal' }) }))
    vi.stubGlobal('Chart', class {})
    expect((document.getElementById('download') as HTMLButtonElement).hidden).toBe(true)
    new Function(readFileSync(join(STATIC, 'dashboard.js'), 'utf8'))()
    await vi.waitFor(() => expect(document.querySelector('#facts dd')!.textContent).toMatch(/^Could not load the figures/))
    expect((document.getElementById('download') as HTMLButtonElement).hidden).toBe(true)
  })

  it('writes money in the shop\'s currency where the collector names one, in the page and the download\'s header, and as plain figures without one', async () => {
    const doc = insightsOf(4000) as unknown as { currency?: string; insights: { overall: { averageOrderValue: { value: number; enough: boolean } } } }
    const aov = doc.insights.overall.averageOrderValue
    Object.assign(aov, { value: 52.5, low: 40, high: 65, enough: true })
    const figure = () => [...document.querySelectorAll('#overall > div')].find((d) => d.querySelector('.label')!.textContent === 'Average order value')!
    await draw(doc)
    expect(figure().querySelector('.value')!.textContent).toBe((52.5).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 }))
    expect(parseCsv((await downloaded(doc)).text.slice(1))[0]).not.toContain('currency')
    doc.currency = 'EUR'
    await draw(doc)
    const eur = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'EUR' })
    expect(figure().querySelector('.value')!.textContent).toBe(eur.format(52.5))
    expect(figure().querySelector('.ci')!.textContent).toBe(`95%: ${eur.format(40)} to ${eur.format(65)}`)
    const rows = parseCsv((await downloaded(doc)).text.slice(1))
    const currency = rows[0]!.indexOf('currency')
    expect(currency).toBeGreaterThan(0)
    const of = (measure: string) => rows.find((r) => r[0] === 'whole shop' && r[3] === measure)!
    expect(of('average order value')[currency]).toBe('EUR')
    expect(of('average order value')[4]).toBe('52.5')
    expect(of('conversion')[currency]).toBe('')
  })
})

describe('dashboard: a segment\'s id beside its name', () => {
  // The shipped packs' names and ids, leaf for leaf, as the collector gives them for reports of those packs.
  const pack = (name: string) => JSON.parse(readFileSync(join(STATIC, `../../../src/models/${name}.json`), 'utf8')) as { kind: string; version: string }
  const of = (read: (packs: unknown[]) => Map<string, string[]>, kind: string) => read([pack(kind)]).get(`${kind}@${pack(kind).version}`)!
  type Config = { type: string; data: { datasets: { label: string }[] }; options: { plugins: { tooltip: { callbacks: Record<string, (x: unknown) => string> } } } }
  const named = () => {
    const doc = insightsOf(4000) as unknown as {
      segmentNames: string[]; segmentIds: string[]; valueNames: string[]; valueIds: string[]
      daily: { segments: unknown[] }[]; insights: { segments: { leaf: number | null; conversion: object }[] }
    }
    Object.assign(doc, { segmentNames: of(packLeafNames, 'session'), segmentIds: of(packLeafIds, 'session'), valueNames: of(packLeafNames, 'lifetime'), valueIds: of(packLeafIds, 'lifetime') })
    const deep = doc.segmentIds.indexOf('high-intent-all-round-deep-browser')
    // That segment's conversion and one day's share readable, for its bar and its point.
    const segment = doc.insights.segments.find((s) => s.leaf === deep)!
    segment.conversion = { value: 0.24, low: 0.2, high: 0.28, enough: true }
    doc.daily[0]!.segments = [{ leaf: deep, share: { value: 0.18, low: 0.15, high: 0.21, enough: true } }]
    return { doc, deep }
  }

  it('gives the id the shop\'s pages use under the name in the tables, in the legend\'s title and in both charts\' tooltips', async () => {
    const { doc, deep } = named()
    const charts: Config[] = []
    await draw(doc, charts)
    const row = [...document.querySelectorAll('#segments tbody tr')].find((tr) => tr.children[0]!.textContent!.startsWith('All round deep browser'))!
    expect(row.children[0]!.querySelector('code')!.textContent).toBe('high-intent-all-round-deep-browser')
    // Sessions without a segment have no id: none is made up for them.
    const none = [...document.querySelectorAll('#segments tbody tr')].find((tr) => tr.children[0]!.textContent === 'No segment yet')
    expect(none?.querySelector('code') ?? null).toBeNull()
    expect([...document.querySelectorAll('#value-segments tbody code')].map((c) => c.textContent)).toEqual(
      expect.arrayContaining(['champions', 'loyal']),
    )
    const legend = [...document.querySelectorAll('.chart:has(#segments-over-time) + .legend button')].find((b) => b.textContent === 'All round deep browser')!
    expect(legend.getAttribute('title')).toBe('Segment id: high-intent-all-round-deep-browser')
    const line = charts.find((c) => c.type === 'line')!
    const index = doc.insights.segments.findIndex((s) => s.leaf === deep)
    expect(line.options.plugins.tooltip.callbacks.afterLabel!({ datasetIndex: index, dataIndex: 0 })).toBe('id: high-intent-all-round-deep-browser')
    const bar = charts.find((c) => c.type === 'bar')!
    const barIndex = (bar.data as unknown as { labels: string[] }).labels.indexOf('All round deep browser')
    expect(bar.options.plugins.tooltip.callbacks.afterTitle!([{ dataIndex: barIndex }])).toBe('id: high-intent-all-round-deep-browser')
  })

  it('gives the id under the name in the daily table\'s column headers too, with the name alone for each cell', async () => {
    const { doc, deep } = named()
    await draw(doc)
    const heads = [...document.querySelectorAll('#segments-daily thead th')]
    expect(heads).toHaveLength(1 + doc.insights.segments.length)
    const head = heads.find((th) => th.textContent!.startsWith('All round deep browser'))!
    expect(head.querySelector('code')!.textContent).toBe('high-intent-all-round-deep-browser')
    expect(head.getAttribute('abbr')).toBe('All round deep browser')
    expect(head.getAttribute('scope')).toBe('col')
    // Every segment with an id says it; sessions without a segment have none.
    for (const [i, s] of doc.insights.segments.entries()) {
      expect(heads[i + 1]!.querySelector('code')?.textContent ?? '').toBe(s.leaf === null ? '' : doc.segmentIds[s.leaf]!)
    }
    expect(doc.insights.segments.some((s) => s.leaf === deep)).toBe(true)
  })

  it('gives the id in the download\'s last column on every row of a segment, and leaves it empty on the others', async () => {
    const { doc } = named()
    const rows = parseCsv((await downloaded(doc)).text.slice(1))
    expect(rows[0]!.at(-1)).toBe('id')
    const deep = rows.filter((r) => r[2] === 'All round deep browser')
    expect(deep.map((r) => r[0])).toEqual(expect.arrayContaining(['segments', 'segment shares by day']))
    for (const r of deep) expect(r.at(-1)).toBe('high-intent-all-round-deep-browser')
    expect(rows.find((r) => r[0] === 'value segments' && r[2] === 'Champions')!.at(-1)).toBe('champions')
    for (const r of rows.filter((r) => ['whole shop', 'pages', 'holdout', 'projections'].includes(r[0]!) || r[2] === 'No segment yet')) expect(r.at(-1)).toBe('')
  })
})

describe('dashboard: after a retrain published a new pack', () => {
  const RETRAINED = { ...TEST_CONTEXT, packId: 'session@1+r20261128+lifetime@1' }
  /** 300 reports of the pack browsers used on the 27th, then 200 of the retrained one on the 28th and 29th. */
  function afterRetrain(retrained = RETRAINED, known = true) {
    const estimator = createReportEstimator({ pageKeys: TEST_PAGE_KEYS })
    const rowsOf = (n: number, day: string, context: typeof TEST_CONTEXT, seed: number) => {
      const parsed = reportBodies(n, { day, seed, context }).map((body) => estimator.parse(JSON.parse(body)))
      const group = estimator.groupOf(parsed[0]!)
      return [...estimator.addUp(group, parsed)].map(([counter, value]) => ({ ...group, counter, value }))
    }
    const rows = [...rowsOf(300, '2026-11-27', TEST_CONTEXT, 5), ...rowsOf(100, '2026-11-28', retrained, 6), ...rowsOf(100, '2026-11-29', retrained, 7)]
    const pageKeyLists = { [pageKeyListId(TEST_PAGE_KEYS)]: TEST_PAGE_KEYS }
    return estimator.insights(rows, { from: '2026-11-27', to: '2026-11-29', epsilon: 2, pageKeyLists, knownPacks: known ? [TEST_CONTEXT, retrained] : [TEST_CONTEXT] })
  }

  it('says how to make known a retrained pack the collector was not given, whose reports it leaves out', async () => {
    const doc = afterRetrain(RETRAINED, false)
    expect(doc).toMatchObject({ reports: 300, context: { packId: TEST_CONTEXT.packId }, otherGroups: [{ packId: RETRAINED.packId, reports: 200, known: false }] })
    await draw(doc)
    const said = document.getElementById('pack-note')!.textContent!
    expect(said).not.toMatch(/Another known pack/)
    expect(said).toMatch(/The pack session@1\+r20261128\+lifetime@1 \(retrained [^)]*28[^)]*\), with 200 reports in this window, is not known to this collector: never counted in these figures while a known pack has reports\. If your pages load one of them \(a retrain written without a signing key, or a pack you host yourself\), restart the collector with --known-pack naming its file\.$/)
    // Many made-up ids (a flood of forged reports) are counted, not named; those at another ε are not this rule's.
    const flood = Array.from({ length: 5 }, (_, i) => ({ packId: `session@9.${i}+lifetime@1`, epsilon: 2, reports: 10, known: false }))
    await draw({ ...doc, otherGroups: [...flood, { packId: 'session@1+lifetime@1', epsilon: 4, reports: 7, known: false }] })
    expect(document.getElementById('pack-note')!.textContent).toContain('5 pack ids, with 50 reports in this window, are not known to this collector')
    // Known, it is the pack the figures move to, and nothing is said of --known-pack.
    await draw(afterRetrain())
    expect(document.getElementById('pack-note')!.textContent).not.toContain('--known-pack')
  })

  it('says which pack the figures follow, and that the retrained one has reports they leave out and will take over', async () => {
    const doc = afterRetrain()
    expect(doc).toMatchObject({ reports: 300, context: { packId: TEST_CONTEXT.packId }, otherGroups: [{ packId: RETRAINED.packId, reports: 200, known: true }] })
    await draw(doc)
    const said = document.getElementById('pack-note')!.textContent!
    expect(said).toMatch(/figures follow the pack session@1\+lifetime@1/)
    expect(said).toContain(RETRAINED.packId)
    expect(said).toMatch(/retrained .*28/)
    expect(said).toMatch(/200 reports/)
    expect(said).toMatch(/once it has more reports/)
  })

  it('says the day of a second retrain of one day too, and that it was the second', async () => {
    const packId = 'session@1+r20261128.2+lifetime@1'
    await draw(afterRetrain({ ...TEST_CONTEXT, packId }))
    const said = document.getElementById('pack-note')!.textContent!
    expect(said).toContain(packId)
    expect(said).toMatch(/\(retrained [^)]*28[^)]*, retrain 2 of the day\)/)
  })

  it('says the daily chart\'s empty days have reports of the retrained pack, not too few reports', async () => {
    const doc = afterRetrain() as unknown as { daily: { day: string; otherPackReports: number }[] }
    expect(doc.daily.map((d) => d.otherPackReports)).toEqual([0, 100, 100])
    await draw(doc)
    const note = document.getElementById('segments-daily-note')!.textContent!
    expect(note).not.toMatch(/Gaps are days with not enough reports\./)
    expect(note).toContain(TEST_CONTEXT.packId)
    expect(note).toContain(RETRAINED.packId)
    expect(note).toMatch(/200 reports/)
    // Said with the other packs' reports too: the last days are still filling in either way.
    expect(note).toMatch(/which these figures do not count\. The last 7 days' reports are still arriving: /)
  })

  it('keeps the plain note when every report of the window is of the pack followed', async () => {
    await draw(insightsOf(400))
    expect(document.getElementById('segments-daily-note')!.textContent).toBe(
      "Daily share of sessions in each segment, by UTC day. Gaps are days with not enough reports. The last 7 days' reports are still arriving: each is sent at a later visit, so a recent day holds the shoppers who came back soonest so far.",
    )
    expect(document.getElementById('pack-note')!.textContent).toMatch(/figures follow the pack session@1\+lifetime@1/)
  })
})

describe('dashboard: the signed pack manifest', () => {
  const renew = 'npm run collector -- publish-pack --out .seglet-collector/public'
  const withManifest = (manifest: object) => ({ ...insightsOf(40), manifest: { version: 3, expires: '2026-12-23T00:00:00.000Z', renewWithinDays: 30, renew, ...manifest } })
  const note = () => document.getElementById('manifest-note')!
  // The day as the dashboard writes its days: in the reader's own way, a UTC day.
  const expiresOn = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(Date.parse('2026-12-23T00:00:00.000Z'))

  it('says when it is due to be renewed: the day it expires, the days left, what browsers then do, and the command that renews it', async () => {
    await draw(withManifest({ daysLeft: 22.5, status: 'renew' }))
    expect(note().hidden).toBe(false)
    const said = note().textContent!
    expect(said).toContain(`signed model packs' manifest (version 3) expires on ${expiresOn} (UTC), in 22.5 days`)
    expect(said).toMatch(/browsers refuse it/)
    expect(note().querySelector('code')!.textContent).toBe(renew)
    expect(said).toMatch(/or run a signing retrain/)
  })

  it('says it has expired, and how to renew it, as an alert', async () => {
    await draw(withManifest({ daysLeft: -3.5, status: 'expired' }))
    expect(note().hidden).toBe(false)
    expect(note().getAttribute('role')).toBe('alert')
    expect(note().textContent).toContain(`manifest (version 3) expired on ${expiresOn} (UTC): browsers refuse it`)
    expect(note().querySelector('code')!.textContent).toBe(renew)
  })

  it('says it cannot be read, why, and what to run, as an alert', async () => {
    const command = `${renew} --session FILE --min-version N`
    await draw({ ...insightsOf(40), manifest: { status: 'unreadable', problem: 'not a Seglet pack manifest', renew: command } })
    expect(note().hidden).toBe(false)
    expect(note().getAttribute('role')).toBe('alert')
    expect(note().textContent).toMatch(/^The signed model packs' manifest cannot be read \(not a Seglet pack manifest\): browsers refuse it/)
    expect(note().textContent).toMatch(/move it away and publish the packs again, N above the last version published/)
    expect(note().querySelector('code')!.textContent).toBe(command)
  })

  it('says nothing while it is valid for longer, nor without a signed manifest', async () => {
    await draw(withManifest({ daysLeft: 60.5, status: 'valid' }))
    expect(note().hidden).toBe(true)
    await draw(insightsOf(40))
    expect(note().hidden).toBe(true)
  })
})

describe('dashboard: training the purchase-intent model', () => {
  const training = (over: object) => ({
    status: 'waiting', network: 'session@1.0.0', packVersion: '1.0.0', from: '2026-11-03', to: '2026-11-30', epsilon: 2,
    answers: 0, fitAnswers: 0, checkAnswers: 0, minAnswers: 20_000, minCheckAnswers: 5_000, store: 'embedded', ...over,
  })
  const said = () => document.getElementById('training-status')!.textContent
  const figures = () => [...document.querySelectorAll('#training > div')].map((d) => d.textContent)
  /** A day as the dashboard writes it in the reader's language. */
  const day = (d: string) => new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(Date.parse(`${d}T00:00:00Z`))

  it('names by their dates the days fitted on and those held out, which are even and odd counted from 1970, not by the month', async () => {
    // 2026-12-01 is an even day (fitted on) and 2026-11-30 an odd one (held out), whatever their dates say.
    await draw({ ...insightsOf(400), training: training({ from: '2026-11-04', to: '2026-12-01', reason: '0 training answers …' }) })
    expect(figures()[1]).toMatch(new RegExp(`^To fit on \\(${day('2026-12-01')} and every other day before\\)`))
    expect(figures()[2]).toMatch(new RegExp(`^Held out for the check \\(${day('2026-11-30')} and every other day before\\)`))
    // Not "even days: Dec 1", which reads as a mistake.
    expect(figures().join(' ')).not.toMatch(/even|odd/)
  })

  it('says why a retrain would wait, with the answers so far', async () => {
    const reason = '12,345 training answers from 2026-11-03 to 2026-11-30; a retrain needs 20,000'
    await draw({ ...insightsOf(400), training: training({ answers: 12_345, fitAnswers: 7_000, checkAnswers: 5_345, reason }) })
    expect(document.getElementById('training-section')!.hidden).toBe(false)
    expect(figures()).toEqual([
      `Training answers${(12_345).toLocaleString()}a retrain needs ${(20_000).toLocaleString()}`,
      `To fit on (${day('2026-11-29')} and every other day before)${(7_000).toLocaleString()}`,
      `Held out for the check (${day('2026-11-30')} and every other day before)${(5_345).toLocaleString()}the check needs ${(5_000).toLocaleString()}`,
    ])
    expect(said()).toBe(`Of pages running session@1.0.0, at ε 2, 2026-11-03 to 2026-11-30. Not yet: ${reason}.`)
    expect(said()).not.toContain('npm run collector -- retrain')
  })

  it('says when a retrain would fit, and the command to run', async () => {
    await draw({ ...insightsOf(400), training: training({ status: 'ready', answers: 24_000, fitAnswers: 14_000, checkAnswers: 10_000, reason: '24,000 training answers …' }) })
    expect(figures()[0]).toContain('enough: a retrain needs')
    expect(said()).toContain('Ready to retrain: run npm run collector -- retrain with --min-answers 20000 and this collector\'s --database, --epsilon and --window-days')
    expect([...document.querySelectorAll('#training-status code')].map((c) => c.textContent)).toEqual(['npm run collector -- retrain', '--min-answers 20000', '--database', '--epsilon', '--window-days', '--dry-run'])
    expect(said()).toMatch(/ With --dry-run it says what it would do \(accept the candidate or keep the pack in use, and why\), writing nothing\.$/)
    // The figures above say the answers: the reason's own words would say them again.
    expect(said()).not.toContain('24,000')
  })

  it('gives the same in the download: the counts, and whether a retrain would fit now', async () => {
    const reason = '700 held-out answers (odd days); the check needs 5,000'
    const doc = { ...insightsOf(400), training: training({ answers: 21_000, fitAnswers: 20_300, checkAnswers: 700, reason }) }
    const rows = parseCsv((await downloaded(doc)).text.slice(1)).filter((r) => r[0] === 'training')
    expect(rows.map((r) => [r[2], r[3], r[4], r[7]])).toEqual([
      ['session@1.0.0', 'training answers', '21000', ''],
      ['session@1.0.0', 'on even days (fit)', '20300', ''],
      ['session@1.0.0', 'on odd days (check)', '700', ''],
      ['session@1.0.0', 'answers a retrain needs', '20000', ''],
      ['session@1.0.0', 'held-out answers the check needs', '5000', ''],
      ['session@1.0.0', 'retrain now', '', `not yet: ${reason}`],
    ])
    const ready = parseCsv((await downloaded({ ...doc, training: training({ status: 'ready', answers: 30_000, fitAnswers: 20_000, checkAnswers: 10_000, reason: '…' }) })).text.slice(1))
    expect(ready.find((r) => r[0] === 'training' && r[3] === 'retrain now')![7]).toBe('ready')
    expect(parseCsv((await downloaded(insightsOf(400))).text.slice(1)).filter((r) => r[0] === 'training')).toEqual([])
  })

  it('says what the retrain that made the pack in use found, on the page and in the download, and nothing for a pack no retrain made', async () => {
    const retrained = () => document.getElementById('training-retrained')!
    const doc = { ...insightsOf(400), training: training({ packVersion: '1.0.0+r20261207', retrained: { answers: 30_157, from: '2026-11-10', to: '2026-12-07', heldOutAucBefore: 0.7638, heldOutAucAfter: 0.7762 } }) }
    await draw(doc)
    expect(retrained().hidden).toBe(false)
    expect(retrained().textContent).toBe(
      `The pack in use, 1.0.0+r20261207, was refitted from ${(30_157).toLocaleString()} training answers of 2026-11-10 to 2026-12-07. On the days its check held out, the fit ranked the sessions that ordered above those that did not with an AUC of ${(0.7762).toLocaleString(undefined, { minimumFractionDigits: 4 })}, against ${(0.7638).toLocaleString(undefined, { minimumFractionDigits: 4 })} for the pack before it (0.5 is chance, 1 every time), and was then refitted on every day.`,
    )
    const rows = parseCsv((await downloaded(doc)).text.slice(1)).filter((r) => r[0] === 'training' && r[3]!.includes('pack'))
    expect(rows.map((r) => [r[3], r[4], r[7]])).toEqual([
      ['answers the pack in use was refitted from', '30157', 'pack in use 1.0.0+r20261207, refitted on 2026-11-10 to 2026-12-07'],
      ['held-out AUC of the pack before it', '0.7638', 'pack in use 1.0.0+r20261207, refitted on 2026-11-10 to 2026-12-07'],
      ['held-out AUC of the pack in use', '0.7762', 'pack in use 1.0.0+r20261207, refitted on 2026-11-10 to 2026-12-07'],
    ])
    // Without a check's AUCs, the answers and days alone.
    await draw({ ...insightsOf(400), training: training({ packVersion: '1.0.0+r20261207', retrained: { answers: 900, from: '2026-11-10', to: '2026-12-07' } }) })
    expect(retrained().textContent).toBe('The pack in use, 1.0.0+r20261207, was refitted from 900 training answers of 2026-11-10 to 2026-12-07.')
    // The shipped pack, or one the collector has no file of: nothing is said.
    await draw({ ...insightsOf(400), training: training({}) })
    expect(retrained().hidden).toBe(true)
    expect(parseCsv((await downloaded({ ...insightsOf(400), training: training({}) })).text.slice(1)).filter((r) => r[0] === 'training' && r[3]!.includes('pack'))).toEqual([])
  })

  it('names the pack file retrain must be given when it is neither the one published nor the shipped one', async () => {
    const ready = { status: 'ready', answers: 24_000, fitAnswers: 14_000, checkAnswers: 10_000, reason: '24,000 training answers …' }
    await draw({ ...insightsOf(400), training: training({ ...ready, packVersion: '1.0.0+r20261128', packFile: true }) })
    expect([...document.querySelectorAll('#training-status code')].map((c) => c.textContent)).toContain('--pack')
    expect(said()).toContain('--pack the session pack file your pages load (version 1.0.0+r20261128), and this collector\'s --database')
    await draw({ ...insightsOf(400), training: training({ ...ready, packFile: false }) })
    expect(said()).not.toContain('--pack')
  })

  it('says how retrain can open the store: after the collector stops, alongside it, or not at all from memory', async () => {
    const ready = { status: 'ready', answers: 24_000, fitAnswers: 14_000, checkAnswers: 10_000, reason: '24,000 training answers …' }
    await draw({ ...insightsOf(400), training: training({ ...ready, store: 'embedded' }) })
    expect(said()).toContain('(its embedded store is used by one process at a time: stop the collector first, or share a PostgreSQL database).')
    await draw({ ...insightsOf(400), training: training({ ...ready, store: 'postgres' }) })
    expect(said()).toMatch(/Ready to retrain: run .* --window-days\. With --dry-run /)
    expect(said()).not.toContain('stop the collector')
    // The simulated preview's store, or --database memory:, is gone with its process.
    await draw({ ...insightsOf(400), training: training({ ...ready, store: 'memory' }) })
    expect(said()).toContain('Enough to retrain, but this collector keeps its reports in memory (--database memory:), which npm run collector -- retrain cannot open')
    expect(said()).toMatch(/The preview \(npm run simulate -- --scenario dashboard\) runs one on its own answers with --retrain\.$/)
    expect(said()).not.toContain('Ready to retrain')
    // Waiting, the reason is the same whatever the store.
    await draw({ ...insightsOf(400), training: training({ store: 'memory', reason: '10 training answers …' }) })
    expect(said()).toContain('Not yet: 10 training answers …')
  })

  it('names the fewest answers the collector judged by, which retrain must be given to decide alike', async () => {
    // A collector run with --min-training-answers 600: retrain run without --min-answers would need 20,000, and wait.
    await draw({ ...insightsOf(400), training: training({ status: 'ready', answers: 900, fitAnswers: 500, checkAnswers: 400, minAnswers: 600, minCheckAnswers: 150, reason: '900 training answers …' }) })
    expect([...document.querySelectorAll('#training-status code')].map((c) => c.textContent)).toContain('--min-answers 600')
  })

  it('says it from the collector, also before any report, and shows nothing without it', async () => {
    await draw({ ...insightsOf(0), training: training({ reason: '0 training answers …' }) })
    expect(said()).toContain('Not yet: 0 training answers')
    await draw(insightsOf(0))
    expect(document.getElementById('training-section')!.hidden).toBe(true)
  })
})
