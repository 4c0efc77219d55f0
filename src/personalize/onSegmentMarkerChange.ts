import { SEGMENT_ATTRIBUTE } from './constants'

/**
 * Calls `callback` whenever `<html data-seglet-segment>` is set, changed or removed, and returns a function
 * that stops watching. The framework bindings use it to hear that the segment was cleared: `forget()` removes
 * the attribute, while `onSegment()` callbacks only ever receive a segment (shops' callbacks rely on that).
 * Does nothing without a DOM (server rendering).
 *
 * @example
 * const stop = onSegmentMarkerChange(() => render(seglet.getSegment()))
 */
export function onSegmentMarkerChange(callback: () => void): () => void {
  const root = typeof document !== 'undefined' ? document.documentElement : undefined
  if (!root || typeof MutationObserver !== 'function') return () => {}
  const observer = new MutationObserver(callback)
  observer.observe(root, { attributeFilter: [SEGMENT_ATTRIBUTE] })
  return () => observer.disconnect()
}
