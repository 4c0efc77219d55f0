export { aggregateLifetime, RECENT_ORDER_DAYS } from './aggregateLifetime'
export { aggregateSession } from './aggregateSession'
export type { AggregateSessionOptions } from './aggregateSession'
export { applyFeatureSpec } from './applyFeatureSpec'
export { checkFeatureSpec } from './checkFeatureSpec'
export type { FeatureSpecCheck } from './checkFeatureSpec'
export { computeFeatures } from './computeFeatures'
export { createFeatureFold } from './createFeatureFold'
export type { FeatureFold } from './createFeatureFold'
export { readEvidence } from './readEvidence'
export type { EvidenceCount } from './readEvidence'
export { countSessionEvent, emptySessionCounts, toSessionAggregate } from './sessionCounts'
export type { SessionCounts } from './sessionCounts'
export {
  LIFETIME_FEATURE_NAMES,
  LIFETIME_FEATURE_SPEC_VERSION,
  LIFETIME_FEATURE_TRANSFORMS,
  SESSION_FEATURE_NAMES,
  SESSION_FEATURE_SPEC_VERSION,
  SESSION_FEATURE_TRANSFORMS,
} from './featureNames'
export type { LifetimeFeatureName, SessionFeatureName } from './featureNames'
export { pageGroup } from './pageGroup'
export { DEFAULT_SESSION_GAP_MS, sessionize } from './sessionize'
export { DEFAULT_SPECIAL_DAYS, SPECIAL_DAY_PEAK_DAYS, specialDayCloseness } from './specialDayCloseness'
export type {
  FeatureOptions,
  Features,
  LifetimeAggregate,
  PageGroup,
  SessionAggregate,
  SessionStats,
  SpecialDayRule,
} from './types'
export { lifetimeVector, sessionVector } from './vectors'
