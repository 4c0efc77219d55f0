import { listen } from './listen'

/**
 * Calls `onHide` on `pagehide` and when the page becomes hidden: the last moments a write reliably
 * starts (mobile browsers may kill a hidden page without `pagehide`). Returns a function that removes
 * both listeners. Does nothing outside a browser.
 */
export function addHideListeners(onHide: () => void): () => void {
  if (typeof window === 'undefined' || typeof document === 'undefined') return () => {}
  // On the window in the capture phase (the document's `visibilitychange` passes it on its way), so a page
  // handler that stops propagation cannot starve the flush.
  return listen(window, 'pagehide visibilitychange', (event) => (event.type == 'pagehide' || document.visibilityState === 'hidden') && onHide(), true)
}
