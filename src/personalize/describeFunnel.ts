import type { Segment } from '../segments'
import type { PanelWords } from './panelText'
import { readPanelText } from './panelText'

/**
 * Where the visit is in the funnel, in words (the shop's, when given), or `undefined` before the cart.
 *
 * @example
 * describeFunnel({ cartReached: true, checkoutReached: true, cartValue: 59.9, productsAdded: 2, inIntent: false })
 * // 'reached checkout · 59.9 put in the cart'
 */
export function describeFunnel(funnel: Segment['funnel'], words: PanelWords = readPanelText()): string | undefined {
  if (!funnel || !(funnel.cartReached || funnel.checkoutReached)) return undefined
  const stage = words.say(funnel.checkoutReached ? 'funnelCheckout' : 'funnelCart').text
  return funnel.cartValue > 0 ? words.say('funnelCartValue', { stage, value: words.number(funnel.cartValue) }).text : stage
}
