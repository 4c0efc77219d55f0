import { shopperReasons } from '../personalize/shopperReasons'
import { DEFAULT_TOP_FEATURES } from '../segments'
import type { Explanation } from '../segments'

/**
 * The lines `explain()` gives, from the explanation of every feature that moved the decision by at least the
 * minimum, biggest first: for a segment only the features that pulled the shopper toward it (one that counts
 * against it is no reason for it); for the intent (a cold start) those that moved it either way. The list goes
 * on past features at zero ("no time on account pages", kept where they rank) and page statistics until it
 * holds `top` lines of what the shopper did, the lines the transparency panel shows; fewer when no more
 * features pulled that way.
 *
 * @example
 * chooseReasons([{ feature: 'product_pages', value: 5, delta: -5.9, text: '5 shopping pages viewed' },
 *                { feature: 'administrative_seconds', value: 0, delta: 3.3, text: 'no time on account pages' },
 *                { feature: 'weekend', value: 1, delta: 0.3, text: 'visiting at the weekend' }], true)
 * // the last two: the pages counted against the segment
 */
export function chooseReasons(lines: readonly Explanation[], towards: boolean, top = DEFAULT_TOP_FEATURES): Explanation[] {
  const out: Explanation[] = []
  for (const line of lines) {
    if (shopperReasons(out, top).length >= top) break
    if (!towards || line.delta > 0) out.push(line)
  }
  return out
}
