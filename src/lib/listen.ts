/**
 * Adds `listener` to `target` for each of `types` (separated by spaces), with `options`; returns a function that
 * removes them all. One helper for the listeners of the page's lifecycle, so each is removed exactly as it was added.
 *
 * @example
 * const unlisten = listen(window, 'pagehide visibilitychange', onHide, true)
 * unlisten()
 */
export function listen(target: EventTarget, types: string, listener: (event: Event) => void, options?: boolean | AddEventListenerOptions): () => void {
  const list = types.split(' ')
  list.map((type) => target.addEventListener(type, listener, options))
  return () => list.map((type) => target.removeEventListener(type, listener, options))
}
