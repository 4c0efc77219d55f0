import type { Segment } from '../segments'
import type { PanelWords } from './panelText'
import { readPanelText } from './panelText'

/**
 * The panel's words for the chance of a purchase in this visit. A shopper in the cart or in checkout whose
 * intent is not high is told why: the pack estimates intent from browsing only because it has not learned what
 * reaching the cart or checkout means in this shop (the public training data has no cart events), so a
 * checkout is never shown as a low chance without that reason. In the shop's words when `words` are given.
 *
 * @example
 * describeIntent({ intent: 0.03, intentThreshold: 0.49, funnel: { checkoutReached: true, inIntent: false, … }, … })
 * // "3%, estimated from your browsing only: this shop's model has not yet learned from visits that reach checkout"
 */
export function describeIntent(segment: Pick<Segment, 'intent' | 'intentThreshold' | 'funnel'>, words: PanelWords = readPanelText()): string {
  const high = segment.intent >= segment.intentThreshold
  const funnel = segment.funnel
  const why = !high && funnel && !funnel.inIntent && (funnel.cartReached || funnel.checkoutReached)
  const key = why ? (funnel.checkoutReached ? 'intentCheckout' : 'intentCart') : high ? 'intentHigh' : 'intentNotHigh'
  return words.say(key, { percent: words.percent(segment.intent) }).text
}
