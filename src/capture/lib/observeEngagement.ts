import { MAX_VISIBLE_MS } from '../../events/limits'
import { DEFAULT_SESSION_GAP_MS } from '../../features/sessionize'
import { listen } from '../../lib/listen'
import { getScrollDepth } from './getScrollDepth'

/** How long after a scroll its depth is measured (at most one measurement in that time). */
const SCROLL_MEASURE_MS = 100

/** Controls the engagement measurement of the current page view. */
export interface EngagementObserver {
  /**
   * Starts a new page view, with a new record id; `keepTime` carries the visible time measured so far, and
   * the record, over to it (a page that never got its page view hands its time to the next one).
   */
  begin(keepTime?: boolean): void
  /**
   * Emits the page view's totals so far, when they changed since the last emission. With `hide` (the page
   * is hidden or left), then stops the clock until the page is visible again: idempotent, so a second hide
   * (`visibilitychange` then `pagehide`) emits nothing. With `hide` given (`true` or `false`: the store's writes),
   * a scroll not measured yet is measured first; without it the page's layout is not read: at an SPA navigation that
   * scroll is left to its timer, which measures the new page view; when the capture stops, it is dropped.
   */
  flush(hide?: boolean): void
  /** Removes every listener; does not flush. */
  stop(): void
}

/**
 * Measures visible time (Page Visibility API: the clock runs only while `document.visibilityState` is
 * `visible`) and the deepest scroll (a passive listener, measured at most once per 100 ms, and before each emission) of the
 * current page view. Emits when `flush()` is called: the capture calls it when the store writes, the page is hidden or left.
 * Every emission of one page view carries the same `id` (from `nextId`, once per page view) and its totals
 * so far: each one replaces the previous record, so a write the closing page loses costs only the time
 * since the emission before it, and summing records never double counts.
 */
export function observeEngagement(
  win: Window,
  options: {
    scroll: boolean
    nextId: () => string
    emit: (id: string, visibleMs: number, scrollDepth: number) => void
  },
): EngagementObserver {
  const doc = win.document
  let id = ''
  let visibleMs = 0
  let reportedMs = 0
  let visibleSince: number | undefined
  let maxScroll = 0
  let reportedScroll = 0
  let timer: ReturnType<typeof setTimeout> | undefined

  // Measured in a timer, after the frame: reading the page's height in an animation frame forces the layout
  // the browser was about to do, and a long-animation-frame entry then blames it on Seglet.
  const measureScroll = () => {
    clearTimeout(timer)
    timer = undefined
    const depth = getScrollDepth(win)
    if (depth > maxScroll) maxScroll = depth
  }
  const onScroll = () => {
    timer ??= setTimeout(measureScroll, SCROLL_MEASURE_MS)
  }
  const flush = (hide?: boolean) => {
    // A scroll not measured yet counts in these totals, except at an SPA navigation (no `hide`): that runs inside
    // the router's click handler, where reading the page's height would force the layout of the page just rendered
    // (the shopper's input waiting for it) and measure that page, not the one left. The timer still runs: it
    // measures the new page view, which the router has rendered by then.
    if (hide != null && timer) measureScroll()
    if (id) {
      if (visibleSince !== undefined) {
        // Date.now() can jump backwards (clock changes); never count negative time. Nor more than a session gap at
        // once: a laptop asleep with the page in front stops no clock here, and wakes with hours of "visible" time
        // since the last write. A page read that long without a write counts as a session gap, as a shopper who
        // went away for that long would start a new session.
        visibleMs += Math.min(Math.max(0, Date.now() - visibleSince), DEFAULT_SESSION_GAP_MS)
        // The clock goes on from here (stopped below while the page is hidden).
        visibleSince = Date.now()
      }
      const ms = Math.min(Math.round(visibleMs), MAX_VISIBLE_MS)
      if (ms > reportedMs || maxScroll > reportedScroll) {
        reportedMs = ms
        reportedScroll = maxScroll
        options.emit(id, ms, maxScroll)
      }
    }
    if (hide) visibleSince = undefined
  }
  const onShow = () => {
    if (doc.visibilityState === 'visible' && visibleSince === undefined) visibleSince = Date.now()
  }

  // The clock starts again when the page is shown; the capture stops it with flush(true) when the page is hidden or
  // left, which the store also asks for at `beforeunload`. A link that leaves the page where it is fires that too
  // (`mailto:`, `tel:`, a download, in Chromium), so a page still visible goes on counting right after: this listener
  // runs after the store's, which is added when the store opens, before the capture starts (createSeglet()). Left for
  // real, the page's `pagehide` stops the clock again, counting the time it was still shown.
  const unlisten = [listen(win, 'beforeunload pageshow visibilitychange', onShow, true)]
  if (options.scroll) unlisten.push(listen(win, 'scroll', onScroll, { passive: true }))

  return {
    begin(keepTime) {
      if (!keepTime) {
        id = options.nextId()
        visibleMs = reportedMs = 0
        visibleSince = doc.visibilityState === 'visible' ? Date.now() : undefined
      }
      maxScroll = reportedScroll = 0
      // A page shorter than the viewport is fully seen without any scroll event.
      if (options.scroll) onScroll()
    },
    flush,
    stop() {
      clearTimeout(timer)
      for (const remove of unlisten) remove()
    },
  }
}
