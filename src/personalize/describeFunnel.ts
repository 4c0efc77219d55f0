import { formatNumber } from '../lib/formatNumber'
import type { Segment } from '../segments'

/**
 * Where the visit is in the funnel, in words, or `undefined` before the cart.
 *
 * @example
 * describeFunnel({ cartReached: true, checkoutReached: true, cartValue: 59.9, productsAdded: 2, inIntent: false })
 * // 'reached checkout · 59.9 put in the cart'
 */
export function describeFunnel(funnel: Segment['funnel']): string | undefined {
  if (!funnel || !(funnel.cartReached || funnel.checkoutReached)) return undefined
  const stage = funnel.checkoutReached ? 'reached checkout' : 'reached the cart'
  return funnel.cartValue > 0 ? `${stage} · ${formatNumber(funnel.cartValue)} put in the cart` : stage
}
