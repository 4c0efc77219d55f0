export { aggregateLifetime, RECENT_ORDER_DAYS } from './aggregateLifetime'
export { aggregateSession } from './aggregateSession'
export type { AggregateSessionOptions } from './aggregateSession'
export { applyFeatureSpec } from './applyFeatureSpec'
export { computeFeatures } from './computeFeatures'
export { createFeatureFold } from './createFeatureFold'
export type { FeatureFold } from './createFeatureFold'
export { readEvidence } from './readEvidence'
export type { EvidenceCount } from './readEvidence'
export { countSessionEvent, emptySessionCounts, toSessionAggregate } from './sessionCounts'
export type { SessionContext, SessionCounts } from './sessionCounts'
export {
  expectedFeatures,
  LIFETIME_FEATURE_NAMES,
  LIFETIME_FEATURE_SPEC_VERSION,
  LIFETIME_FEATURE_TRANSFORMS,
  PUBLIC_SESSION_FEATURE_NAMES,
  SESSION_FEATURE_NAMES,
  SESSION_FEATURE_SPEC_VERSION,
  SESSION_FEATURE_TRANSFORMS,
} from './featureNames'
export type { LifetimeFeatureName, SessionFeatureName } from './featureNames'
export { LIFETIME_FEATURES } from './lifetimeFeatures'
export { pageGroup } from './pageGroup'
export { selectFeatures } from './selectFeatures'
export { SESSION_FEATURES } from './sessionFeatures'
export { DEFAULT_SESSION_GAP_MS, sessionize } from './sessionize'
export { DEFAULT_SPECIAL_DAYS, SPECIAL_DAY_PEAK_DAYS, specialDayCloseness, nearestSpecialDay } from './specialDayCloseness'
export type {
  FeatureDefinition,
  FeatureOptions,
  Features,
  LifetimeAggregate,
  PageGroup,
  SessionAggregate,
  SessionStats,
  SpecialDayRule,
} from './types'
export { lifetimeVector, sessionVector } from './vectors'
export { withClockOf } from './withClockOf'
