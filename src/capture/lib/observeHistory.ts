import { listen } from '../../lib/listen'
import { wrapMethod } from './wrapMethod'

/**
 * Calls `onChange` after every `history.pushState` and on `popstate`, and `onReplace` after every
 * `history.replaceState` (their behaviour and return values are unchanged). Returns a function that removes
 * everything.
 */
export function observeHistory(win: Window, onChange: () => void, onReplace: () => void): () => void {
  const restorePush = wrapMethod(win.history, 'pushState', onChange)
  let restoreReplace: () => void
  try {
    restoreReplace = wrapMethod(win.history, 'replaceState', onReplace)
  } catch (error) {
    // All or nothing: never leave one method wrapped with no way to unwrap it.
    restorePush()
    throw error
  }
  const unlisten = listen(win, 'popstate', onChange)
  return () => {
    restorePush()
    restoreReplace()
    unlisten()
  }
}
