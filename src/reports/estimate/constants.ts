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

/**
 * Order values are reported as a band of the order total (ORDER_VALUE_BUCKETS: 0–25, 25–50, 50–100, 100–250, 250–500,
 * 500 and above, in the shop's currency units as they are), each counted at a fixed value (12.5, 37.5, 75, 175, 375,
 * 750). Once more than this share of the orders is in the top band (the whole 95% interval of its estimated share
 * above it), open above 500, the figures built on
 * order value (average order value, revenue per session, page value) are not shown: a band that counts every order as
 * 750, whether it was 600 or 60,000, cannot measure them. For log-normal order values (σ 0.5–1.2, medians 5 to 1,200;
 * `orderValueBands.test.ts`), the shops with at most 10% of orders in that band have band-valued averages within 14%
 * of their true average; at 15–16% they are between 17% low and 6% high, and a shop whose orders are mostly above 500 is
 * 11–74% low (orders around 1,200, as a furniture shop's: 46–74% low).
 */
export const ORDER_VALUE_TOP_BAND_LIMIT = 0.1

/**
 * Likewise for the lowest band, under 25, which counts every order as 12.5 whether it was 2 or 24: once more than this
 * share of the orders is in it (the whole 95% interval of its estimated share above it). In the same log-normal shops, those with at most 70% of orders in it have
 * band-valued averages within 14% of their true average; at 73–80% they are 15–26% high, and above 87% 6–121% high.
 */
export const ORDER_VALUE_LOW_BAND_LIMIT = 0.7

/** Most candidate page keys one set of sums decodes. */
export const MAX_PAGE_KEYS = 5000

/** z of a two-sided 95% normal interval. */
export const Z95 = 1.959963984540054
