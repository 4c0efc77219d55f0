import type { LifetimeAggregate, SessionAggregate } from './types'

const MONTHS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]

/**
 * The raw session vector, in the order of `SESSION_FEATURE_NAMES` (before transforms and normalisation).
 *
 * @example
 * const x = applyFeatureSpec(sessionVector(agg), pack.featureSpec)
 */
export function sessionVector(agg: SessionAggregate): number[] {
  const totalPages = agg.administrativePages + agg.informationalPages + agg.productPages
  const totalSeconds = agg.administrativeSeconds + agg.informationalSeconds + agg.productSeconds
  const angle = (2 * Math.PI * agg.month) / 12
  const stats = agg.stats
  return [
    agg.administrativePages,
    agg.administrativeSeconds,
    agg.informationalPages,
    agg.informationalSeconds,
    agg.productPages,
    agg.productSeconds,
    agg.productSeconds / Math.max(1, agg.productPages),
    totalPages,
    totalSeconds,
    Math.sin(angle),
    Math.cos(angle),
    agg.weekend ? 1 : 0,
    agg.specialDay,
    agg.returning ? 1 : 0,
    stats ? 1 : 0,
    stats ? stats.bounceRate : 0,
    stats ? stats.exitRate : 0,
    stats ? stats.pageValue : 0,
    stats && stats.pageValue > 0 ? 1 : 0,
    ...MONTHS.map((m) => (agg.month === m ? 1 : 0)),
  ]
}

/**
 * The raw lifetime vector, in the order of `LIFETIME_FEATURE_NAMES`.
 *
 * @example
 * const x = applyFeatureSpec(lifetimeVector(aggregateLifetime(events, now)), pack.featureSpec)
 */
export function lifetimeVector(agg: LifetimeAggregate): number[] {
  return [
    agg.recencyDays,
    agg.orders,
    Math.max(0, agg.monetary),
    Math.max(0, agg.averageBasket),
    agg.tenureDays,
    agg.ordersLast90Days,
    agg.activeDays,
    agg.orders > 1 ? agg.tenureDays / (agg.orders - 1) : agg.tenureDays,
    agg.distinctProducts,
    agg.returns,
    Math.max(0, agg.returnValue),
  ]
}
