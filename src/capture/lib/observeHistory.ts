import { wrapMethod } from './wrapMethod'

/**
 * Calls `onChange` after every `history.pushState` / `replaceState` (their behaviour and return values are
 * unchanged) and on `popstate`. Returns a function that removes everything.
 */
export function observeHistory(win: Window, onChange: () => void): () => void {
  const restorePush = wrapMethod(win.history, 'pushState', onChange)
  let restoreReplace: () => void
  try {
    restoreReplace = wrapMethod(win.history, 'replaceState', onChange)
  } catch (error) {
    // All or nothing: never leave one method wrapped with no way to unwrap it.
    restorePush()
    throw error
  }
  win.addEventListener('popstate', onChange)
  return () => {
    restorePush()
    restoreReplace()
    win.removeEventListener('popstate', onChange)
  }
}
