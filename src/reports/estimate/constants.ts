/** Fewest reports of a question before its cells are shown. */
export const DEFAULT_MIN_REPORTS = 100

/** Fewest estimated sessions or page views behind a rate before it is shown. */
export const DEFAULT_MIN_COUNT = 20

/**
 * A rate (a share between 0 and 1 of some sessions or views) is shown when its 95% interval is no wider
 * than the larger of the rate and this width; "no wider than the estimate" alone would hide every small
 * rate for ever.
 */
export const RATE_INTERVAL_LIMIT = 0.2

/**
 * A ratio (a rate, or an average per order) is shown only when its denominator, the sessions or orders behind it,
 * is itself estimated within this share of it (95% half-width over the estimate): a denominator noisier than that
 * makes the ratio far from normal, and its interval, narrowed when the denominator came out too high, held the truth
 * a third of the time among the cells it let through.
 */
export const RATIO_DENOMINATOR_LIMIT = 0.2

/** Most candidate page keys one set of sums decodes. */
export const MAX_PAGE_KEYS = 5000

/** z of a two-sided 95% normal interval. */
export const Z95 = 1.959963984540054
