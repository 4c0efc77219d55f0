import type { Segment } from '../segments'

/** How often the framework bindings look for the page's first decision while a server hint stands in, in ms. */
export const DECISION_CHECK_MS = 250

/**
 * Calls `callback` once `seglet` has decided a segment on this page, the holdout arm's included, and returns a
 * function that stops waiting. A decision in the holdout arm tells the page nothing (no `onSegment()`, no
 * `<html>` marker, by design), so the bindings look for it: they must drop the server's hint there too.
 *
 * @example
 * const stop = onDecided(seglet, () => (decided.value = true))
 */
export function onDecided(seglet: { getSegment(): Segment | null }, callback: () => void): () => void {
  if (seglet.getSegment()) {
    callback()
    return () => {}
  }
  const timer = setInterval(() => {
    if (!seglet.getSegment()) return
    clearInterval(timer)
    callback()
  }, DECISION_CHECK_MS)
  return () => clearInterval(timer)
}
