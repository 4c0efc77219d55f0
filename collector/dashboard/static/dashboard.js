// The collector's dashboard: reads /seglet/insights.json (same origin) and draws it with Chart.js.
// No inline code and no third-party origin, so it runs under the collector's strict Content-Security-Policy.
'use strict'
;(function () {
  // Every line colour stands out at least 3:1 against the white card (WCAG 1.4.11), and any two differ by a CIEDE2000
  // of at least 30, and of 15 to a reader without red, green or blue cones (simulated): thin lines need far more than
  // areas. Not many more colours stay that far apart under 3:1: past six, lines repeat a colour dashed, then dotted,
  // so a pack's 16 segments and "No segment yet" still draw 17 different lines.
  const COLORS = ['#3c96d2', '#a52d0f', '#00785a', '#a58700', '#782db4', '#ff4b87']
  // The same hues for a reader whose system is set dark, under the same rules against the dark card (#1d232b in
  // dashboard.css): blue, orange, green, yellow, purple and pink, each at least 3.7:1.
  const DARK_COLORS = ['#86c5ff', '#b76717', '#048d76', '#cfdf20', '#a553e3', '#ffbac1']
  const darkScheme = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null
  const isDark = () => Boolean(darkScheme && darkScheme.matches)
  // Each line's dash, and the border style its legend swatch draws it with.
  const DASHES = [{ dash: [], swatch: 'solid' }, { dash: [6, 4], swatch: 'dashed' }, { dash: [2, 3], swatch: 'dotted' }]
  const NA = 'not enough reports yet'
  // A day (or 7 days) before the shop's first report, or while none came: more traffic now adds none to it.
  const NONE = 'no reports'
  /** Whether a day or period of the segment-share chart had no report at all, of any pack. */
  const noReports = (d) => !(d.reports > 0) && !(d.otherPackReports > 0)

  const el = (tag, attrs, ...children) => {
    const node = document.createElement(tag)
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v)
    for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)))
    return node
  }
  /**
   * The reader's browser's locale for figures and days, with Latin digits where its own are Arabic-Indic (ar-EG,
   * ar-SA): among the page's English words those are laid out right to left, so the band 0–25 read 25–0 and a list
   * of bands came out of order. Every other reader's format is the browser's own (1.234,5 and 29. Nov. in German).
   */
  const LOCALE = (() => {
    const { locale, numberingSystem } = new Intl.NumberFormat().resolvedOptions()
    return numberingSystem === 'arab' || numberingSystem === 'rohg' ? new Intl.Locale(locale, { numberingSystem: 'latn' }).toString() : undefined
  })()
  // Every figure in the number format of the reader's browser, as money and counts are: 3,2% beside 1.234,50.
  const decimal = (x, digits, signDisplay = 'auto') => x.toLocaleString(LOCALE, { minimumFractionDigits: digits, maximumFractionDigits: digits, signDisplay })
  const pct = (x, digits = 1) => `${decimal(x * 100, digits)}%`
  // Shares and rates lie in [0, 1]; an unbiased estimate's interval can reach past that, and is shown clipped.
  const rate = (x) => pct(Math.min(1, Math.max(0, x)))
  // A difference of two rates lies in [-1, 1]: shown clipped, as rates are. Signed unless it rounds to 0.0.
  const points = (x) => `${decimal(Math.min(1, Math.max(-1, x)) * 100, 1, 'exceptZero')} pts`
  // A half-width in points: a rate's interval never needs more than ±50 (it spans all of 0–100% then).
  const halfWidth = (x) => `± ${decimal(Math.min(0.5, x) * 100, x < 0.1 ? 1 : 0)} pts`
  // A day under the chart as the reader's browser writes one (29. Nov., Nov 29): a bare "03-04" is the 3rd of April
  // to a reader of day-month dates. The days are UTC days.
  const shortDay = new Intl.DateTimeFormat(LOCALE, { month: 'short', day: 'numeric', timeZone: 'UTC' })
  const notEnough = (why = NA) => el('span', { class: 'na' }, why)
  /**
   * Why a figure has no estimate: "no reports" where not one report in the window answered a question it is
   * estimated from (none at all yet, or a question no browser asks, as the holdout's without one), else "not enough
   * reports yet": more traffic helps only the second.
   */
  const whyNone = (doc, ...questions) => {
    const answers = doc.insights && doc.insights.reportsByQuestion
    return !(doc.reports > 0) || (answers && questions.some((q) => answers[q] === 0)) ? NONE : NA
  }
  /** True when a day's (or 7 days') segment shares have no report behind them: none that day, or none in the window answered the segment question. */
  const noShares = (doc, d) => noReports(d) || (doc.reports > 0 && whyNone(doc, 'segment') === NONE)
  // A retrain adds `+rYYYYMMDD` to the session pack's version (`+rYYYYMMDD.2` a second one that day): said as the
  // UTC day it was retrained.
  const longDay = new Intl.DateTimeFormat(LOCALE, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' })
  const packName = (packId) => {
    const retrain = /\+r(\d{4})(\d{2})(\d{2})(?:\.(\d+))?\+lifetime@/.exec(packId)
    const nth = retrain?.[4] ? `, retrain ${retrain[4]} of the day` : ''
    return retrain ? `${packId} (retrained ${longDay.format(Date.parse(`${retrain[1]}-${retrain[2]}-${retrain[3]}T00:00:00Z`))}${nth})` : packId
  }
  // A collector's notice (simulated figures) by its first words, up to its first colon or full stop.
  const noticeHead = (doc) => (doc.notice ? doc.notice.split(/[:.]/)[0].trim() : '')
  const reportsOf = (n) => `${count(n)} report${n === 1 ? '' : 's'}`
  /** The known packs at the ε in force whose reports the figures leave out (a retrained pack browsers moved to). */
  const candidates = (doc) => (doc.otherGroups || []).filter((g) => g.known && g.reports > 0)
  const listOf = (items) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`)
  // Money in the shop's currency where the collector names one (insights.json `currency`, from --currency), written as
  // the reader's browser writes it (€52.50, 52,50 €, ¥5,250); without one, a plain figure with two decimals.
  let moneyFormat = null
  const money = (x) => (moneyFormat ? moneyFormat.format(Math.max(0, x)) : Math.max(0, x).toLocaleString(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 2 }))
  const count = (x) => Math.round(x).toLocaleString(LOCALE)
  /** An AUC as retrain prints it, four decimals, in the reader's number format. */
  const aucOf = (x) => x.toLocaleString(LOCALE, { minimumFractionDigits: 4, maximumFractionDigits: 4 })
  // ε is taken in hundredths (0.7 × 3 is 2.1): written as the page writes its other figures, 0,5 beside 1.234,50.
  const epsilonOf = (x) => x.toLocaleString(LOCALE, { maximumFractionDigits: 2 })
  // A projection from a handful of reports can be astronomically large (a rate of rare events, an interval far
  // wider than the rate): past this it only means "far more than now", and says so.
  const MAX_PROJECTED = 1e8
  const needed = (x) => (x > MAX_PROJECTED ? `more than ${count(MAX_PROJECTED)}` : `about ${count(x)}`)

  /** Whether an estimate is shown as a figure: there is one, and enough reports behind it. */
  const isShown = (estimate) => Boolean(estimate && estimate.enough && estimate.value !== null)
  /** insights.json's `reason` of a figure not shown that more reports would not show, else ''. */
  const reasonOf = (estimate) => (estimate && !estimate.enough && typeof estimate.reason === 'string' ? estimate.reason : '')
  /**
   * Why a figure is not shown where more reports would not help (insights.json `reason`: the order-value bands cannot
   * measure the shop's order values), in full where there is room (a headline figure, the download), else its last
   * clause ("this shop's order values cannot be measured with these bands").
   */
  const unmeasured = (estimate, short = false) => {
    const reason = reasonOf(estimate)
    if (!reason) return null
    return el('span', { class: 'na why' }, short ? reason.slice(reason.lastIndexOf(': ') + 2) : reason)
  }
  /** One estimate cell: the value and its interval, or "not enough reports yet". */
  const cell = (estimate, format, why = NA) => {
    const td = el('td', { class: 'num' })
    if (!isShown(estimate)) {
      td.append(unmeasured(estimate, true) || notEnough(why))
      return td
    }
    // One element: where a narrow window stacks the rows, the figure and its interval stay together beside the
    // column's name (the CSS).
    td.append(el('span', {}, format(estimate.value), el('br'), el('span', { class: 'ci' }, `95%: ${format(estimate.low)} to ${format(estimate.high)}`)))
    return td
  }
  const rowHead = (...children) => el('th', { scope: 'row' }, ...children)
  const table = (id, head, rows, empty) => {
    const t = document.getElementById(id)
    t.replaceChildren(el('thead', {}, el('tr', {}, ...head.map((h) => (h instanceof Node ? h : el('th', { scope: 'col' }, h))))))
    const body = el('tbody')
    if (rows.length === 0) body.append(el('tr', {}, el('td', { colspan: String(head.length), class: 'empty' }, empty)))
    // Every table's first column names its row (an answer, a segment, a page, a day): the header of its row, which a
    // screen reader says with each figure of the row.
    // Each figure carries its column's name, shown beside it where a narrow window stacks the rows (the CSS).
    // A segment's column says its name alone (its abbr), as a screen reader says it.
    const label = (h) => (typeof h === 'string' ? h : h && (h.getAttribute('abbr') || h.textContent))
    for (const row of rows) {
      const cells = row.map((c, i) => (c instanceof Node ? c : i === 0 ? rowHead(c) : el('td', {}, c)))
      // By column, past a cell that spans several (a page left out of the window).
      let column = 0
      for (const c of cells) {
        if (c.localName === 'td' && !c.hasAttribute('colspan') && label(head[column])) c.setAttribute('data-label', label(head[column]))
        column += Number(c.getAttribute('colspan') || 1)
      }
      body.append(el('tr', {}, ...cells))
    }
    t.append(body)
  }
  // Leaf names from the pack the reports name (insights.json segmentNames / valueNames), else numbers.
  let names = { segment: null, value: null }
  const segmentName = (leaf) => (leaf === null ? 'No segment yet' : (names.segment && names.segment[leaf]) || `Segment ${leaf + 1}`)
  const valueName = (leaf) => (leaf === null ? 'No value segment yet' : (names.value && names.value[leaf]) || `Value segment ${leaf + 1}`)
  // And the ids the shop's pages use for them (onSegment, data-seglet-show, the <html> classes, the README's table),
  // where the collector knows the pack: '' for sessions without a segment, and for a pack it does not know.
  let ids = { segment: null, value: null }
  const segmentId = (leaf) => (leaf !== null && ids.segment && ids.segment[leaf]) || ''
  const valueId = (leaf) => (leaf !== null && ids.value && ids.value[leaf]) || ''
  /** A table's first cell, the header of its row: a segment's name, with its id in code under it where there is one. */
  const nameCell = (name, id) => (id ? rowHead(name, el('br'), el('code', { class: 'id' }, id)) : rowHead(name))
  /**
   * A column's header for a segment: its name, with its id in code under it where there is one, as the first cells of
   * the other tables. `abbr` gives a screen reader the name alone to repeat at each cell of the column.
   */
  const nameHead = (name, id) => (id ? el('th', { scope: 'col', abbr: name }, name, el('br'), el('code', { class: 'id' }, id)) : el('th', { scope: 'col' }, name))

  /**
   * The pages in the order the table and the download give them: those whose share of views is measured first, most
   * viewed first, then those with not enough reports yet by page key (their estimates are noise: ranked by them, a
   * page with a handful of reports could stand above measured ones, and move at every rewrite).
   */
  const measured = (p) => isShown(p.viewShare)
  const byKey = (a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
  const pageOrder = (pages) =>
    [...pages].sort((a, b) => Number(measured(b)) - Number(measured(a)) || (measured(a) ? b.viewShare.value - a.viewShare.value : 0) || byKey(a, b))

  /**
   * Past this many pages without a figure (every cell of their row "not enough reports yet", "not asked" or "in the next
   * page-statistics table", and not in the table last written), the page-statistics table folds them away behind a
   * button: a shop with thousands of candidate pages sees the pages with figures first, not a wall of empty rows. The
   * download holds every page, folded or not.
   */
  const QUIET_PAGES_SHOWN = 20
  // Whether the reader unfolded them: kept through the dashboard's own re-reads of the figures, until the page is left.
  let quietPagesShown = false
  // The figures the table was last drawn from, to fold or unfold its rows again.
  let lastPagesDoc

  /** The page keys the page-statistics table last written holds (none before one is written). */
  const inTable = (doc) => new Set((doc.pageStats && doc.pageStats.pages) || [])

  /**
   * What the table last written gives of each page, and what a rewrite now would give where that differs: "rates
   * and page value", "rates", "page value" or "no" ("page value, next: rates and page value"). A page value goes in
   * without waiting for the page's rates.
   */
  function tableCells(doc) {
    const stats = doc.pageStats || {}
    const [held, rates, values] = [stats.pages, stats.withRates, stats.withValue].map((keys) => new Set(keys || []))
    const what = (rate, value) => (rate && value ? 'rates and page value' : rate ? 'rates' : value ? 'page value' : 'no')
    return (p) => {
      // A collector that did not say what its rows hold: the page is in the table.
      const now = !held.has(p.key) ? 'no' : stats.withRates ? what(rates.has(p.key), values.has(p.key)) : 'yes'
      const next = p.published ? what(p.ratesPublished !== false, Boolean(p.pageValue && p.pageValue.enough)) : 'no'
      return now === next || (now === 'yes' && p.published) ? now : `${now}, next: ${next}`
    }
  }

  function facts(doc) {
    const items = [
      ['Reports', count(doc.reports)],
      // The privacy level the reports were sent at, named so for a marketer, by its symbol for a data person.
      ['Privacy level (ε)', epsilonOf(doc.epsilon)],
      // The days reports count by are UTC days, as the browsers send them: a reader far from UTC is told so.
      ['Window (UTC days)', `${doc.from} → ${doc.to}`],
      ['Pack', doc.context ? doc.context.packId : '—'],
      // In the table last written (pages load that one), and how many a rewrite now would publish where they differ.
      ['Published pages', `${count(inTable(doc).size)} of ${count(doc.pageKeys)}${inTable(doc).size === (doc.publishedPages ?? 0) ? '' : ` (${count(doc.publishedPages ?? 0)} from the next page-statistics table)`}`],
      // When these figures were read, on the reader's clock: the page reads them again by itself (see refresh()).
      ['Updated', readAt(Date.now())],
    ]
    // The figures are of one pack at the ε in force: reports of any other (a pack being rolled out, an earlier ε)
    // are left out, and the dashboard says how many.
    for (const g of doc.otherGroups || []) items.push(['Not counted above', `${count(g.reports)} report${g.reports === 1 ? '' : 's'} of ${g.packId} at ε ${epsilonOf(g.epsilon)}`])
    document.getElementById('facts').replaceChildren(...items.map(([k, v]) => el('div', {}, el('dt', {}, k), el('dd', {}, v))))
    // What the figures are when they are not a shop's (a simulated preview): said by the collector, shown above all.
    const notice = document.getElementById('notice')
    notice.hidden = !doc.notice
    notice.textContent = doc.notice || ''
    // And in the tab's title, by the notice's first words, so a tab of simulated figures is not taken for the shop's
    // among the others.
    const head = noticeHead(doc)
    document.title = head ? `${head} · Seglet insights` : 'Seglet insights'
    packNote(doc)
    manifestNote(doc)
  }

  /**
   * Once the signed packs' manifest is due to be renewed (the collector judges it, by the rule a retrain renews by),
   * says when it expires and the command that renews it; once it has expired, or when it cannot be read, says so as
   * an alert. A shop that publishes by hand is otherwise told nothing before browsers refuse it.
   */
  function manifestNote(doc) {
    const shown = document.getElementById('manifest-note')
    // Written apart, then put in place only if it says something new: an alert written again, as each refresh of the
    // figures would, is announced again.
    const note = el('p')
    writeManifestNote(note, doc.manifest)
    const hidden = !note.hasChildNodes()
    if (shown.hidden === hidden && shown.getAttribute('role') === note.getAttribute('role') && shown.innerHTML === note.innerHTML) return
    shown.hidden = hidden
    shown.replaceChildren(...note.childNodes)
    if (note.hasAttribute('role')) shown.setAttribute('role', note.getAttribute('role'))
    else shown.removeAttribute('role')
  }
  function writeManifestNote(note, m) {
    if (!m || m.status === 'valid') return
    if (m.status === 'unreadable') {
      note.setAttribute('role', 'alert')
      note.append(
        `The signed model packs' manifest cannot be read (${m.problem}): browsers refuse it, returning ones keep the packs they stored and take no new one, ` +
          "first visits use the hash-pinned or shipped packs, and no publish or retrain can renew it. On the collector's machine, move it away and publish the packs again, N above the last version published (browsers that stored it refuse a lower one): ",
        el('code', {}, m.renew),
        '.',
      )
      return
    }
    const on = `${longDay.format(Date.parse(m.expires))} (UTC)`
    const what = `The signed model packs' manifest (version ${m.version})`
    const refused = 'browsers refuse it: returning ones keep the packs they stored and take no new one, first visits use the hash-pinned or shipped packs.'
    if (m.status === 'expired') {
      note.setAttribute('role', 'alert')
      note.append(`${what} expired on ${on}: ${refused} Renew it now on the collector's machine: `)
    } else {
      const days = m.daysLeft.toLocaleString(LOCALE, { maximumFractionDigits: 1 })
      note.append(`${what} expires on ${on}, in ${days} day${m.daysLeft === 1 ? '' : 's'}: then ${refused} Renew it before then on the collector's machine: `)
    }
    note.append(el('code', {}, m.renew), ' (the same packs, signed again), or run a signing retrain.')
  }

  /**
   * Says which pack the figures are of, and, while another known pack has reports in the window (after a retrain,
   * browsers move to the new pack as they load it), that those are left out and the figures move to it once it has
   * more reports than the one followed.
   */
  function packNote(doc) {
    const note = document.getElementById('pack-note')
    note.hidden = !doc.context
    note.textContent = ''
    if (!doc.context) return
    const followed = doc.context.packId
    const said = [`The figures follow the pack ${packName(followed)}: they are of its ${reportsOf(doc.reports)} in this window.`]
    for (const g of candidates(doc)) {
      said.push(
        `Another known pack, ${packName(g.packId)}, has ${reportsOf(g.reports)} in this window, not counted in these figures: browsers that loaded it report under it. ` +
          `The figures move to it once it has more reports in the window than ${followed}.`,
      )
    }
    // Pack ids the collector does not know, at the ε in force: a pack the shop hosts itself (a retrain written without
    // a signing key) that it was never given, or made-up ids. The figures never move to them while a known pack has
    // reports, so the shop is told how to make its own pack known.
    const unknown = (doc.otherGroups || []).filter((g) => !g.known && g.reports > 0 && g.epsilon === doc.epsilon)
    if (unknown.length) {
      const n = unknown.reduce((sum, g) => sum + g.reports, 0)
      const named = unknown.length <= 3 ? `${unknown.length === 1 ? 'The pack' : 'The packs'} ${listOf(unknown.map((g) => packName(g.packId)))}` : `${count(unknown.length)} pack ids`
      said.push(
        `${named}, with ${reportsOf(n)} in this window, ${unknown.length === 1 ? 'is' : 'are'} not known to this collector: never counted in these figures while a known pack has reports. ` +
          'If your pages load one of them (a retrain written without a signing key, or a pack you host yourself), restart the collector with --known-pack naming its file.',
      )
    }
    note.textContent = said.join(' ')
  }

  /**
   * One row of the projections table as the page and the download both say it: the interval now (a number, or why
   * not), the reports needed (a number, or words) and whether the answer is usable now.
   */
  const projection = (t, doc) => {
    // A cell without enough reports has an interval too wide to mean anything: it is not shown as a number.
    const shown = t.halfWidthNow !== null && t.enough !== false
    const ready = shown && t.halfWidthNow <= t.target
    // No projection with reports in: the answer has no estimate yet (the lift without a holdout arm), or its
    // interval is already narrow enough but its cell too small to read (a segment of 1%), where the projection
    // would be the reports now; more reports may never make it readable.
    const unprojectable = (t.reportsNeeded === null && doc.reports > 0) || (!shown && t.halfWidthNow !== null && t.halfWidthNow <= t.target)
    return {
      interval: shown ? Math.min(0.5, t.halfWidthNow) : null,
      intervalSaid: t.halfWidthNow === null ? 'no estimate yet' : shown ? '' : whyNone(doc, ...(t.questions || [])),
      // Why no interval is shown: "no reports" where none in the window answered a question the answer is estimated from.
      why: whyNone(doc, ...(t.questions || [])),
      needed: unprojectable || t.reportsNeeded === null || ready || t.reportsNeeded > MAX_PROJECTED ? null : t.reportsNeeded,
      neededSaid: unprojectable
        ? 'cannot be projected from these reports yet'
        : t.reportsNeeded === null
          ? 'after the first reports'
          : ready
            ? 'reached'
            : t.reportsNeeded > MAX_PROJECTED
              ? `more than ${MAX_PROJECTED}`
              : '',
      ready,
    }
  }

  function traffic(doc) {
    table(
      'traffic',
      ['Answer', 'Interval now', 'Reports needed', 'Status'],
      doc.traffic.map((t) => {
        const p = projection(t, doc)
        return [
          t.answer,
          el('td', { class: 'num' }, p.interval !== null ? halfWidth(p.interval) : p.intervalSaid === p.why ? notEnough(p.why) : '—'),
          // Said in words that wrap where it cannot be projected.
          p.neededSaid === 'cannot be projected from these reports yet'
            ? el('td', {}, p.neededSaid)
            : el('td', { class: 'num' }, p.needed !== null ? needed(p.needed) : p.neededSaid === 'after the first reports' || p.neededSaid === 'reached' ? p.neededSaid : needed(t.reportsNeeded)),
          // An interval shown but still wider than the answer needs: its figures are on the page, so not "not
          // enough reports yet" (which says a figure is not shown), but not usable to that precision either.
          el('td', {}, p.ready ? 'usable now' : p.interval !== null ? 'needs more reports' : notEnough(p.why)),
        ]
      }),
      'No reports yet.',
    )
  }

  /** Lays an empty chart's note over its plot area only, clear of the axes and legend, whatever the width. */
  const placeNote = (chart) => {
    const note = chart.canvas && chart.canvas.parentElement.querySelector('.chart-empty')
    const area = chart.chartArea
    if (!note || !area) return
    const { offsetLeft: x, offsetTop: y, offsetWidth: width, offsetHeight: height } = chart.canvas
    note.style.left = `${x + area.left}px`
    note.style.top = `${y + area.top}px`
    note.style.right = `${note.parentElement.clientWidth - x - Math.min(width, area.right)}px`
    note.style.bottom = `${note.parentElement.clientHeight - y - Math.min(height, area.bottom)}px`
  }
  // Below this a plot's lines cannot be told apart: the chart grows taller instead (many segments, a narrow window).
  const MIN_PLOT = 140
  /**
   * Gives the chart the height its legend and labels take on top of a readable plot, and the legend all its rows
   * (Chart.js gives a legend at most half the chart's height and drops the rows past it). Never below the height
   * the style sheet sets (its min-height), and back to it once the window is wide again.
   */
  const fitPlot = (chart) => {
    const area = chart.chartArea
    const legend = chart.legend
    if (!area || !chart.canvas) return
    const box = chart.canvas.parentElement
    const legendHas = legend ? legend.bottom - legend.top : 0
    const legendNeeds = legend && legend.legendHitBoxes.length ? Math.max(legendHas, Math.max(...legend.legendHitBoxes.map((b) => b.top + b.height)) + 10 - legend.top) : legendHas
    const rest = box.clientHeight - (area.bottom - area.top) - legendHas
    const height = `${Math.ceil(Math.max(rest + MIN_PLOT + legendNeeds, 2 * legendNeeds))}px`
    if (box.style.height !== height) box.style.height = height
  }
  // Charts lay out again on every resize: the note follows their plot area, and the height follows what they hold.
  const FIT_PLUGIN = {
    id: 'fitPlot',
    afterUpdate: (chart) => {
      placeNote(chart)
      fitPlot(chart)
    },
  }

  // The series hidden from each chart's legend, by a key that names the series wherever it is drawn: a segment's line
  // by the pack the figures follow and its leaf (another pack's "Segment 3" is another segment), the bar chart's two
  // series by what they are. They stay hidden when the charts are drawn again (after a rewrite, or a reload of the
  // page: kept in this browser's storage for the collector's origin) until the reader shows them again. Storage
  // refused (a private window, a full disk) only keeps them for as long as the page.
  const HIDDEN_KEY = 'seglet-dashboard-hidden-series'
  const HIDDEN_VERSION = 2
  const hiddenOn = {}
  try {
    const saved = JSON.parse(localStorage.getItem(HIDDEN_KEY) || '{}')
    // Saved before by label ({ chart: [label] }): the bar chart's labels were its keys, and are kept; a segment's
    // label named no pack, so the lines it hid are shown again rather than hide another pack's segment.
    const charts = saved && saved.version === HIDDEN_VERSION ? saved.charts : { 'conversion-by-segment': saved && saved['conversion-by-segment'] }
    for (const id of ['segments-over-time', 'conversion-by-segment']) {
      if (charts && Array.isArray(charts[id])) hiddenOn[id] = new Set(charts[id].filter((key) => typeof key === 'string'))
    }
  } catch {
    // Unreadable or refused: every series shown.
  }
  const hidden = (id) => (hiddenOn[id] ||= new Set())
  const saveHidden = () => {
    try {
      const charts = Object.fromEntries(Object.entries(hiddenOn).map(([id, keys]) => [id, [...keys]]))
      localStorage.setItem(HIDDEN_KEY, JSON.stringify({ version: HIDDEN_VERSION, charts }))
    } catch {
      // Kept for this page only.
    }
  }
  /** The key a segment's line is hidden by: the pack the figures follow, and the segment's leaf in it. */
  const segmentKey = (doc, leaf) => JSON.stringify([doc.context ? doc.context.packId : null, leaf])
  /**
   * Forgets the lines hidden for segments of a pack the figures no longer name (neither followed nor among the other
   * packs with reports in the window): a pack the shop stopped using would otherwise stay in this browser's storage
   * for good. Only from figures that name a pack: a load that failed, or a window without reports, forgets nothing.
   */
  const forgetGonePacks = (doc) => {
    const packs = new Set([doc.context && doc.context.packId, ...(doc.otherGroups || []).map((g) => g.packId)].filter(Boolean))
    // A window without reports names no pack: that says nothing of which packs are gone.
    if (packs.size === 0) return
    const lines = hidden('segments-over-time')
    const gone = [...lines].filter((key) => {
      try {
        return !packs.has(JSON.parse(key)[0])
      } catch {
        return true
      }
    })
    for (const key of gone) lines.delete(key)
    if (gone.length > 0) saveHidden()
  }

  /**
   * A chart on the canvas `id`, in place of the one drawn there before (the dashboard draws again after a rewrite),
   * its series hidden where their `keys` (one per dataset) were.
   */
  const chartOn = (id, config, keys) => {
    const canvas = document.getElementById(id)
    const before = Chart.getChart && Chart.getChart(canvas)
    if (before) before.destroy()
    config.data.datasets.forEach((d, i) => {
      if (hidden(id).has(keys[i])) d.hidden = true
    })
    // The axes' figures in the page's locale too (Chart.js writes them in the browser's own otherwise).
    if (LOCALE) config.options = { ...config.options, locale: LOCALE }
    // The axes' words and grid in the page's colours, light or dark (Chart.js's own grey grid vanishes on the dark card).
    if (Chart.defaults) {
      const style = getComputedStyle(document.documentElement)
      Chart.defaults.color = style.getPropertyValue('--muted').trim() || Chart.defaults.color
      Chart.defaults.borderColor = style.getPropertyValue('--line').trim() || Chart.defaults.borderColor
    }
    return new Chart(canvas, config)
  }

  /**
   * The chart's legend as buttons under it, in place of the one Chart.js draws on the canvas (which a mouse alone
   * can use): each shows or hides its line or bars, by keyboard as by pointer, and says whether it is shown.
   */
  function legendOf(canvasId, chart, datasets, keys, titles = []) {
    const canvas = document.getElementById(canvasId)
    const box = canvas.parentElement
    if (box.nextElementSibling && box.nextElementSibling.classList.contains('legend')) box.nextElementSibling.remove()
    // No segments yet: nothing to show or hide, and no empty list for a screen reader to announce.
    if (datasets.length === 0) return
    const list = el('ul', { class: 'legend', 'aria-label': `Shown in the chart “${canvas.getAttribute('aria-label')}”` })
    datasets.forEach((d, i) => {
      const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' })
      swatch.style.borderTopColor = d.borderColor || d.backgroundColor
      swatch.style.borderTopStyle = (DASHES.find((s) => String(s.dash) === String(d.borderDash || [])) || DASHES[0]).swatch
      // A segment's id in its title, for a developer matching the line to the pages' code.
      const button = el('button', { type: 'button', 'aria-pressed': String(!d.hidden), ...(titles[i] ? { title: titles[i] } : {}) }, swatch, d.label)
      button.addEventListener('click', () => {
        const shown = !chart.isDatasetVisible(i)
        chart.setDatasetVisibility(i, shown)
        chart.update()
        button.setAttribute('aria-pressed', String(shown))
        if (shown) hidden(canvasId).delete(keys[i])
        else hidden(canvasId).add(keys[i])
        saveHidden()
      })
      list.append(el('li', {}, button))
    })
    box.after(list)
  }

  /** Says over an empty chart why it is empty, instead of leaving bare axes. */
  function noteIfEmpty(canvasId, chart, empty, text) {
    const box = document.getElementById(canvasId).parentElement
    box.querySelector('.chart-empty')?.remove()
    if (!empty) return
    box.append(el('p', { class: 'chart-empty' }, el('span', {}, text)))
    placeNote(chart)
  }

  /**
   * The periods the segment-share chart draws: each UTC day, or, where single days are too few reports to show most
   * shares and the collector pooled the reports of each 7 days to a day (`sevenDays`, estimated as one sample, its
   * interval that of the 7 days), those; in a window shorter than 7 days, which has no 7 days to pool, the whole
   * window pooled (the window's own shares, `insights.segments`), as one point. Days are kept while at least half
   * their shares can be shown, or while the pooled periods show no more. An `insights.json` written before
   * `sevenDays` has only days, or the whole window.
   */
  const DAY_PERIODS = {
    week: false,
    entries: (doc) => doc.daily || [],
    key: (d) => d.day,
    label: (d) => shortDay.format(Date.parse(`${d.day}T00:00:00Z`)),
    title: (d) => `${shortDay.format(Date.parse(`${d.day}T00:00:00Z`))} (UTC day)`,
    axis: 'UTC day',
    head: 'Day (UTC)',
    row: (d) => [d.day],
    chartLabel: 'Segment shares per day',
    summary: 'Segment shares per day as a table',
    note: 'Daily share of sessions in each segment, by UTC day.',
    gaps: (its) => `Gaps are days with not enough ${its}reports.`,
  }
  const WEEK_PERIODS = {
    week: true,
    entries: (doc) => doc.sevenDays || [],
    key: (p) => p.to,
    label: (p) => shortDay.format(Date.parse(`${p.to}T00:00:00Z`)),
    title: (p) => `7 days to ${shortDay.format(Date.parse(`${p.to}T00:00:00Z`))} (${shortDay.format(Date.parse(`${p.from}T00:00:00Z`))} – ${shortDay.format(Date.parse(`${p.to}T00:00:00Z`))}, UTC days)`,
    axis: '7 days to (UTC day)',
    head: '7 days (UTC)',
    row: (p) => [p.from, p.to],
    chartLabel: 'Segment shares over each 7 days',
    summary: 'Segment shares over each 7 days as a table',
    note: 'Share of sessions in each segment over the 7 days to each UTC day, pooling their reports: single days have too few reports to show most shares.',
    gaps: (its) => `Gaps are periods of 7 days with not enough ${its}reports.`,
  }
  const dayRange = (p) => `${shortDay.format(Date.parse(`${p.from}T00:00:00Z`))} – ${shortDay.format(Date.parse(`${p.to}T00:00:00Z`))}`
  const WINDOW_PERIODS = {
    week: true,
    entries: (doc) => (doc.reports > 0 && doc.insights ? [{ from: doc.from, to: doc.to, reports: doc.reports, segments: doc.insights.segments }] : []),
    key: (p) => p.to,
    label: dayRange,
    title: (p) => `The whole window (${dayRange(p)}, UTC days)`,
    axis: 'The whole window (UTC days)',
    head: 'Window (UTC)',
    row: (p) => [p.from, p.to],
    chartLabel: 'Segment shares over the whole window',
    summary: 'Segment shares over the whole window as a table',
    note:
      'Share of sessions in each segment over the whole window, pooling its reports, as one point: single days have too few reports to show most shares, ' +
      'and this window is shorter than the 7 days the chart otherwise pools them over (a longer --window-days draws a point for each 7 days).',
    gaps: (its) => `A segment without a point has not enough ${its}reports even over the whole window.`,
  }
  /** How many of the shares of the entries with reports can be shown, and of how many. */
  const sharesShown = (entries, leaves) => {
    let shown = 0
    let all = 0
    for (const e of entries) {
      if (!(e.reports > 0)) continue
      for (const leaf of leaves) {
        const s = e.segments.find((x) => x.leaf === leaf)
        all++
        if (isShown(s && s.share)) shown++
      }
    }
    return { shown, all }
  }
  const periodsOf = (doc, leaves) => {
    const days = sharesShown(DAY_PERIODS.entries(doc), leaves)
    const weeks = sharesShown(WEEK_PERIODS.entries(doc), leaves)
    if (days.all === 0 || 2 * days.shown >= days.all) return DAY_PERIODS
    if (weeks.all > 0) return weeks.shown / weeks.all > days.shown / days.all ? WEEK_PERIODS : DAY_PERIODS
    // A window shorter than 7 days has no 7 days to pool: its days are pooled over the whole window instead (a window
    // of one day is that day).
    const whole = windowDays(doc).length > 1 && windowDays(doc).length < 7 ? sharesShown(WINDOW_PERIODS.entries(doc), leaves) : { shown: 0, all: 0 }
    return whole.all > 0 && whole.shown / whole.all > days.shown / days.all ? WINDOW_PERIODS : DAY_PERIODS
  }

  /**
   * Why the last days are not yet what they will be: a session is reported at a later visit of its browser, up to
   * MAX_REPORT_AGE_DAYS on, so a recent day has only the reports of the shoppers who came back soonest.
   */
  const STILL_ARRIVING = "The last 7 days' reports are still arriving: each is sent at a later visit, so a recent day holds the shoppers who came back soonest so far."

  /** The chart's note: where its periods have reports of another known pack, says they are not in its shares. */
  function dailyNote(doc, periods) {
    const days = (doc.daily || []).filter((d) => d.otherPackReports > 0)
    const note = document.getElementById('segments-daily-note')
    if (days.length === 0 || !doc.context) {
      note.textContent = `${periods.note} ${periods.gaps('')} ${STILL_ARRIVING}`
      return
    }
    const total = days.reduce((sum, d) => sum + d.otherPackReports, 0)
    const when = days.length === 1 ? `on ${days[0].day}` : `on ${count(days.length)} days from ${days[0].day} to ${days[days.length - 1].day}`
    note.textContent =
      `${periods.note.replace(/\.$/, '')}, from the reports of ${doc.context.packId} only. ${periods.gaps('of its ').replace(/\.$/, ':')} ` +
      `${reportsOf(total)} ${when} are of ${listOf(candidates(doc).map((g) => g.packId))}, which these figures do not count. ${STILL_ARRIVING}`
  }

  /** The UTC days of the window, first to last, as the facts give it. */
  const windowDays = (doc) => {
    const days = []
    for (let t = Date.parse(`${doc.from}T00:00:00Z`); t <= Date.parse(`${doc.to}T00:00:00Z`) && days.length < 3660; t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10))
    return days
  }
  /**
   * A row's first cell: the UTC day or days it is of, as the header of its row (a screen reader says it with each
   * share), each day kept on one line: a narrow column broke "2026-11-03" into "2026-" and "11-03".
   */
  const periodHead = (days) => {
    const th = el('th', { scope: 'row', class: 'period' })
    days.forEach((day, i) => th.append(...(i > 0 ? [' to '] : []), el('span', { class: 'day' }, day)))
    return th
  }
  const NO_REPORTS_DAILY = 'No reports on any day of this window yet.'

  function segmentsOverTime(doc, leaves) {
    const periods = periodsOf(doc, leaves)
    const rows = periods.entries(doc)
    dailyNote(doc, periods)
    // A new shop's chart starts at its first reports, not at the window's start: otherwise most of it is an empty
    // axis. The table keeps every period of the window, the earlier ones saying "no reports".
    const first = rows.findIndex((d) => !noReports(d))
    const entries = first > 0 ? rows.slice(first) : rows
    if (first > 0) document.getElementById('segments-daily-note').append(` The chart starts at ${periods.label(entries[0])}, the first with reports; the table lists the ${count(first)} before it as "no reports".`)
    const canvas = document.getElementById('segments-over-time')
    canvas.setAttribute('aria-label', periods.chartLabel)
    canvas.parentElement.parentElement.querySelector('details summary').textContent = periods.summary
    // Without reports the document lists no day: the chart still spans the window the facts name, empty.
    const labels = doc.reports > 0 ? entries.map(periods.label) : windowDays(doc).map((day) => DAY_PERIODS.label({ day }))
    const keys = leaves.map((leaf) => segmentKey(doc, leaf))
    // Each point's estimate, for its interval: a day's share is far noisier than the window's.
    const shares = leaves.map((leaf) =>
      entries.map((d) => {
        const s = d.segments.find((x) => x.leaf === leaf)
        return isShown(s && s.share) ? s.share : null
      }),
    )
    const colors = isDark() ? DARK_COLORS : COLORS
    const datasets = leaves.map((leaf, i) => ({
      label: segmentName(leaf),
      // A share is drawn within 0–100%, as the table shows it: an unbiased estimate can pass either end.
      data: shares[i].map((s) => (s ? Math.min(100, Math.max(0, s.value * 100)) : null)),
      borderColor: colors[i % colors.length],
      backgroundColor: colors[i % colors.length],
      borderDash: DASHES[Math.floor(i / colors.length) % DASHES.length].dash,
      spanGaps: false,
      tension: 0.2,
      // A single point (the whole window) is all there is of its line: drawn large enough to find.
      pointRadius: entries.length === 1 ? 5 : 3,
    }))
    const chart = chartOn('segments-over-time', {
      type: 'line',
      plugins: [FIT_PLUGIN],
      data: { labels, datasets },
      options: {
        maintainAspectRatio: false,
        animation: false,
        // Offset: a point on the first or last day is drawn whole, not cut by the chart's edge.
        // The x axis says what a point covers: a UTC day, or the 7 days to it.
        scales: { x: { offset: true, title: { display: true, text: periods.axis } }, y: { min: 0, max: 100, title: { display: true, text: '% of sessions' } } },
        // A point's share and its interval as the table writes them (42.4%, 95%: 38.1% to 46.6%), not Chart.js's raw
        // number (42.371) alone.
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: (items) => (items.length > 0 && entries[items[0].dataIndex] ? periods.title(entries[items[0].dataIndex]) : ''),
              label: (c) => {
                const s = shares[c.datasetIndex][c.dataIndex]
                return `${c.dataset.label}: ${rate(s.value)} (95%: ${rate(s.low)} to ${rate(s.high)})`
              },
              // The segment's id under it, as the pages' code names it.
              afterLabel: (c) => (segmentId(leaves[c.datasetIndex]) ? `id: ${segmentId(leaves[c.datasetIndex])}` : ''),
            },
          },
        },
      },
    }, keys)
    legendOf('segments-over-time', chart, datasets, keys, leaves.map((leaf) => segmentId(leaf) && `Segment id: ${segmentId(leaf)}`))
    noteIfEmpty('segments-over-time', chart, datasets.every((d) => d.data.every((v) => v === null)), doc.reports > 0 && whyNone(doc, 'segment') === NONE ? 'No reports yet for the segment shares.' : doc.reports > 0 ? `No day${(doc.sevenDays || []).length > 0 ? ', nor any 7 days,' : windowDays(doc).length > 1 && windowDays(doc).length < 7 ? ', nor the whole window,' : ''} has enough reports yet for its segment shares.` : NO_REPORTS_DAILY)
    // The chart's figures as text, for a screen reader and for telling the lines apart without their colours.
    table(
      'segments-daily',
      [periods.head, ...leaves.map((leaf) => nameHead(segmentName(leaf), segmentId(leaf)))],
      rows.map((d) => [
        periodHead(periods.row(d)),
        ...leaves.map((leaf) => (noShares(doc, d) ? el('td', { class: 'num' }, el('span', { class: 'na' }, NONE)) : cell((d.segments.find((x) => x.leaf === leaf) || {}).share, rate))),
      ]),
      doc.reports > 0 ? 'No days in this window yet.' : NO_REPORTS_DAILY,
    )
  }

  function conversionBySegment(doc) {
    const segs = doc.insights.segments
    const usable = segs.filter((s) => isShown(s.conversion))
    const datasets = [
      // Drawn within 0–100%, as the table shows it: an unbiased estimate slightly below 0 would hide under the axis.
      // The interval is a thin line across the bar at any width (one segment's bar fills a wide chart), so it
      // does not read as a second bar stacked on the first.
      { label: 'Conversion (%)', data: usable.map((s) => Math.min(100, Math.max(0, s.conversion.value * 100))), backgroundColor: isDark() ? 'rgba(74,140,240,0.8)' : 'rgba(47,111,222,0.75)', grouped: false, barPercentage: 0.7, maxBarThickness: 120 },
      { label: '95% interval', data: usable.map((s) => [Math.max(0, s.conversion.low * 100), Math.min(100, s.conversion.high * 100)]), backgroundColor: isDark() ? '#f3f5f8' : '#1d232b', grouped: false, barPercentage: 0.06, maxBarThickness: 4 },
    ]
    // Keyed by what they are, the same in every pack (and as their labels were when the keys were labels).
    const keys = ['Conversion (%)', '95% interval']
    const chart = chartOn('conversion-by-segment', {
      type: 'bar',
      plugins: [FIT_PLUGIN],
      data: { labels: usable.map((s) => segmentName(s.leaf)), datasets },
      options: {
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { min: 0, suggestedMax: usable.length === 0 ? 100 : undefined, title: { display: true, text: '% of sessions ordering' } } },
        plugins: {
          legend: { display: false },
          // As the table writes them (3.2%, and 95%: 2.5% to 3.9%), not Chart.js's raw numbers or "[2.5, 3.9]".
          tooltip: {
            callbacks: {
              label: (c) => (Array.isArray(c.raw) ? `95%: ${pct(c.raw[0] / 100)} to ${pct(c.raw[1] / 100)}` : `Conversion: ${pct(c.raw / 100)}`),
              // The segment's id under its name, as the pages' code names it.
              afterTitle: (items) => (items.length > 0 && segmentId(usable[items[0].dataIndex].leaf) ? `id: ${segmentId(usable[items[0].dataIndex].leaf)}` : ''),
            },
          },
        },
      },
    }, keys)
    // Without a bar, the chart folds to its note: a full-height empty axis says nothing, and pushes the table down.
    // Its legend goes with it, and the note, in the page's text, is what a screen reader reads in its place.
    const bare = usable.length === 0
    document.getElementById('conversion-by-segment').parentElement.classList.toggle('bare', bare)
    legendOf('conversion-by-segment', chart, bare ? [] : datasets, keys)
    noteIfEmpty('conversion-by-segment', chart, bare, whyNone(doc, 'outcome') === NA ? 'No segment has enough reports yet for its conversion.' : 'No reports yet for a segment\'s conversion.')
    table(
      'segments',
      ['Segment', 'Share of sessions', 'Conversion', 'Revenue per session'],
      segs.map((s) => [nameCell(segmentName(s.leaf), segmentId(s.leaf)), cell(s.share, rate, whyNone(doc, 'segment')), cell(s.conversion, rate, whyNone(doc, 'outcome')), cell(s.revenuePerSession, money, whyNone(doc, 'outcome', 'order'))]),
      'No segment answers yet.',
    )
  }

  /**
   * One headline figure: its label, the value and its interval, or "not enough reports yet" (or why more reports
   * would not show it). `muted`, a figure shown but not yet telling (a lift whose interval spans 0): greyed, with
   * those words under it.
   */
  const figure = (label, estimate, format, why = NA, muted = '') => {
    const value = isShown(estimate)
    return el(
      'div',
      value && muted ? { class: 'muted' } : {},
      el('div', { class: 'label' }, label),
      value ? el('div', { class: 'value' }, format(estimate.value)) : el('div', {}, unmeasured(estimate) || notEnough(why)),
      value ? el('div', { class: 'ci' }, `95%: ${format(estimate.low)} to ${format(estimate.high)}`) : '',
      value && muted ? el('div', { class: 'na' }, muted) : '',
    )
  }

  // The order-value bands browsers report (insights.json `overall.orderValueBands`; these where it has none), in the
  // shop's currency units as they are, each order counted at its band's value.
  const BANDS = [[0, 25, 12.5], [25, 50, 37.5], [50, 100, 75], [100, 250, 175], [250, 500, 375], [500, null, 750]].map(([from, to, value]) => ({ from, to, value }))
  const plain = (x) => x.toLocaleString(LOCALE, { maximumFractionDigits: 1 })
  const bandsOf = (doc) => ((doc.insights && doc.insights.overall && doc.insights.overall.orderValueBands) || BANDS)
  /** The bands and the value each counts for, in words: "0–25 (counted as 12.5), …, 500 and above (750)". */
  const bandsSaid = (doc) =>
    bandsOf(doc)
      .map((b, i) => `${b.to === null || b.to === undefined ? `${plain(b.from)} and above` : `${plain(b.from)}–${plain(b.to)}`} (${i === 0 ? 'counted as ' : ''}${plain(b.value)})`)
      .join(', ')
  /** How the money figures are estimated, under the whole shop's figures. */
  const orderValueNote = (doc) =>
    `Average order value, revenue per session (here and by segment) and page value are estimated from order-value bands: browsers report only the band of each order's total, ` +
    `${bandsSaid(doc)}, and each order counts for its band's value. The bands are in the shop's currency units as they are, whatever the currency` +
    `${doc.currency ? ` (here ${doc.currency}: the top band starts at ${money(500)})` : ''}. ` +
    'Where the reports show that more than 10% of orders are in the top band, or more than 70% in the lowest, these figures are not shown: the bands cannot measure that shop\'s order values.'

  function overall(doc) {
    const o = doc.insights.overall || {}
    document.getElementById('overall').replaceChildren(
      figure('Conversion', o.conversion, rate, whyNone(doc, 'order')),
      figure('Average order value', o.averageOrderValue, money, whyNone(doc, 'order')),
      figure('Revenue per session', o.revenuePerSession, money, whyNone(doc, 'order')),
      figure(PAGE_VIEWS, doc.insights.pageViewsPerSession, (x) => decimal(Math.max(0, x), 1), whyNone(doc, 'pageView')),
    )
    document.getElementById('order-value-note').textContent = orderValueNote(doc)
  }

  /**
   * Page views are counted among each session's last 12 pages with a page key (the browser's report draws from those):
   * said with the figure, so it is not read as a session's page views.
   */
  const PAGE_VIEWS = "Page views per session (of each session's last 12 keyed pages)"
  const VIEW_SHARE = 'Share of views (last 12 keyed pages)'
  const NOT_FROM_ZERO = 'not distinguishable from 0 yet'
  /**
   * Whether the lift's 95% interval lies wholly above or below 0 (insights.json `lift.distinguishableFromZero`, else
   * from its interval): while it spans 0 the lift is shown greyed, "not distinguishable from 0 yet".
   */
  const liftClear = (l) => (typeof l.distinguishableFromZero === 'boolean' ? l.distinguishableFromZero : Boolean(l.difference) && (l.difference.low > 0 || l.difference.high < 0))

  function lift(doc) {
    const l = doc.insights.lift
    document.getElementById('lift').replaceChildren(
      figure('Treatment conversion', l.treatmentConversion, rate, whyNone(doc, 'arm')),
      figure('Holdout conversion', l.holdoutConversion, rate, whyNone(doc, 'arm')),
      figure('Lift (treatment − holdout)', l.difference, points, whyNone(doc, 'arm'), liftClear(l) ? '' : NOT_FROM_ZERO),
      figure('Holdout share of sessions', l.holdoutShare, rate, whyNone(doc, 'arm')),
    )
  }

  /** A figure that is a count, not an estimate: training answers, which the collector counts exactly. */
  const countFigure = (label, n, of) =>
    el('div', {}, el('div', { class: 'label' }, label), el('div', { class: 'value' }, count(n)), of ? el('div', { class: 'ci' }, of) : '')

  /** Whether `retrain` would refit the session pack now (insights.json `training`), and from how many answers. */
  function training(doc) {
    const t = doc.training
    document.getElementById('training-section').hidden = !t
    if (!t) return
    // "Even" and "odd" are of the days since 1 January 1970 (UTC), as retrain's own words use them, not of the
    // dates: the last two days of the window name which is which (2026-11-30 is an odd day, 2026-12-01 an even one).
    const to = Date.parse(`${t.to}T00:00:00Z`)
    const last = (parity) => shortDay.format(to - ((Math.round(to / 86_400_000) - parity + 2) % 2) * 86_400_000)
    document.getElementById('training').replaceChildren(
      countFigure('Training answers', t.answers, `${t.answers >= t.minAnswers ? 'enough: ' : ''}a retrain needs ${count(t.minAnswers)}`),
      // The dates only: "even days: Dec 5" reads as a mistake to anyone who counts days of the month.
      countFigure(`To fit on (${last(0)} and every other day before)`, t.fitAnswers),
      countFigure(`Held out for the check (${last(1)} and every other day before)`, t.checkAnswers, `the check needs ${count(t.minCheckAnswers)}`),
    )
    // What the retrain that made the pack in use found: the shop sees its model learn, not only its answers arrive.
    const r = t.retrained
    const retrained = document.getElementById('training-retrained')
    retrained.hidden = !r
    if (r) {
      retrained.replaceChildren(
        `The pack in use, ${t.packVersion}, was refitted from ${count(r.answers)} training answers of ${r.from} to ${r.to}`,
        ...(r.heldOutAucAfter === undefined
          ? ['.']
          : [
              // The check's candidate was fitted on the other days; the pack was then refitted on every day.
              '. On the days its check held out, the fit ranked the sessions that ordered above those that did not with an AUC of ',
              el('strong', {}, aucOf(r.heldOutAucAfter)), `, against ${aucOf(r.heldOutAucBefore)} for the pack before it (0.5 is chance, 1 every time), and was then refitted on every day.`,
            ]),
      )
    }
    const status = document.getElementById('training-status')
    const of = `Of pages running ${t.network}, at ε ${epsilonOf(t.epsilon)}, ${t.from} to ${t.to}. `
    status.replaceChildren(
      of,
      ...(t.status === 'ready' && t.store === 'memory'
        ? [
            // A store in memory (--database memory:, the simulated preview) is gone with its process: no retrain can open it.
            el('strong', {}, 'Enough to retrain, '), 'but this collector keeps its reports in memory (', el('code', {}, '--database memory:'),
            '), which ', el('code', {}, 'npm run collector -- retrain'), ' cannot open: a collector with a folder or a PostgreSQL database keeps them for it. ',
            'The preview (', el('code', {}, 'npm run simulate -- --scenario dashboard'), ') runs one on its own answers with ', el('code', {}, '--retrain'), '.',
          ]
        : t.status === 'ready'
        ? [
            // With the fewest answers this status was judged by (the collector's --min-training-answers): retrain's own
            // default may be another, and it would wait.
            el('strong', {}, 'Ready to retrain: '), 'run ', el('code', {}, 'npm run collector -- retrain'), ' with ', el('code', {}, `--min-answers ${t.minAnswers}`),
            ...(t.packFile ? [', ', el('code', {}, '--pack'), ` the session pack file your pages load (version ${t.packVersion}),`] : []),
            ' and this collector\'s ', el('code', {}, '--database'), ', ', el('code', {}, '--epsilon'), ' and ', el('code', {}, '--window-days'),
            // A folder store is opened by one process at a time; a PostgreSQL database is shared.
            t.store === 'postgres' ? '.' : ' (its embedded store is used by one process at a time: stop the collector first, or share a PostgreSQL database).',
            // What it would do, before it publishes to every page.
            ' With ', el('code', {}, '--dry-run'), ' it says what it would do (accept the candidate or keep the pack in use, and why), writing nothing.',
          ]
        : [el('strong', {}, 'Not yet: '), `${t.reason}.`]),
    )
  }

  function valueSegments(doc) {
    table(
      'value-segments',
      ['Value segment', 'Share of sessions'],
      doc.insights.valueSegments.map((s) => [nameCell(valueName(s.leaf), valueId(s.leaf)), cell(s.share, rate, whyNone(doc, 'value'))]),
      'No value-segment answers yet.',
    )
  }

  /**
   * Which pages the page-value question asks about, as they were chosen: every candidate when there are no more, the
   * first ones in the shop's order before any views are estimated (none while no report answered the page-view
   * question: "no reports", as the tables say), else those with the most estimated views (not
   * "the most viewed": a page's estimate may not clear its noise yet).
   */
  const valuePagesSaid = (doc, n) =>
    doc.pageKeys === 0
      ? 'no page: the collector was given no candidate pages'
      : n >= doc.pageKeys
      ? `all ${count(doc.pageKeys)} candidate page${doc.pageKeys === 1 ? '' : 's'}`
      : whyNone(doc, 'pageView') === NONE
        ? `the first ${count(n)} candidate pages, in the order the collector was given them (no reports of page views yet: no views are estimated)`
        : !doc.insights.pages.some((p) => Number.isFinite(p.viewsPerSession && p.viewsPerSession.value))
          ? `the first ${count(n)} candidate pages, in the order the collector was given them (no views are estimated yet)`
        : `the ${count(n)} pages with the most estimated views`

  function pages(doc) {
    const rows = pageOrder(doc.insights.pages)
    const stats = doc.pageStats
    const asked = new Set(doc.valuePages || [])
    const inTableCell = tableCells(doc)
    document.getElementById('page-stats-note').textContent =
      (stats
        ? stats.file
          ? // What the shop's pages should name: the table under its own name, as the pointer gives it. A page naming
            // the fixed page-stats.json with this integrity refuses the table from its next rewrite on.
            `The current table (integrity ${stats.integrity}, ${stats.day}) is /seglet/${stats.file}. Pages load the published pages when they render pageStatsUrl and pageStatsIntegrity from page-stats.current.json, which names each new table: ${stats.path} with this integrity stops matching at the next rewrite.`
          : `The current table (integrity ${stats.integrity}, ${stats.day}) is served at ${stats.path}.`
        : 'The page-statistics table has not been written yet.') +
      " Share of views counts each session's last 12 pages with a page key, as the browser's report draws from those: a longer session's earlier pages, such as the one it landed on, are not counted, so pages viewed early in long sessions show less than their share and pages viewed late more." +
      ` Page value is order value per session that viewed the page, from orders placed after it (estimated from the order-value bands: see the whole shop above); the next page-statistics table asks about ${valuePagesSaid(doc, asked.size)} (browsers holding a table pick one of the pages it lists per page-value answer). A page's rates and its page value each go into the table once shown: the page value, which needs far fewer reports, does not wait for the rates.`
    table(
      'pages',
      ['Page key', VIEW_SHARE, 'Bounce rate', 'Exit rate', 'Sessions viewing it', 'Page value', 'In the table'],
      rows.map((p) => [
        p.key,
        cell(p.viewShare, rate, whyNone(doc, 'pageView')),
        cell(p.bounceRate, rate, whyNone(doc, 'pageView', 'pageExit')),
        cell(p.exitRate, rate, whyNone(doc, 'pageView', 'pageExit')),
        // Both from the page-value answers: a page they are not about yet says so alike in both columns.
        p.valueReports > 0 ? cell(p.sessionShare, rate) : asked.has(p.key) ? 'in the next page-statistics table' : 'not asked',
        p.valueReports > 0 ? cell(p.pageValue, money, whyNone(doc, 'order')) : asked.has(p.key) ? 'in the next page-statistics table' : 'not asked',
        // The table last written, which pages load; where a rewrite now would change it, says so.
        inTableCell(p),
      ]).concat(
        // A key added after some of the window's raw reports were purged has no estimate over this window.
        (doc.partialPageKeys || []).map((key) => [
          key,
          el('td', { colspan: '5', class: 'empty' }, 'left out of this window: added after some of its reports were deleted'),
          'no',
        ]),
      ),
      doc.pageKeys === 0 ? 'No candidate page keys: start the collector with --page-keys.' : 'No page answers yet.',
    )
    const quiet = rows.map(
      (p) => !measured(p) && !isShown(p.bounceRate) && !isShown(p.exitRate) && !(p.valueReports > 0 && (isShown(p.sessionShare) || isShown(p.pageValue))) && inTableCell(p) === 'no',
    )
    const folded = quiet.filter(Boolean).length
    const fold = folded > QUIET_PAGES_SHOWN
    // The rows of `rows` come first in the table, in their order; the pages left out of the window after them stay shown.
    const body = document.getElementById('pages').tBodies[0]
    quiet.forEach((q, i) => (body.rows[i].hidden = fold && q && !quietPagesShown))
    // Every row folded: the table says so rather than stand empty above its button.
    if (fold && !quietPagesShown && folded === body.rows.length) {
      body.append(el('tr', {}, el('td', { colspan: '7', class: 'empty' }, 'No page has a figure yet.')))
    }
    document.getElementById('pages-fold').hidden = !fold
    const more = document.getElementById('pages-more')
    more.setAttribute('aria-expanded', String(quietPagesShown))
    more.textContent = `${quietPagesShown ? 'Hide' : 'Show'} the ${count(folded)} pages without figures yet`
    lastPagesDoc = doc
  }

  /**
   * One CSV field (RFC 4180): a number as a plain number (6 significant digits, a point for decimals, or with
   * `comma` a comma: 0,5), a text quoted where it holds a comma, a semicolon, a quote or a line break. A text a
   * spreadsheet would run as a formula (a segment label or page key starting with =, +, -, @, a tab or a carriage
   * return) starts with an apostrophe, and stays text.
   */
  const csvField = (x, comma) => {
    if (typeof x === 'number') {
      if (!Number.isFinite(x)) return ''
      const plain = String(Number(x.toPrecision(6)))
      return comma ? plain.replace('.', ',') : plain
    }
    if (x === null || x === undefined) return ''
    const text = /^[=+\-@\t\r]/.test(String(x)) ? `'${x}` : String(x)
    return /[",;\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
  }
  /**
   * The rows as a CSV: comma-separated with decimal points, or (`comma`) semicolon-separated with decimal commas,
   * as a spreadsheet set to a language that writes 0,5 (German, French, Spanish, Italian, Dutch, …) reads a CSV it
   * opens: Excel splits it at the system's list separator, a semicolon there, and reads 0.5 as text or a date.
   */
  const csvOf = (rows, comma) => rows.map((row) => row.map((x) => csvField(x, comma)).join(comma ? ';' : ',')).join('\r\n') + '\r\n'

  // The file's format: decimal commas where the reader's browser writes numbers so (its language's spreadsheets
  // expect them), decimal points otherwise; the reader can pick the other beside the button.
  const csvFormat = document.getElementById('download-format')
  csvFormat.value = decimal(0.5, 1).includes(',') ? 'comma' : 'point'

  /**
   * The figures the dashboard shows, one estimate a row (section, UTC day for a daily one, name, measure, estimate,
   * 95% interval, or why there is none), clipped as the page shows them: rates and shares as fractions in 0–1, the
   * lift a difference of them in −1–1, money and page views per session never below 0. Each row names the pack the
   * figures are of (after a retrain, two downloads of one window can be of different packs) and the ε of the reports
   * they are estimated from (every figure is of the reports at the ε in force), so the file reads on its own. The
   * projections table comes last, its half-widths as fractions and its reports needed as counts, or in words.
   */
  // The CSV's names of the two figures counted among each session's last 12 keyed pages.
  const PAGE_VIEWS_MEASURE = "page views per session (of each session's last 12 keyed pages)"
  const VIEW_SHARE_MEASURE = "share of views (of each session's last 12 keyed pages)"
  function figuresCsv(doc, comma = false) {
    const unit = (x) => Math.min(1, Math.max(0, x))
    const signed = (x) => Math.min(1, Math.max(-1, x))
    const positive = (x) => Math.max(0, x)
    // Money, clipped as `positive`: its rows name the shop's currency.
    const amount = (x) => Math.max(0, x)
    const pack = doc.context ? doc.context.packId : ''
    // With the shop's currency, a column names it on each money row (the figures stay plain numbers). A segment's
    // rows name its id in the last column, as the shop's pages use it (onSegment, data-seglet-show); other rows leave
    // it empty. Last, so that every other column keeps its place.
    const rows = [['section', 'day', 'name', 'measure', 'estimate', 'low', 'high', 'status', 'pack', 'epsilon', ...(doc.currency ? ['currency'] : []), 'id']]
    // A figure shown but not yet telling (`muted`: a lift whose interval spans 0) says so in `status`, beside its figures;
    // one more reports would not show says why (`reason`).
    const add = (section, day, name, measure, estimate, clip, id = '', why = NA, muted = '') => {
      const shown = isShown(estimate)
      const currency = doc.currency ? [clip === amount ? doc.currency : ''] : []
      const reason = reasonOf(estimate)
      rows.push(shown ? [section, day, name, measure, clip(estimate.value), clip(estimate.low), clip(estimate.high), muted, pack, doc.epsilon, ...currency, id] : [section, day, name, measure, null, null, null, reason || why, pack, doc.epsilon, ...currency, id])
    }
    const said = (section, name, measure, status, value = null) => rows.push([section, '', name, measure, value, null, null, status, pack, doc.epsilon, ...(doc.currency ? [''] : []), ''])
    // The collector's notice (simulated figures) first, so a file read on its own says what its figures are.
    if (doc.notice) said('notice', '', '', doc.notice)
    const o = doc.insights.overall || {}
    add('whole shop', '', 'All sessions', 'conversion', o.conversion, unit, '', whyNone(doc, 'order'))
    add('whole shop', '', 'All sessions', 'average order value', o.averageOrderValue, amount, '', whyNone(doc, 'order'))
    add('whole shop', '', 'All sessions', 'revenue per session', o.revenuePerSession, amount, '', whyNone(doc, 'order'))
    add('whole shop', '', 'All sessions', PAGE_VIEWS_MEASURE, doc.insights.pageViewsPerSession, positive, '', whyNone(doc, 'pageView'))
    for (const s of doc.insights.segments) {
      add('segments', '', segmentName(s.leaf), 'share of sessions', s.share, unit, segmentId(s.leaf), whyNone(doc, 'segment'))
      add('segments', '', segmentName(s.leaf), 'conversion', s.conversion, unit, segmentId(s.leaf), whyNone(doc, 'outcome'))
      add('segments', '', segmentName(s.leaf), 'revenue per session', s.revenuePerSession, amount, segmentId(s.leaf), whyNone(doc, 'outcome', 'order'))
    }
    for (const d of doc.daily || []) {
      for (const s of doc.insights.segments) add('segment shares by day', d.day, segmentName(s.leaf), 'share of sessions', (d.segments.find((x) => x.leaf === s.leaf) || {}).share, unit, segmentId(s.leaf), noShares(doc, d) ? NONE : NA)
    }
    // Each 7 days pooled, by their last day.
    for (const p of doc.sevenDays || []) {
      for (const s of doc.insights.segments) add('segment shares over 7 days', p.to, segmentName(s.leaf), 'share of sessions', (p.segments.find((x) => x.leaf === s.leaf) || {}).share, unit, segmentId(s.leaf), noShares(doc, p) ? NONE : NA)
    }
    const l = doc.insights.lift || {}
    add('holdout', '', 'Treatment', 'conversion', l.treatmentConversion, unit, '', whyNone(doc, 'arm'))
    add('holdout', '', 'Holdout', 'conversion', l.holdoutConversion, unit, '', whyNone(doc, 'arm'))
    add('holdout', '', 'Treatment − holdout', 'lift (treatment − holdout)', l.difference, signed, '', whyNone(doc, 'arm'), l.difference && !liftClear(l) ? NOT_FROM_ZERO : '')
    add('holdout', '', 'Holdout', 'share of sessions', l.holdoutShare, unit, '', whyNone(doc, 'arm'))
    for (const s of doc.insights.valueSegments) add('value segments', '', valueName(s.leaf), 'share of sessions', s.share, unit, valueId(s.leaf), whyNone(doc, 'value'))
    const asked = new Set(doc.valuePages || [])
    const inTableCell = tableCells(doc)
    for (const p of pageOrder(doc.insights.pages)) {
      add('pages', '', p.key, VIEW_SHARE_MEASURE, p.viewShare, unit, '', whyNone(doc, 'pageView'))
      add('pages', '', p.key, 'bounce rate', p.bounceRate, unit, '', whyNone(doc, 'pageView', 'pageExit'))
      add('pages', '', p.key, 'exit rate', p.exitRate, unit, '', whyNone(doc, 'pageView', 'pageExit'))
      for (const [measure, estimate, clip] of [['sessions viewing it', p.sessionShare, unit], ['page value', p.pageValue, amount]]) {
        if (p.valueReports > 0) add('pages', '', p.key, measure, estimate, clip, '', measure === 'page value' ? whyNone(doc, 'order') : NA)
        else said('pages', p.key, measure, asked.has(p.key) ? 'in the next page-statistics table' : 'not asked')
      }
      said('pages', p.key, 'in the table', inTableCell(p))
    }
    for (const key of doc.partialPageKeys || []) said('pages', key, VIEW_SHARE_MEASURE, 'left out of this window: added after some of its reports were deleted')
    for (const t of doc.traffic || []) {
      const p = projection(t, doc)
      said('projections', t.answer, 'target half-width', '', t.target)
      said('projections', t.answer, 'half-width now', p.intervalSaid, p.interval)
      said('projections', t.answer, 'reports needed', p.neededSaid, p.needed)
      said('projections', t.answer, 'usable now', p.ready ? 'yes' : 'no')
    }
    // Training the purchase-intent model, by its network: the counts of the window, then whether a retrain would fit now.
    const t = doc.training
    if (t) {
      said('training', t.network, 'training answers', '', t.answers)
      said('training', t.network, 'on even days (fit)', '', t.fitAnswers)
      said('training', t.network, 'on odd days (check)', '', t.checkAnswers)
      said('training', t.network, 'answers a retrain needs', '', t.minAnswers)
      said('training', t.network, 'held-out answers the check needs', '', t.minCheckAnswers)
      said('training', t.network, 'retrain now', t.status === 'ready' ? 'ready' : `not yet: ${t.reason}`)
      // What the retrain that made the pack in use found, its days in the status column.
      const r = t.retrained
      if (r) {
        const of = `pack in use ${t.packVersion}, refitted on ${r.from} to ${r.to}`
        said('training', t.network, 'answers the pack in use was refitted from', of, r.answers)
        if (r.heldOutAucAfter !== undefined) {
          said('training', t.network, 'held-out AUC of the pack before it', of, r.heldOutAucBefore)
          said('training', t.network, 'held-out AUC of the pack in use', of, r.heldOutAucAfter)
        }
      }
    }
    return csvOf(rows, comma)
  }

  /**
   * A table wider than its card scrolls in its box: that box is then a named region in the tab order, so a
   * keyboard can reach it and scroll it with the arrow keys. A box that does not scroll stays out of the tab order.
   * It is checked again whenever a box or its table changes size: a new width of the window, a details opened, a
   * table written again with longer figures, a font that arrived late.
   */
  function markScrollers() {
    for (const box of document.querySelectorAll('.scroll')) {
      if (box.scrollWidth > box.clientWidth + 1) {
        const title = box.closest('details')?.querySelector('summary') || box.closest('section')?.querySelector('h2')
        box.setAttribute('tabindex', '0')
        box.setAttribute('role', 'region')
        box.setAttribute('aria-label', title ? title.textContent : 'Table')
      } else {
        for (const name of ['tabindex', 'role', 'aria-label']) box.removeAttribute(name)
      }
    }
  }
  window.addEventListener('resize', markScrollers)
  for (const details of document.querySelectorAll('details')) details.addEventListener('toggle', markScrollers)
  if (typeof ResizeObserver === 'function') {
    const sizes = new ResizeObserver(markScrollers)
    for (const box of document.querySelectorAll('.scroll')) {
      sizes.observe(box)
      if (box.firstElementChild) sizes.observe(box.firstElementChild)
    }
  }

  /**
   * A request that did not get its answer, said in words a shop's marketer can act on (`said`: what happened and
   * what to do), with what the collector's operator needs beside it (`detail`: the status, the server's code or the
   * browser's own words), shown smaller or at the end.
   */
  class Problem extends Error {
    constructor(said, detail) {
      super(`${said} (${detail})`)
      this.said = said
      this.detail = detail
    }
  }
  /** The problem of an answer that is not the JSON asked for: its status, and its body's error code if any. */
  const refused = (response, code, what) => {
    const detail = `HTTP ${response.status}${code ? `: ${code}` : ''}`
    const status = response.status
    // A sign-in in front of the collector (the shop's own), or the collector's cross-site check.
    if (status === 401 || status === 407) return new Problem('you are not signed in, or your session ran out: sign in again, then try again', detail)
    if (status === 403) return new Problem('access was refused: sign in with an account allowed to use the dashboard, open it at the collector\'s own address, then try again', detail)
    // The collector's own answer when its database did not answer a read in time (--read-timeout): it is running.
    if (status === 503 && code === 'storage_timeout') {
      const after = Number(response.headers?.get?.('retry-after'))
      const when = Number.isInteger(after) && after > 0 ? `in ${after} second${after === 1 ? '' : 's'}` : 'in a minute'
      return new Problem(`the collector is running, but its database did not answer in time: try again ${when}; if it keeps happening, the collector's operator should check that its database is up and reachable`, detail)
    }
    // The collector's own answer when its database cannot add the reports stored last to the figures (a full disk).
    if (status === 503 && code === 'storage_failed') {
      return new Problem('the collector is running, but its database cannot add the latest reports to the figures, most often because its disk is full: the collector\'s operator should free space on the database\'s disk, or check that the database is up and can write, then try again; no stored report is lost, and the figures come back with all of them', detail)
    }
    // A proxy in front of the collector that cannot reach it (the collector answers reports, and reads its database
    // did not answer in time or could not sum for, with a 503 of its own).
    if (status === 502 || status === 503 || status === 504) return new Problem('the collector could not be reached: check that it is running, then try again', detail)
    if (status >= 500) return new Problem(`the collector ran into an error ${what}: try again; if it keeps failing, its operator should check that its database is up and its disk is not full`, detail)
    return new Problem('the collector refused the request: try again, or reload this page', detail)
  }
  /** A 200 that is not JSON: a sign-in that redirects to its own page when a session runs out. */
  const notJson = (response, url, what) =>
    new Problem(`the answer was a web page, not ${what}: most likely the shop's sign-in, after a session ran out; sign in again, then try again`, `HTTP ${response.status} from ${response.url || url}`)
  /** Any failure as a problem: a fetch that threw reached no server at all (the browser says "Failed to fetch"). */
  const problemOf = (error) =>
    error instanceof Problem ? error : new Problem('the collector could not be reached: check that it is running and that this computer is online, then try again', error.message)

  // Loads started: only the latest draws (or says it failed), so figures that arrive late cannot replace newer ones.
  let loads = 0
  // Whether figures are on the page: a load that fails after them leaves them there, marked possibly out of date.
  let drawn = false
  const STALE = 'Possibly out of date: these figures are from before the table was rewritten, and could not be reloaded.'
  function markStale(on, said = STALE) {
    for (const section of document.querySelectorAll('main section')) {
      section.querySelector('.stale')?.remove()
      if (on) section.querySelector('h2').after(el('p', { class: 'stale' }, said))
    }
    document.querySelector('#facts .stale')?.remove()
    if (on) document.getElementById('facts').prepend(el('div', { class: 'stale' }, el('dt', {}, 'Status'), el('dd', {}, 'possibly out of date')))
  }
  async function load() {
    const mine = ++loads
    triedAt = Date.now()
    schedule()
    let doc
    try {
      const response = await fetch('/seglet/insights.json', { credentials: 'same-origin', cache: 'no-store' })
      // A refusal or a failure (the shop's sign-in, a proxy, the collector's database down) is said as such.
      if (!response.ok) {
        const error = await response.json().then((body) => body && body.error, () => null)
        throw refused(response, error, 'computing the figures')
      }
      // A sign-in that redirects to its own page (a session run out) answers 200 with that page, not JSON.
      doc = await response.json().catch(() => {
        throw notJson(response, '/seglet/insights.json', 'the figures')
      })
    } catch (error) {
      if (mine === loads) throw error
      return
    }
    if (mine !== loads) return
    // A keyboard's place in a legend drawn again (a refresh, a rewrite) is kept on the same series' button.
    const focused = legendFocus()
    names = { segment: doc.segmentNames || null, value: doc.valueNames || null }
    ids = { segment: doc.segmentIds || null, value: doc.valueIds || null }
    moneyFormat = doc.currency ? new Intl.NumberFormat(LOCALE, { style: 'currency', currency: doc.currency }) : null
    forgetGonePacks(doc)
    document.getElementById('no-reports')?.remove()
    facts(doc)
    traffic(doc)
    if (!doc.insights) {
      // Said first, and every section below still drawn empty, each saying in place that it has nothing yet.
      document.querySelector('main').prepend(el('p', { class: 'empty', id: 'no-reports' }, `No reports at ε ${epsilonOf(doc.epsilon)} in this window yet.`))
      doc.insights = { segments: [], valueSegments: [], pages: [], lift: {}, overall: {} }
    }
    const leaves = doc.insights.segments.map((s) => s.leaf)
    overall(doc)
    segmentsOverTime(doc, leaves)
    conversionBySegment(doc)
    lift(doc)
    valueSegments(doc)
    pages(doc)
    training(doc)
    markScrollers()
    drawn = true
    shown = doc
    // Without reports there is nothing to download, and a rewrite would publish no page: neither is offered.
    document.getElementById('download').hidden = doc.reports === 0
    document.getElementById('download-format-label').hidden = doc.reports === 0
    regenerate.hidden = doc.reports === 0
    document.getElementById('regenerate-none').hidden = doc.reports > 0
    markStale(false)
    focused()
    loadedAt = triedAt
  }

  // The reader's system turned dark or light with the page open: the charts drawn again in that scheme's colours.
  if (darkScheme && darkScheme.addEventListener) {
    darkScheme.addEventListener('change', () => {
      if (!shown) return
      const focused = legendFocus()
      segmentsOverTime(shown, shown.insights.segments.map((s) => s.leaf))
      conversionBySegment(shown)
      focused()
    })
  }

  /**
   * The figures of today's UTC day change as reports arrive, and the window moves on at UTC midnight (a retrain that
   * was "ready" at 23:59 may not be at 00:01): an open dashboard reads them again by itself every REFRESH_MS while it
   * is shown, and at once when it is shown again after that long or on a later UTC day. A hidden tab asks the
   * collector nothing. A read that fails leaves the figures drawn, marked as from the last one that worked.
   */
  const REFRESH_MS = 5 * 60_000
  const utcDayOf = (ms) => Math.floor(ms / 86_400_000)
  // In UTC with its day, as the window's days are: a bare local time ("4:43 AM") does not say which day's figures
  // these are to a reader far from UTC, where that is already the next day or still the one before.
  const utcClock = new Intl.DateTimeFormat(LOCALE, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' })
  const readAt = (ms) => `${new Date(ms).toISOString().slice(0, 10)} ${utcClock.format(ms)} UTC`
  // When the last read began (the next is REFRESH_MS after it), and when the figures drawn were read.
  let triedAt = 0
  let loadedAt = 0
  let timer
  function schedule() {
    clearTimeout(timer)
    if (document.visibilityState !== 'hidden') timer = setTimeout(refresh, Math.max(0, triedAt + REFRESH_MS - Date.now()))
  }
  function refresh() {
    // A rewrite reads the figures again when it is done (and the timer is set again then, whatever its outcome).
    if (document.visibilityState === 'hidden' || regenerate.getAttribute('aria-busy') === 'true') return
    load().catch((error) => {
      if (!drawn) return loadFailed(error)
      const problem = problemOf(error)
      markStale(true, `Possibly out of date: these figures were read at ${readAt(loadedAt)} and could not be read again since (this page tries again every 5 minutes): ${problem.said} (${problem.detail}).`)
    })
  }
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') return clearTimeout(timer)
    if (Date.now() - triedAt >= REFRESH_MS || utcDayOf(triedAt) !== utcDayOf(Date.now())) refresh()
    else schedule()
  })

  /**
   * Where a keyboard is in a chart's legend (its buttons are made again with each drawing), as a function that puts
   * it back on the button of the same position once the legend is drawn again; a no-op when focus is elsewhere.
   */
  function legendFocus() {
    const button = document.activeElement
    const list = button && button.closest && button.closest('ul.legend')
    if (!list) return () => {}
    const canvas = list.previousElementSibling.querySelector('canvas')
    const at = [...list.querySelectorAll('button')].indexOf(button)
    return () => {
      if (button.isConnected) return
      const again = canvas.parentElement.nextElementSibling
      const buttons = again && again.classList.contains('legend') ? again.querySelectorAll('button') : []
      if (buttons.length) buttons[Math.min(at, buttons.length - 1)].focus({ preventScroll: true })
    }
  }

  /**
   * The download's file name: `seglet-figures-<from>-to-<to>.csv`, or, with a collector's notice, its first words in
   * their place, in plain letters, digits and hyphens (`seglet-simulated-figures-…`), so a saved file of simulated
   * figures says so before it is opened.
   */
  const figuresFileName = (doc) => {
    const words = noticeHead(doc).normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '')
    return `seglet-${words || 'figures'}-${doc.from}-to-${doc.to}.csv`
  }

  // The figures last drawn, as the download gives them: the same document the page shows, nothing fetched again.
  let shown = null
  document.getElementById('download').addEventListener('click', () => {
    if (!shown) return
    const url = URL.createObjectURL(new Blob(['\uFEFF', figuresCsv(shown, csvFormat.value === 'comma')], { type: 'text/csv;charset=utf-8' }))
    const link = el('a', { href: url, download: figuresFileName(shown), hidden: '' })
    document.body.append(link)
    link.click()
    link.remove()
    // Once the browser has taken the file: revoked at once, some browsers would save nothing.
    setTimeout(() => URL.revokeObjectURL(url), 60_000)
  })

  // A rewrite reads the whole window: while one runs the button says so and asks for no other (each click would
  // queue one more behind it). Not `disabled`, which would drop a keyboard's focus from it.
  const regenerate = document.getElementById('regenerate')
  const busy = (on) => {
    for (const name of ['aria-disabled', 'aria-busy']) {
      if (on) regenerate.setAttribute(name, 'true')
      else regenerate.removeAttribute(name)
    }
  }
  document.getElementById('pages-more').addEventListener('click', () => {
    quietPagesShown = !quietPagesShown
    if (lastPagesDoc) pages(lastPagesDoc)
  })
  regenerate.addEventListener('click', async () => {
    if (regenerate.getAttribute('aria-busy') === 'true') return
    const out = document.getElementById('regenerate-result')
    busy(true)
    out.textContent = 'Rewriting the table…'
    try {
      const response = await fetch('/seglet/page-stats.json', { method: 'POST', credentials: 'same-origin' })
      // A refusal in front of the collector (the shop's sign-in, a proxy) answers with a page, not JSON.
      const result = await response.json().catch(() => null)
      // A sign-in that redirects to its own page (a session run out) answers 200 with that page: said as for the figures.
      if (!response.ok) throw refused(response, result?.error, 'writing the table')
      if (!result) throw notJson(response, '/seglet/page-stats.json', 'the table')
      const written = `Written: ${count(result.pages)} pages, ${result.integrity}`
      out.textContent = written
      // The section below then shows the table just written: its integrity, and which pages it holds. Where the
      // figures cannot be read again, the status says so, and the figures shown are marked as from before.
      load().catch((error) => {
        if (!drawn) return loadFailed(error)
        const problem = problemOf(error)
        out.textContent = `${written}, but the figures below could not be reloaded and may be out of date: ${problem.said.replace(/then try again$/, 'then reload this page')} (${problem.detail})`
        markStale(true)
      })
    } catch (error) {
      const problem = problemOf(error)
      // A rewrite the silent database still holds (storage_timeout) is written once it answers: "not yet", not "not".
      out.textContent = `The table ${/storage_timeout$/.test(problem.detail) ? 'is not rewritten yet' : 'was not rewritten'}: ${problem.said} (${problem.detail})`
    } finally {
      busy(false)
      schedule()
    }
  })
  function loadFailed(error) {
    const problem = problemOf(error)
    const said = problem.said.replace(/then try again$/, 'then reload this page')
    // The same alert again (the page tries again by itself) is not written, nor announced, again.
    if (document.querySelector('#facts .problem')?.textContent === `Could not load the figures: ${said}${problem.detail}`) return
    document.getElementById('facts').replaceChildren(
      el('div', {}, el('dt', {}, 'Status'), el('dd', { class: 'problem', role: 'alert' }, `Could not load the figures: ${said}`, el('span', { class: 'detail' }, problem.detail))),
    )
  }
  load().catch(loadFailed)
})()
