/**
 * Calls `onHide` on `pagehide` and when the page becomes hidden: the last moments a write reliably
 * starts (mobile browsers may kill a hidden page without `pagehide`). Returns a function that removes
 * both listeners. Does nothing outside a browser.
 */
export function addHideListeners(onHide: () => void): () => void {
  if (typeof window === 'undefined' || typeof document === 'undefined') return () => {}
  const onVisibilityChange = () => {
    if (document.visibilityState === 'hidden') onHide()
  }
  // Capture phase, so a page handler that stops propagation cannot starve the flush.
  window.addEventListener('pagehide', onHide, true)
  document.addEventListener('visibilitychange', onVisibilityChange, true)
  return () => {
    window.removeEventListener('pagehide', onHide, true)
    document.removeEventListener('visibilitychange', onVisibilityChange, true)
  }
}
