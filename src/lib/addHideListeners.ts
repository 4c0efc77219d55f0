import { hasPage } from './hasPage'
import { listen } from './listen'

/**
 * Calls `onHide` on `beforeunload`, on `pagehide` and when the page becomes hidden: the last moments a write reliably
 * starts (mobile browsers may kill a hidden page without `pagehide`; WebKit suspends a page going into its
 * back/forward cache right after `pagehide`, so that a write begun there never runs, and fires `beforeunload` before
 * it). Calls `onShow` when the page becomes visible again (also as it is restored from the back/forward cache).
 * Returns a function that removes the listeners. Does nothing outside a browser. The `beforeunload` listener asks for
 * no prompt, and keeps no browser's back/forward cache from the page.
 */
export function addHideListeners(onHide: () => void, onShow: () => void): () => void {
  if (!hasPage()) return () => {}
  // On the window in the capture phase (the document's `visibilitychange` passes it on its way), so a page
  // handler that stops propagation cannot starve the flush.
  return listen(window, 'beforeunload pagehide visibilitychange', (event) => {
    // `beforeunload` and `pagehide` sort before `visibilitychange`.
    if (event.type < 'v' || document.visibilityState === 'hidden') onHide()
    else onShow()
  }, true)
}
