import { describeFeature } from './describeFeature'
import type { Contribution, ExplainOptions, Explanation } from './types'

/**
 * Turn contributions (from `computeContributions()`) into plain-words explanation lines.
 *
 * @example
 * explainFeatures([{ name: 'product_pages', raw: 8, delta: 0.2 }])
 * // [{ feature: 'product_pages', value: 8, delta: 0.2, text: '8 shopping pages viewed' }]
 */
export function explainFeatures(contributions: readonly Contribution[], options: ExplainOptions = {}): Explanation[] {
  return contributions.map(({ name, raw, delta, says }) => ({
    feature: name,
    value: raw,
    delta,
    text: options.describe?.(name, raw) ?? says ?? describeFeature(name, raw),
  }))
}
