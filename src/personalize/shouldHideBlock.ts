import type { Segment } from '../segments'
import { toClassToken } from './toClassToken'

/** Rule texts already parsed: the blocks of a page repeat a few rules (every product card's badge). */
const parsed = new Map<string, string[]>()

const list = (value: string): string[] => {
  // Bounded, for a page that writes a different rule on each block.
  if (parsed.size > 255) parsed.clear()
  return parsed.get(value) ?? parsed.set(value, value.split(/[\s,]+/).filter(Boolean).map(toClassToken)).get(value)!
}

function threshold(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined
  const n = Number(value)
  // A malformed threshold is ignored rather than hiding content the shop meant to show.
  return Number.isFinite(n) ? n : undefined
}

/**
 * Whether a declarative block's rules hide it for this segment. `data-seglet-show` blocks stay
 * hidden until a segment (or an ancestor) matches; intent rules hide until intent is known and
 * strictly above / below the value. All rules on one element must allow it to be shown.
 */
export function shouldHideBlock(element: Element, segment: Segment | null, tokens: ReadonlySet<string>): boolean {
  const show = element.getAttribute('data-seglet-show')
  if (show !== null) {
    const wanted = list(show)
    if (wanted.length > 0 && !wanted.some((t) => tokens.has(t))) return true
  }
  const hide = element.getAttribute('data-seglet-hide')
  if (hide !== null && list(hide).some((t) => tokens.has(t))) return true
  const above = threshold(element.getAttribute('data-seglet-intent-above'))
  if (above !== undefined && !(segment && segment.intent > above)) return true
  const below = threshold(element.getAttribute('data-seglet-intent-below'))
  if (below !== undefined && !(segment && segment.intent < below)) return true
  return false
}
