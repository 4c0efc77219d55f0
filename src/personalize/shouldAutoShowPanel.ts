/**
 * Whether the page asked for the debug panel with `?seglet=debug` in its URL.
 *
 * @example
 * if (shouldAutoShowPanel(location)) seglet.showPanel()
 */
export function shouldAutoShowPanel(location: { search: string }): boolean {
  try {
    return new URLSearchParams(location.search).get('seglet') === 'debug'
  } catch {
    return false
  }
}
