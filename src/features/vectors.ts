import { LIFETIME_FEATURES } from './lifetimeFeatures'
import { SESSION_FEATURES } from './sessionFeatures'
import type { LifetimeAggregate, SessionAggregate } from './types'

/**
 * The raw session vector: every feature of `SESSION_FEATURES` read from the aggregate, in table order
 * (before transforms and normalisation). A pack reads the ones it names: `selectFeatures()`.
 *
 * @example
 * const x = applyFeatureSpec(selectFeatures(sessionVector(agg), SESSION_FEATURE_NAMES, pack.featureSpec.names), pack.featureSpec)
 */
export function sessionVector(agg: SessionAggregate): number[] {
  return SESSION_FEATURES.map((f) => f.read(agg))
}

/**
 * The raw lifetime vector: every feature of `LIFETIME_FEATURES`, in table order.
 *
 * @example
 * const x = applyFeatureSpec(lifetimeVector(aggregateLifetime(events, now)), pack.featureSpec)
 */
export function lifetimeVector(agg: LifetimeAggregate): number[] {
  return LIFETIME_FEATURES.map((f) => f.read(agg))
}
