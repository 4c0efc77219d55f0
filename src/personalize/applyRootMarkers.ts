import type { Segment } from '../segments'
import {
  CLASS_PREFIX,
  INTENT_HIGH_CLASS,
  SEGMENT_ATTRIBUTE,
  VALUE_CLASS_PREFIX,
  VALUE_SEGMENT_ATTRIBUTE,
} from './constants'
import { toClassToken } from './toClassToken'

/**
 * Put the segment's attributes and classes on `<html>` and take off the ones of the previous
 * segment. Only classes Seglet added are ever removed: a class the page set itself stays.
 *
 * @returns the classes Seglet owns now, to pass as `owned` next time
 */
export function applyRootMarkers(root: Element, segment: Segment | null, owned: ReadonlySet<string>): Set<string> {
  const wanted = new Set<string>()
  if (segment) {
    for (const id of segment.path) wanted.add(CLASS_PREFIX + toClassToken(id))
    if (segment.intent >= segment.intentThreshold) wanted.add(INTENT_HIGH_CLASS)
    for (const id of segment.valueSegment?.path ?? []) wanted.add(VALUE_CLASS_PREFIX + toClassToken(id))
  }
  wanted.delete(CLASS_PREFIX)
  wanted.delete(VALUE_CLASS_PREFIX)

  const nowOwned = new Set<string>()
  for (const name of owned) if (!wanted.has(name)) root.classList.remove(name)
  // A class Seglet owns is added again too: the page may have rewritten `<html class>` since (an SPA route change).
  for (const name of wanted) {
    if (owned.has(name) || !root.classList.contains(name)) {
      root.classList.add(name)
      nowOwned.add(name)
    }
  }

  setOrRemove(root, SEGMENT_ATTRIBUTE, segment?.id)
  setOrRemove(root, VALUE_SEGMENT_ATTRIBUTE, segment?.valueSegment?.id)
  return nowOwned
}

function setOrRemove(root: Element, name: string, value: string | undefined): void {
  if (value === undefined) root.removeAttribute(name)
  else if (root.getAttribute(name) !== value) root.setAttribute(name, value)
}
