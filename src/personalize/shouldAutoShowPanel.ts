/**
 * Whether the page asked for the debug panel with `?seglet=debug` in its URL (`search`: the page's own
 * `location.search` by default; `false` where there is no `location`).
 *
 * @example
 * if (shouldAutoShowPanel()) seglet.showPanel()
 */
export function shouldAutoShowPanel(search?: string): boolean {
  try {
    search ??= location.search
    // A parameter named `seglet` is written as such or percent-encoded: any other query is answered without
    // a URLSearchParams (whose bindings alone cost the page ~3 KB of heap).
    return (search.includes('seglet') || search.includes('%')) && new URLSearchParams(search).get('seglet') === 'debug'
  } catch {
    return false
  }
}
