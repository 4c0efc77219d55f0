import { MAX_VISIBLE_MS } from '../../events/limits'
import { getScrollDepth } from './getScrollDepth'

/** Controls the engagement measurement of the current page view. */
export interface EngagementObserver {
  /** Starts a new page view at `url`; `keepTime` carries the visible time measured so far over to it. */
  begin(url: string, keepTime?: boolean): void
  /** Emits what was measured since the last emission (nothing when nothing changed) and resets the time. */
  flush(): void
  /**
   * What `pagehide` does: emits, and stops the clock until the page is visible again. Idempotent, so the
   * store can call it before its hide-time write and this observer's own listener then emits nothing.
   */
  hide(): void
  /** Removes every listener; does not flush. */
  stop(): void
}

/**
 * Measures visible time (Page Visibility API: the clock runs only while `document.visibilityState` is
 * `visible`) and the deepest scroll (a passive listener, measured at most once per animation frame) of the
 * current page view. Emits on `visibilitychange` to hidden, on `pagehide`, and when `flush()` is called.
 * `visibleMs` of each emission is the time since the previous one, so summing them never double counts;
 * `scrollDepth` is the deepest point of the page view so far.
 */
export function observeEngagement(
  win: Window,
  options: { scroll: boolean; emit: (url: string, visibleMs: number, scrollDepth: number) => void },
): EngagementObserver {
  const doc = win.document
  let url: string | undefined
  let visibleMs = 0
  let visibleSince: number | undefined
  let maxScroll = 0
  let reportedScroll = 0
  let frame: number | undefined

  const measureScroll = () => {
    frame = undefined
    const depth = getScrollDepth(win)
    if (depth > maxScroll) maxScroll = depth
  }
  const onScroll = () => {
    if (frame !== undefined) return
    frame = typeof win.requestAnimationFrame === 'function'
      ? win.requestAnimationFrame(measureScroll)
      : (win.setTimeout(measureScroll, 100) as unknown as number)
  }
  const cancelScroll = () => {
    if (frame === undefined) return
    if (typeof win.cancelAnimationFrame === 'function') win.cancelAnimationFrame(frame)
    win.clearTimeout(frame)
    frame = undefined
  }
  const stopClock = () => {
    if (visibleSince === undefined) return
    // Date.now() can jump backwards (clock changes); never count negative time.
    visibleMs += Math.max(0, Date.now() - visibleSince)
    visibleSince = undefined
  }
  const flush = () => {
    if (url === undefined) return
    const running = visibleSince !== undefined
    stopClock()
    if (running) visibleSince = Date.now()
    const ms = Math.min(Math.round(visibleMs), MAX_VISIBLE_MS)
    if (ms > 0 || maxScroll > reportedScroll) {
      visibleMs = 0
      reportedScroll = maxScroll
      options.emit(url, ms, maxScroll)
    }
  }
  const onPageHide = () => {
    flush()
    visibleSince = undefined
  }
  const onPageShow = () => {
    if (doc.visibilityState === 'visible' && visibleSince === undefined) visibleSince = Date.now()
  }
  const onVisibility = () => (doc.visibilityState === 'hidden' ? onPageHide() : onPageShow())

  const passive: AddEventListenerOptions = { passive: true }
  doc.addEventListener('visibilitychange', onVisibility, passive)
  win.addEventListener('pagehide', onPageHide, passive)
  win.addEventListener('pageshow', onPageShow, passive)
  if (options.scroll) win.addEventListener('scroll', onScroll, passive)

  return {
    begin(nextUrl, keepTime = false) {
      url = nextUrl
      if (!keepTime) {
        visibleMs = 0
        visibleSince = doc.visibilityState === 'visible' ? Date.now() : undefined
      }
      maxScroll = 0
      reportedScroll = 0
      // A page shorter than the viewport is fully seen without any scroll event.
      if (options.scroll) onScroll()
    },
    flush,
    hide: onPageHide,
    stop() {
      cancelScroll()
      doc.removeEventListener('visibilitychange', onVisibility, passive)
      win.removeEventListener('pagehide', onPageHide, passive)
      win.removeEventListener('pageshow', onPageShow, passive)
      win.removeEventListener('scroll', onScroll, passive)
    },
  }
}
