import type { PageInsight } from '../../src/reports/estimate'

/** How many page keys the page-statistics table lists for the page-value question when the shop says nothing. */
export const DEFAULT_VALUE_PAGES = 24

/**
 * The page keys the page-value question asks about (`valuePages` of the page-statistics table): the `count`
 * candidates with the most estimated views per session (point estimates: every key's has about the same
 * noise, so the order is the best guess even before the intervals are narrow). Before any view is estimated,
 * the first `count` keys in the shop's candidate order.
 *
 * Asking about fewer pages gives each more answers: the error of a page value shrinks as √(count / reports).
 *
 * @example
 * chooseValuePages(estimateInsights(sums).pages, 24) // ['home', 'cart', 'category/mugs', …]
 */
export function chooseValuePages(pages: readonly Pick<PageInsight, 'key' | 'viewsPerSession'>[], count = DEFAULT_VALUE_PAGES): string[] {
  const rank = (p: Pick<PageInsight, 'viewsPerSession'>) => (Number.isFinite(p.viewsPerSession.value) ? p.viewsPerSession.value : Number.NEGATIVE_INFINITY)
  // Array.prototype.sort is stable: equal ranks keep the candidate order.
  return [...pages].sort((a, b) => (rank(b) > rank(a) ? 1 : rank(b) < rank(a) ? -1 : 0)).slice(0, Math.max(0, count)).map((p) => p.key)
}
