import type { ErrorReporter } from '../errors'
import type { ReportSummary } from '../reports/readReportSummary'
import type { Explanation, Segment } from '../segments'
import { adoptStyles } from './adoptStyles'
import { definitionList } from './definitionList'
import { downloadJson } from './downloadJson'
import { describeFunnel } from './describeFunnel'
import { describeIntent } from './describeIntent'
import { formatPercent } from './formatPercent'
import { h } from './h'
import { PANEL_CSS } from './panelStyles'
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
   * a report was sent, on which day, the privacy budget spent, and what it held.
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
   * Title and accessible name of the dialog.
   * @default 'Why am I seeing this?'
   */
  title?: string
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

const CONSENT_WORDS: Record<string, string> = {
  granted: 'given',
  pending: 'not asked yet: nothing is kept after this page',
  denied: 'refused: nothing is kept after this page',
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
  const title = options.title ?? 'Why am I seeing this?'
  const fileName = options.exportFileName ?? 'seglet-data.json'

  let ui: ReturnType<typeof build> | undefined
  let open = false
  let unsubscribe: (() => void) | undefined
  let returnFocus: Element | null = null
  let busy = false
  let summaryRequest = 0

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

    const close = h(doc, 'button', { type: 'button', class: 'close', 'aria-label': 'Close' }, ['×'])
    const segmentBox = h(doc, 'section', { class: 'segment' })
    const reasons = h(doc, 'section', { class: 'reasons' })
    const stored = h(doc, 'section', { class: 'stored' })
    const reports = h(doc, 'section', { class: 'reports' })
    const status = h(doc, 'p', { class: 'status', role: 'status', 'aria-live': 'polite' })
    const forget = h(doc, 'button', { type: 'button', class: 'forget' }, ['Forget me'])
    const exportButton = h(doc, 'button', { type: 'button', class: 'export' }, ['Export my data'])
    // Its words are English whatever the page's language: `lang` has screen readers read them as English.
    const dialog = h(doc, 'div', { class: 'panel', role: 'dialog', 'aria-modal': 'false', 'aria-label': title, tabindex: '-1', lang: 'en' }, [
      h(doc, 'header', {}, [h(doc, 'h2', {}, [title]), close]),
      segmentBox,
      reasons,
      stored,
      reports,
      h(doc, 'div', { class: 'actions' }, [forget, exportButton]),
      status,
      h(doc, 'p', { class: 'muted note' }, ['Seglet works inside your browser: what you do on this shop stays on this device.']),
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
    const rows: Array<[string, string]> = []
    const children: Node[] = []
    if (!segment) {
      children.push(h(doc, 'p', { class: 'name' }, ['No segment yet']))
      children.push(h(doc, 'p', { class: 'muted' }, ['This shop has not adapted anything to your visit.']))
    } else {
      children.push(h(doc, 'p', { class: 'name' }, [segment.name]))
      const names = segment.pathNames && segment.pathNames.length === segment.path.length ? segment.pathNames : segment.path
      if (names.length > 1) children.push(h(doc, 'p', { class: 'muted path' }, [names.join(' › ')]))
      // The segment's description holds statistics of the data the model learned from: not for shoppers.
      if (segment.coldStart) {
        children.push(h(doc, 'p', { class: 'muted cold-start' }, ['Your visit has only just begun, so the shop shows its usual pages.']))
      } else {
        rows.push(['How sure', formatPercent(segment.confidence)])
      }
      const stage = describeFunnel(segment.funnel)
      if (stage) rows.push(['In this visit', stage])
      rows.push(['Chance you buy in this visit', describeIntent(segment)])
      if (segment.valueSegment) rows.push(['From your past orders', segment.valueSegment.name])
      if (segment.repeatProbability !== undefined) rows.push(['Chance you order again within 90 days', formatPercent(segment.repeatProbability)])
      children.push(definitionList(doc, rows))
      if (segment.arm === 'holdout') {
        children.push(h(doc, 'p', { class: 'muted holdout' }, [
          'This browser is in the comparison group: the shop does not personalise its pages for it, so it can tell whether personalisation helps.',
        ]))
      }
    }
    segmentBox.replaceChildren(...children)

    let lines: string[] = []
    guard('The panel could not read the explanation', () => {
      lines = shopperReasons(options.explain ? options.explain() : segment?.reasons ?? [])
    })
    reasons.replaceChildren(
      h(doc, 'h3', {}, ['What it is based on']),
      lines.length > 0
        ? h(doc, 'ul', {}, lines.map((line) => h(doc, 'li', {}, [line])))
        : h(doc, 'p', { class: 'muted' }, ['Nothing you did yet.']),
    )
  }

  function renderStored() {
    if (!ui) return
    const { doc, stored } = ui
    const request = ++summaryRequest
    stored.replaceChildren(h(doc, 'h3', {}, ['Stored on this device']), h(doc, 'p', { class: 'muted' }, ['Loading…']))
    Promise.resolve()
      .then(() => options.getStoredSummary())
      .then((summary) => {
        // A newer refresh is on its way; do not overwrite it with older numbers.
        if (!ui || request !== summaryRequest) return
        const rows: Array<[string, string]> = [['Events', String(summary.events)]]
        if (summary.oldest !== undefined) rows.push(['Since', new Date(summary.oldest).toLocaleDateString()])
        rows.push([
          'Storage',
          summary.mode === 'indexeddb' ? 'In this browser (IndexedDB)' : 'Only while this page is open'
        ])
        rows.push(['Your consent', CONSENT_WORDS[summary.consent] ?? summary.consent])
        stored.replaceChildren(h(doc, 'h3', {}, ['Stored on this device']), definitionList(doc, rows))
      })
      .catch((error: unknown) => {
        if (!ui || request !== summaryRequest) return
        stored.replaceChildren(h(doc, 'h3', {}, ['Stored on this device']), h(doc, 'p', { class: 'muted' }, ['Could not be read.']))
        reportSafely(onError, 'The panel could not read what is stored', error)
      })
  }

  function renderReports() {
    if (!ui) return
    const { doc, reports } = ui
    const read = options.getReportSummary
    if (!read) {
      reports.replaceChildren()
      return
    }
    const heading = () => h(doc, 'h3', {}, ['Private reports to this shop'])
    const intro = () =>
      h(doc, 'p', { class: 'muted' }, [
        'At most once a day this browser may send the shop one small report about an earlier visit, to count shoppers, not to follow you. ' +
          'It has no name, no cookie, no web address and no time finer than the day, and its one answer is randomised on this device, so the shop cannot tell what you really did.',
      ])
    reports.replaceChildren(heading(), intro())
    Promise.resolve()
      .then(read)
      .then((summary) => {
        if (!ui) return
        const budget = `ε ${formatEpsilon(summary.spentToday)} of ${formatEpsilon(summary.epsilonPerDay)} spent today`
        const rows: Array<[string, string]> = []
        if (summary.last) {
          rows.push(['Last report', `sent on ${formatDay(summary.last.sentDay)}, about a visit on ${formatDay(summary.last.sessionDay)}`])
          rows.push(['It held', `${summary.last.held}, randomised`])
        } else {
          rows.push(['Last report', 'none sent yet'])
        }
        rows.push(['Privacy budget', `${budget} (a smaller ε means more privacy)`])
        reports.replaceChildren(heading(), intro(), definitionList(doc, rows))
      })
      .catch((error: unknown) => {
        if (!ui) return
        reports.replaceChildren(heading(), h(doc, 'p', { class: 'muted' }, ['Could not be read.']))
        reportSafely(onError, 'The panel could not read the report ledger', error)
      })
  }

  async function runAction(action: 'forget' | 'export') {
    if (!ui || busy) return
    busy = true
    const { status, forget, exportButton, root } = ui
    // aria-disabled, not disabled: a disabled button loses the focus (to the page's body), and a keyboard
    // user with it, who could then not close the panel with Escape. `busy` refuses the clicks meanwhile.
    forget.setAttribute('aria-disabled', 'true')
    exportButton.setAttribute('aria-disabled', 'true')
    setStatus(action === 'forget' ? 'Deleting…' : 'Preparing your data…', false)
    try {
      if (action === 'forget') {
        await options.forget()
        setStatus('Done. Everything Seglet stored in this browser has been deleted.', false)
      } else {
        const data = await options.exportData()
        downloadJson(root, data, fileName)
        setStatus(`Your data was downloaded as ${fileName}.`, false)
      }
    } catch (error) {
      setStatus(action === 'forget' ? 'Sorry, your data could not be deleted.' : 'Sorry, your data could not be exported.', true)
      reportSafely(onError, action === 'forget' ? 'Forget me failed' : 'Export my data failed', error)
    } finally {
      busy = false
      forget.removeAttribute('aria-disabled')
      exportButton.removeAttribute('aria-disabled')
      if (action === 'forget') refresh()
    }
    function setStatus(text: string, isError: boolean) {
      status.textContent = text
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
        returnFocus = doc.activeElement
        ;(doc.body ?? doc.documentElement).appendChild(ui.host)
        unsubscribe = options.onSegment?.(() => guard('The panel could not be updated', renderSegment))
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
      ui!.host.remove()
      const target = returnFocus as HTMLElement | null
      returnFocus = null
      if (target && target.isConnected && typeof target.focus === 'function') target.focus()
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

/** ε as the panel shows it: at most two decimals, no trailing zeros. */
function formatEpsilon(epsilon: number): string {
  return String(Math.round(epsilon * 100) / 100)
}

/** A UTC day (`YYYY-MM-DD`) in the shopper's words, read as that calendar day whatever the time zone. */
function formatDay(day: string): string {
  const date = new Date(`${day}T12:00:00Z`)
  return Number.isNaN(date.getTime()) ? day : date.toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' })
}
