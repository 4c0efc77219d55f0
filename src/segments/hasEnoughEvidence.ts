import { DEFAULT_MIN_PAGE_VIEWS } from './constants'

/**
 * Whether a decision rests on evidence (the session reached `minPageViews` page views, or the shopper has
 * bought before) rather than being the cold-start default. The segment engine's rule; the core, which decides
 * without loading the model while it does not hold, writes the same two comparisons out in
 * `decideWithoutModel()` (a call there costs it bytes it does not have): change both together.
 *
 * @example
 * hasEnoughEvidence({ pageViews: 1, purchases: 0 }) // false: the cold-start default
 */
export function hasEnoughEvidence(evidence: { pageViews: number; purchases: number }, minPageViews = DEFAULT_MIN_PAGE_VIEWS): boolean {
  return evidence.pageViews >= minPageViews || evidence.purchases > 0
}
