import type { ErrorReporter } from '../errors'
import type { ReportSummary } from '../reports/readReportSummary'
import type { Explanation, Segment } from '../segments'
import { adoptStyles } from './adoptStyles'
import { definitionList } from './definitionList'
import { downloadJson } from './downloadJson'
import { describeFunnel } from './describeFunnel'
import { describeIntent } from './describeIntent'
import { h } from './h'
import { PANEL_CSS } from './panelStyles'
import type { PanelText, PanelWord, PanelWords } from './panelText'
import { readPanelText } from './panelText'
import { reportSafely } from './reportSafely'
import { shopperReasons } from './shopperReasons'

/** What the panel says is stored on the device. */
export interface StoredSummary {
  /** Number of stored events. */
  events: number
  /** Time (ms since epoch) of the oldest stored event. */
  oldest?: number
  /** Where events are kept: IndexedDB (survives reloads) or memory (this page only). */
  mode: 'indexeddb' | 'memory'
  /** Consent state (`granted`, `pending`, `denied`). */
  consent: string
  /**
   * The shop turned the segment hint on and consent is granted: a cookie (`seglet_hint`, `personalize.segmentHint`)
   * holds the segment and an intent band, which the browser sends to the shop's server with its pages. The panel
   * says so. (Seglet never reads `document.cookie`: this is what the page's options say, not what the jar holds.)
   * @default false
   */
  segmentHint?: boolean
}

/** Options of `createPanel()`. */
export interface PanelOptions {
  /** The current segment. */
  getSegment: () => Segment | null
  /**
   * The explanation lines to show.
   * @default the current segment's `reasons`
   */
  explain?: () => Explanation[]
  /** What is stored on this device. */
  getStoredSummary: () => Promise<StoredSummary>
  /**
   * What private reports this browser sent (when the shop turned them on): the panel tells the shopper that
   * a report was sent (or prepared but not delivered), on which day, the privacy budget spent, and what it held.
   * @default undefined (reports are off: the panel does not mention them)
   */
  getReportSummary?: () => Promise<ReportSummary>
  /** Deletes everything Seglet stored (the "Forget me" button). */
  forget: () => Promise<void>
  /** Everything Seglet stored, for the "Export my data" download. */
  exportData: () => Promise<unknown>
  /**
   * Subscribe to segment changes so an open panel updates live (e.g. the personalizer's `onSegment`
   * with `immediate: false`).
   * @default undefined (the panel refreshes when shown)
   */
  onSegment?: (callback: (segment: Segment | null) => void) => () => void
  /**
   * Where failures of the buttons go (`hook_failed`).
   * @default ignore
   */
  onError?: ErrorReporter
  /**
   * The document to show the panel in.
   * @default globalThis.document, looked up at show()
   */
  document?: Document
  /**
   * Title and accessible name of the dialog (before `text.title`).
   * @default 'Why am I seeing this?'
   */
  title?: string
  /**
   * Every word the panel shows, in the shop's language, and its language tag (`lang`): the panel is marked with it
   * and writes its dates and numbers in it. Missing keys are shown in English (marked `lang="en"`). Checked when the panel
   * is created: an unknown key or a bad value throws an `OptionsError` (`invalid_option`).
   * @example text: { lang: 'de', title: 'Warum sehe ich das?', intentHigh: '{percent} (hoch)' }
   * @default English, marked `lang="en"`
   */
  text?: PanelText
  /**
   * File name of the export download.
   * @default 'seglet-data.json'
   */
  exportFileName?: string
}

/** The transparency panel. */
export interface Panel {
  /** Show the panel (building it on first use), refresh its content and focus it. */
  show(): void
  /** Hide the panel and give focus back. */
  hide(): void
  /** Re-read the segment, explanation and storage summary. */
  refresh(): void
  /** Whether the panel is shown. */
  isOpen(): boolean
  /** Remove the panel and stop listening. */
  destroy(): void
}

const CONSENT_WORDS: Record<string, PanelWord> = {
  granted: 'consentGranted',
  pending: 'consentPending',
  denied: 'consentDenied',
}

/** The words of the last report for each way its send went. */
const LAST_REPORT_WORDS: Record<NonNullable<ReportSummary['last']>['delivery'], PanelWord> = {
  sent: 'lastReportSent',
  sending: 'lastReportSending',
  unanswered: 'lastReportUnanswered',
  failed: 'lastReportFailed',
}

/** Tag of the panel's host element; an unknown custom element, so the shop's element selectors miss it. */
export const PANEL_TAG = 'seglet-panel'

/**
 * A small "Why am I seeing this?" panel: the current segment, confidence, purchase intent, value
 * segment, the explanation in plain words, what is stored on the device, and "Forget me" /
 * "Export my data" buttons. Lives in a shadow root with its own stylesheet (no inline styles, no
 * `innerHTML`), so the shop's CSS cannot break it, it cannot break the shop, and a strict CSP is fine.
 * Nothing is built before `show()`.
 *
 * @example
 * const panel = createPanel({
 *   getSegment: seglet.getSegment, getStoredSummary, forget: seglet.forget, exportData: seglet.exportData,
 * })
 * document.querySelector('#why')!.addEventListener('click', () => panel.show())
 */
export function createPanel(options: PanelOptions): Panel {
  const onError = options.onError ?? (() => {})
  const words = readPanelText(options.text, 'text')
  const dir = textDirection(words.lang)
  /** Marks English words in a panel of another language; in a right-to-left one they are written left to right. */
  const EN: Record<string, string> = dir === 'rtl' ? { lang: 'en', dir: 'ltr' } : { lang: 'en' }
  /** The words of `key`, in a `lang="en"` span when they are the English fallback in a panel of another language. */
  const say = (doc: Document, key: PanelWord, values?: Record<string, string>): string | Node => {
    const { text, english } = words.say(key, values)
    return english ? h(doc, 'span', EN, [text]) : text
  }
  /** What `describe` words with the panel's words, in a `lang="en"` span when it used an English fallback. */
  const sayWith = (doc: Document, describe: (words: PanelWords) => string | undefined): string | Node | undefined => {
    let english = false
    const text = describe({
      ...words,
      say(key, values) {
        const said = words.say(key, values)
        english ||= said.english
        return said
      },
    })
    return text !== undefined && english ? h(doc, 'span', EN, [text]) : text
  }
  /** What a report held (English: it names the report's question) in the shop's words, marked English in them. */
  const sayHeld = (doc: Document, held: string): string | Node => {
    const { text, english } = words.say('reportHeldValue', { held })
    if (english) return h(doc, 'span', EN, [text])
    const parts = text.split(held)
    if (!words.foreign || !held || parts.length === 1) return text
    const fragment = doc.createDocumentFragment()
    parts.forEach((part, i) => fragment.append(...(i > 0 ? [h(doc, 'span', EN, [held])] : []), part))
    return fragment
  }
  const fileName = options.exportFileName ?? 'seglet-data.json'

  let ui: ReturnType<typeof build> | undefined
  let open = false
  let unsubscribe: (() => void) | undefined
  let returnFocus: Element | null = null
  /** The opener's ancestors, for when the page removes the opener while the panel is open. */
  let openerPath: Element[] = []
  let busy = false
  let summaryRequest = 0
  let reportsRequest = 0
  /**
   * Escape pressed on the page closes the panel too: a keyboard that left the panel for the page may reach a control
   * the panel covers (most of the page on a phone), and Escape shows it without moving the focus. The page's own
   * use of Escape (a menu that closes and says so with preventDefault) keeps it.
   */
  const onPageKey = (event: Event) => {
    if ((event as KeyboardEvent).key === 'Escape' && !event.defaultPrevented) hide()
  }

  const guard = (what: string, fn: () => void) => {
    try {
      fn()
    } catch (error) {
      reportSafely(onError, what, error)
    }
  }

  function build(doc: Document) {
    const host = doc.createElement(PANEL_TAG)
    const root = host.attachShadow({ mode: 'open' })
    // Without constructed stylesheets the panel's styles are a <style> element, which a CSP `style-src`
    // without 'unsafe-inline' blocks: the panel still shows, unstyled, and the shop learns why, once.
    adoptStyles(root, PANEL_CSS)?.addEventListener(
      'securitypolicyviolation',
      () =>
        reportSafely(
          onError,
          "The panel's styles were blocked",
          new Error("this browser has no constructable stylesheets, and the page's Content Security Policy blocks a <style> element (style-src needs 'unsafe-inline', a nonce or a hash)"),
        ),
      { once: true },
    )

    const closeWords = words.say('close')
    const close = h(doc, 'button', { type: 'button', class: 'close', 'aria-label': closeWords.text, ...(closeWords.english ? EN : {}) }, ['×'])
    const segmentBox = h(doc, 'section', { class: 'segment' })
    const reasons = h(doc, 'section', { class: 'reasons' })
    const stored = h(doc, 'section', { class: 'stored' })
    const reports = h(doc, 'section', { class: 'reports' })
    const status = h(doc, 'p', { class: 'status', role: 'status', 'aria-live': 'polite' })
    const forget = h(doc, 'button', { type: 'button', class: 'forget' }, [say(doc, 'forget')])
    const exportButton = h(doc, 'button', { type: 'button', class: 'export' }, [say(doc, 'exportData')])
    // Its words are English unless the shop gave its own (`text`): `lang` has screen readers read them in theirs,
    // and `dir` writes them in their direction whatever the page's (an English panel on a Hebrew page, an Arabic one
    // on an English page).
    // Named by its heading, not an aria-label: an English title in a panel of another language is marked lang="en"
    // there, where an aria-label would be read in the panel's language.
    const dialog = h(doc, 'div', { class: 'panel', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'title', tabindex: '-1', lang: words.lang, dir }, [
      // A <div>, not a <header>: a <header> outside <main>, <section> and the like is a banner landmark, and the page has its own.
      h(doc, 'div', { class: 'head' }, [h(doc, 'h2', { id: 'title' }, [options.title ?? say(doc, 'title')]), close]),
      segmentBox,
      reasons,
      stored,
      reports,
      h(doc, 'div', { class: 'actions' }, [forget, exportButton]),
      status,
      h(doc, 'p', { class: 'muted note' }, [say(doc, 'note')]),
    ])
    root.append(dialog)

    close.addEventListener('click', () => hide())
    dialog.addEventListener('keydown', (event) => {
      if ((event as KeyboardEvent).key === 'Escape') {
        event.stopPropagation()
        hide()
      }
    })
    forget.addEventListener('click', () => void runAction('forget'))
    exportButton.addEventListener('click', () => void runAction('export'))

    return { doc, host, root, dialog, close, segmentBox, reasons, stored, reports, status, forget, exportButton }
  }

  function renderSegment() {
    if (!ui) return
    const { doc, segmentBox, reasons } = ui
    const segment = options.getSegment()
    const rows: Array<[string | Node, string | Node]> = []
    const children: Node[] = []
    if (!segment) {
      children.push(h(doc, 'p', { class: 'name' }, [say(doc, 'noSegment')]))
      children.push(h(doc, 'p', { class: 'muted' }, [say(doc, 'noSegmentNote')]))
    } else {
      children.push(h(doc, 'p', { class: 'name' }, [words.segmentName(segment.id, segment.name)]))
      const names = segment.pathNames && segment.pathNames.length === segment.path.length ? segment.pathNames : segment.path
      if (names.length > 1) children.push(h(doc, 'p', { class: 'muted path' }, [names.map((name, i) => words.segmentName(segment.path[i], name)).join(' › ')]))
      // The segment's description holds statistics of the data the model learned from: not for shoppers.
      if (segment.coldStart) {
        children.push(h(doc, 'p', { class: 'muted cold-start' }, [say(doc, 'coldStart')]))
      } else {
        rows.push([say(doc, 'howSure'), words.percent(segment.confidence)])
      }
      // A restored segment's funnel facts and chance are those of the page that decided it, maybe in an earlier visit.
      const earlier = segment.restored
      const stage = sayWith(doc, (w) => describeFunnel(segment.funnel, w))
      if (stage) rows.push([say(doc, earlier ? 'onEarlierPage' : 'inThisVisit'), stage])
      // The default of a visit's first page is the core's, without the model (no funnel facts): its intent of 0
      // means "not measured yet", not a 0% chance, so no chance is shown.
      if (!segment.coldStart || segment.funnel) rows.push([say(doc, earlier ? 'chanceToBuyEarlier' : 'chanceToBuy'), sayWith(doc, (w) => describeIntent(segment, w))!])
      if (segment.valueSegment) rows.push([say(doc, 'fromPastOrders'), words.segmentName(segment.valueSegment.id, segment.valueSegment.name)])
      if (segment.repeatProbability !== undefined) rows.push([say(doc, 'chanceToOrderAgain'), words.percent(segment.repeatProbability)])
      if (rows.length > 0) children.push(definitionList(doc, rows))
      if (segment.arm === 'holdout') {
        children.push(h(doc, 'p', { class: 'muted holdout' }, [say(doc, 'holdout')]))
      }
    }
    segmentBox.replaceChildren(...children)

    let lines: string[] = []
    const translated = new Set<string>()
    guard('The panel could not read the explanation', () => {
      const explained = options.explain ? options.explain() : segment?.reasons ?? []
      lines = shopperReasons(
        explained.map((line) => {
          const text = words.reason(line)
          if (text === undefined) return line
          translated.add(text)
          return { ...line, text }
        }),
      )
    })
    // An explanation line the shop did not word is English: marked so in a panel of another language. A restored
    // segment (an earlier page's, until this page decides) has none, as explanations are not stored: it rests on
    // what the shopper did before this page, not on nothing.
    reasons.replaceChildren(
      h(doc, 'h3', {}, [say(doc, 'basedOn')]),
      lines.length > 0
        ? h(doc, 'ul', {}, lines.map((line) => h(doc, 'li', words.foreign && !translated.has(line) ? EN : {}, [line])))
        : h(doc, 'p', { class: 'muted' }, [say(doc, segment?.restored ? 'decidedEarlier' : 'nothingYet')]),
    )
  }

  function renderStored() {
    if (!ui) return
    const { doc, stored } = ui
    const request = ++summaryRequest
    const heading = () => h(doc, 'h3', {}, [say(doc, 'stored')])
    stored.replaceChildren(heading(), h(doc, 'p', { class: 'muted' }, [say(doc, 'loading')]))
    Promise.resolve()
      .then(() => options.getStoredSummary())
      .then((summary) => {
        // A newer refresh is on its way; do not overwrite it with older numbers.
        if (!ui || request !== summaryRequest) return
        const rows: Array<[string | Node, string | Node]> = [[say(doc, 'events'), words.number(summary.events, 0)]]
        if (summary.oldest !== undefined) rows.push([say(doc, 'since'), new Date(summary.oldest).toLocaleDateString(words.locale)])
        rows.push([say(doc, 'storage'), say(doc, summary.mode === 'indexeddb' ? 'storageIndexedDb' : 'storageMemory')])
        const consent = CONSENT_WORDS[summary.consent]
        rows.push([say(doc, 'consent'), consent ? say(doc, consent) : summary.consent])
        if (summary.segmentHint) rows.push([say(doc, 'cookie'), say(doc, 'segmentHintCookie')])
        stored.replaceChildren(heading(), definitionList(doc, rows))
      })
      .catch((error: unknown) => {
        if (!ui || request !== summaryRequest) return
        stored.replaceChildren(heading(), h(doc, 'p', { class: 'muted' }, [say(doc, 'couldNotBeRead')]))
        reportSafely(onError, 'The panel could not read what is stored', error)
      })
  }

  function renderReports() {
    if (!ui) return
    const { doc, reports } = ui
    const read = options.getReportSummary
    const request = ++reportsRequest
    if (!read) {
      reports.replaceChildren()
      return
    }
    const heading = () => h(doc, 'h3', {}, [say(doc, 'reports')])
    const intro = () => h(doc, 'p', { class: 'muted' }, [say(doc, 'reportsIntro')])
    reports.replaceChildren(heading(), intro())
    Promise.resolve()
      .then(read)
      .then((summary) => {
        // A newer refresh is on its way; do not overwrite it with an older account.
        if (!ui || request !== reportsRequest) return
        const rows: Array<[string | Node, string | Node]> = []
        if (summary.unread) {
          // Consent pending: the ledger is not read, so "none sent yet" and today's budget would not be true.
          reports.replaceChildren(heading(), intro(), definitionList(doc, [[say(doc, 'lastReport'), say(doc, 'reportsUnread')]]))
          return
        }
        if (summary.last) {
          const day = formatDay(summary.last.sentDay, words.locale)
          const visit = formatDay(summary.last.sessionDay, words.locale)
          // Told as sent only once the shop answered: a failed send, or one still without an answer, is told as such
          // (the report was prepared, and its day's budget spent, but the shop may never have got it).
          rows.push([say(doc, 'lastReport'), say(doc, LAST_REPORT_WORDS[summary.last.delivery], { sent: day, prepared: day, visit })])
          rows.push([say(doc, 'reportHeld'), sayHeld(doc, summary.last.held)])
        } else {
          rows.push([say(doc, 'lastReport'), say(doc, 'noReportYet')])
        }
        rows.push([say(doc, 'privacyBudget'), say(doc, 'privacyBudgetValue', { spent: words.number(summary.spentToday), perDay: words.number(summary.epsilonPerDay) })])
        reports.replaceChildren(heading(), intro(), definitionList(doc, rows))
      })
      .catch((error: unknown) => {
        if (!ui || request !== reportsRequest) return
        reports.replaceChildren(heading(), h(doc, 'p', { class: 'muted' }, [say(doc, 'couldNotBeRead')]))
        reportSafely(onError, 'The panel could not read the report ledger', error)
      })
  }

  async function runAction(action: 'forget' | 'export') {
    if (!ui || busy) return
    busy = true
    const { doc, status, forget, exportButton, root } = ui
    // aria-disabled, not disabled: a disabled button loses the focus (to the page's body), and a keyboard
    // user with it, who could then not close the panel with Escape. `busy` refuses the clicks meanwhile.
    forget.setAttribute('aria-disabled', 'true')
    exportButton.setAttribute('aria-disabled', 'true')
    setStatus(say(doc, action === 'forget' ? 'deleting' : 'preparing'), false)
    try {
      if (action === 'forget') {
        await options.forget()
        setStatus(say(doc, 'deleted'), false)
      } else {
        const data = await options.exportData()
        downloadJson(root, data, fileName)
        setStatus(say(doc, 'downloaded', { fileName }), false)
      }
    } catch (error) {
      setStatus(say(doc, action === 'forget' ? 'deleteFailed' : 'exportFailed'), true)
      reportSafely(onError, action === 'forget' ? 'Forget me failed' : 'Export my data failed', error)
    } finally {
      busy = false
      forget.removeAttribute('aria-disabled')
      exportButton.removeAttribute('aria-disabled')
      if (action === 'forget') refresh()
    }
    function setStatus(text: string | Node, isError: boolean) {
      status.replaceChildren(text)
      status.classList.toggle('error', isError)
    }
  }

  function refresh() {
    guard('The panel could not be updated', () => {
      renderSegment()
      renderStored()
      renderReports()
    })
  }

  function show() {
    guard('The panel could not be shown', () => {
      const doc = ui?.doc ?? options.document ?? (typeof document !== 'undefined' ? document : undefined)
      if (!doc) return
      ui ??= build(doc)
      // The page removed the open panel (Turbo-style navigation swaps the whole <body>): show it again.
      if (open && !ui.host.isConnected) {
        open = false
        unsubscribe?.()
      }
      if (!open) {
        open = true
        // The element itself, not the shop's web component it sits in: a component's host rarely takes the focus.
        returnFocus = doc.activeElement
        while (returnFocus?.shadowRoot?.activeElement) returnFocus = returnFocus.shadowRoot.activeElement
        openerPath = []
        for (let node = returnFocus?.parentNode; node; node = node.parentNode ?? (node as ShadowRoot).host) if (node.nodeType === 1) openerPath.push(node as Element)
        // What an earlier Forget me or Export said is over: a panel opened again does not repeat it (an action
        // still running keeps its words, and gives its outcome when done).
        if (!busy) {
          ui.status.replaceChildren()
          ui.status.classList.remove('error')
        }
        ;(doc.body ?? doc.documentElement).appendChild(ui.host)
        unsubscribe = options.onSegment?.(() => guard('The panel could not be updated', renderSegment))
        doc.addEventListener('keydown', onPageKey)
      }
      refresh()
      ui.dialog.focus()
    })
  }

  function hide() {
    if (!open || !ui) return
    open = false
    guard('The panel could not be hidden', () => {
      unsubscribe?.()
      unsubscribe = undefined
      ui!.doc.removeEventListener('keydown', onPageKey)
      // Focus goes back only from the panel (or from nowhere): a shopper who moved on to the page's search field
      // keeps it when the page closes the panel.
      const active = ui!.doc.activeElement
      const inPanel = !active || active === ui!.host || active === ui!.doc.body
      ui!.host.remove()
      const target = returnFocus as HTMLElement | null
      // Removed meanwhile (the app rendered that part of the page again): the first control the shopper can see in
      // the closest part of the page that is still there.
      const kept = target && !target.isConnected ? openerPath.find((element) => element.isConnected) : undefined
      returnFocus = null
      openerPath = []
      if (!inPanel || !target) return
      if (target.isConnected) {
        if (!focusShown(target)) focusNextTo(ui!.doc, target)
      } else if (kept && ![...kept.querySelectorAll(TABBABLE)].some((element) => (element as HTMLElement).tabIndex >= 0 && focusShown(element))) {
        focusNextTo(ui!.doc, kept)
      }
    })
  }

  return {
    show,
    hide,
    refresh,
    isOpen: () => open,
    destroy() {
      hide()
      ui = undefined
    },
  }
}

/**
 * The direction a language tag is written in: `rtl` for Arabic, Hebrew, Persian, Urdu and the other languages or
 * scripts written right to left (`ar`, `he-IL`, `ku-Arab`), else `ltr`.
 */
function textDirection(lang: string): 'rtl' | 'ltr' {
  const script = /^[a-z]{2,8}-([a-z]{4})(-|$)/i.exec(lang)?.[1]
  return (script ? /^(arab|hebr|thaa|syrc|nkoo|adlm|rohg|mand|samr)$/i.test(script) : /^(ar|arc|ckb|dv|fa|he|iw|ji|ks|lrc|mzn|nqo|pnb|ps|sd|syr|ug|ur|yi)(-|$)/i.test(lang)) ? 'rtl' : 'ltr'
}

/** What the keyboard reaches with Tab on a page (those that are disabled or out of sight refuse the focus). */
const TABBABLE = 'a[href],area[href],button,input,select,textarea,summary,iframe,[tabindex],[contenteditable]'

/** Focuses `element` when the shopper can see it: not in a `hidden` or `inert` part of the page. Whether it took the focus. */
function focusShown(element: Element): boolean {
  const target = element as HTMLElement
  if (typeof target.focus !== 'function' || target.closest('[hidden],[inert]') || target.checkVisibility?.() === false) return false
  target.focus()
  // In the shop's web component the document's active element is the component: the focus is read where it is.
  return (target.getRootNode() as Document | ShadowRoot).activeElement === target
}

/**
 * Gives the focus to the element the keyboard reaches next after `element` (or, at the end of the page, the one before
 * it) when `element` itself cannot take it: the panel's opener was in a part the page hid meanwhile (a block of
 * another segment, after Forget me). The focus then stays where the shopper was, not on the page's `<body>`.
 */
function focusNextTo(doc: Document, element: Element): void {
  const after: Element[] = []
  const before: Element[] = []
  // An opener in the shop's web component is placed in the page by that component.
  let anchor = element
  while ((anchor.getRootNode() as ShadowRoot).host) anchor = (anchor.getRootNode() as ShadowRoot).host
  doc.querySelectorAll(TABBABLE).forEach((candidate) => {
    if ((candidate as HTMLElement).tabIndex < 0 || anchor.contains(candidate)) return
    if (anchor.compareDocumentPosition(candidate) & 4) after.push(candidate)
    else before.unshift(candidate)
  })
  for (const candidate of after.concat(before)) if (focusShown(candidate)) return
}

/** A UTC day (`YYYY-MM-DD`) in the shopper's words (in `locale`), read as that calendar day whatever the time zone. */
function formatDay(day: string, locale?: string): string {
  const date = new Date(`${day}T12:00:00Z`)
  return Number.isNaN(date.getTime()) ? day : date.toLocaleDateString(locale, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' })
}
