import type { Explanation } from '../segments'

/** Features that describe the shop's pages (its own analytics), not what the shopper did. */
const ABOUT_THE_SHOP = new Set(['has_stats', 'bounce_rate', 'exit_rate', 'page_value'])

/** Yes/no features whose "no" is something the shopper did as well: visiting on a weekday, a first visit. */
const BOTH_WAYS = new Set(['weekend', 'returning'])

/** How many reasons the transparency panel shows at most. */
export const PANEL_MAX_REASONS = 4

/**
 * The explanation lines a shopper is shown: only things they did (a feature that is zero or absent is
 * never a reason, but for "visiting on a weekday" and "first visit", and neither are the shop's page
 * statistics), each wording once, at most `max`.
 *
 * @example
 * shopperReasons([{ feature: 'administrative_seconds', value: 0, delta: -0.4, text: 'no time on account pages' },
 *                 { feature: 'product_pages', value: 8, delta: 0.3, text: '8 shopping pages viewed' }])
 * // ['8 shopping pages viewed']
 */
export function shopperReasons(lines: readonly Explanation[], max = PANEL_MAX_REASONS): string[] {
  const out: string[] = []
  for (const line of lines) {
    if (out.length >= max) break
    if (!Number.isFinite(line.value) || (line.value === 0 && !BOTH_WAYS.has(line.feature)) || ABOUT_THE_SHOP.has(line.feature)) continue
    if (!out.includes(line.text)) out.push(line.text)
  }
  return out
}
