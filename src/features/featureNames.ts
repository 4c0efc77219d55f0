import type { FeatureTransform } from '../model/pack'

/** Version of the session feature definition. Bump when names, order or meaning change. */
export const SESSION_FEATURE_SPEC_VERSION = 'session-1'

/** Version of the lifetime feature definition. */
export const LIFETIME_FEATURE_SPEC_VERSION = 'lifetime-1'

/**
 * Session model inputs, in order. Page statistics are 0 when missing and `has_stats` says whether they were
 * present, so one model serves shops with and without statistics. The month is given twice: as a point on
 * the circle (smooth, defined for every month) and one-hot (purchase rates jump between neighbouring months,
 * e.g. November and December; a month absent from training has zero weights).
 */
export const SESSION_FEATURE_NAMES = [
  'administrative_pages',
  'administrative_seconds',
  'informational_pages',
  'informational_seconds',
  'product_pages',
  'product_seconds',
  'product_seconds_per_page',
  'total_pages',
  'total_seconds',
  'month_sin',
  'month_cos',
  'weekend',
  'special_day',
  'returning',
  'has_stats',
  'bounce_rate',
  'exit_rate',
  'page_value',
  'page_value_positive',
  'month_jan', 'month_feb', 'month_mar', 'month_apr', 'month_may', 'month_jun',
  'month_jul', 'month_aug', 'month_sep', 'month_oct', 'month_nov', 'month_dec',
] as const

/** Transform of each session feature before normalisation (log1p for counts, durations and money). */
export const SESSION_FEATURE_TRANSFORMS: readonly FeatureTransform[] = [
  'log1p', 'log1p', 'log1p', 'log1p', 'log1p', 'log1p', 'log1p', 'log1p', 'log1p',
  'identity', 'identity', 'identity', 'identity', 'identity', 'identity', 'identity', 'identity', 'log1p',
  'identity',
  ...new Array<FeatureTransform>(12).fill('identity'),
]

/** Lifetime model inputs, in order. */
export const LIFETIME_FEATURE_NAMES = [
  'recency_days',
  'frequency',
  'monetary',
  'average_basket',
  'tenure_days',
  'orders_last_90_days',
  'active_days',
  'days_per_order',
  'distinct_products',
  'returns',
  'return_value',
] as const

/** Transform of each lifetime feature before normalisation. */
export const LIFETIME_FEATURE_TRANSFORMS: readonly FeatureTransform[] = LIFETIME_FEATURE_NAMES.map(() => 'log1p')

export type SessionFeatureName = (typeof SESSION_FEATURE_NAMES)[number]
export type LifetimeFeatureName = (typeof LIFETIME_FEATURE_NAMES)[number]
