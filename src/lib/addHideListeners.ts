import { hasPage } from './hasPage'
import { listen } from './listen'

/**
 * Calls `onHide` on `pagehide` and when the page becomes hidden: the last moments a write reliably
 * starts (mobile browsers may kill a hidden page without `pagehide`). Calls `onShow`, if given, when the
 * page becomes visible again (also as it is restored from the back/forward cache). Returns a function
 * that removes both listeners. Does nothing outside a browser.
 */
export function addHideListeners(onHide: () => void, onShow?: () => void): () => void {
  if (!hasPage()) return () => {}
  // On the window in the capture phase (the document's `visibilitychange` passes it on its way), so a page
  // handler that stops propagation cannot starve the flush.
  return listen(window, 'pagehide visibilitychange', (event) => {
    if (event.type == 'pagehide' || document.visibilityState === 'hidden') onHide()
    else onShow?.()
  }, true)
}
