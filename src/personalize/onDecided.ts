import type { Segment } from '../segments'

/** How often the framework bindings look for the page's first decision while a server hint stands in, in ms. */
export const DECISION_CHECK_MS = 250

/** The Seglets seen to have decided on this page: `forget()` clears the segment, not that the page had one. */
const decidedOnPage = new WeakSet<object>()

/**
 * Whether `seglet` has decided a segment on this page, the holdout arm's included, and still does or did before
 * a `forget()`: from then on the server's hint is done with, also for a component that mounts later.
 *
 * @example
 * const showHint = !hasDecided(seglet)
 */
export function hasDecided(seglet: { getSegment(): Segment | null }): boolean {
  if (seglet.getSegment()) decidedOnPage.add(seglet)
  return decidedOnPage.has(seglet)
}

/**
 * Calls `callback` once `seglet` has decided a segment on this page, the holdout arm's included, and returns a
 * function that stops waiting. A decision in the holdout arm tells the page nothing (no `onSegment()`, no
 * `<html>` marker, by design), so the bindings look for it: they must drop the server's hint there too.
 *
 * @example
 * const stop = onDecided(seglet, () => (decided.value = true))
 */
export function onDecided(seglet: { getSegment(): Segment | null }, callback: () => void): () => void {
  if (hasDecided(seglet)) {
    callback()
    return () => {}
  }
  const timer = setInterval(() => {
    if (!hasDecided(seglet)) return
    clearInterval(timer)
    callback()
  }, DECISION_CHECK_MS)
  return () => clearInterval(timer)
}
